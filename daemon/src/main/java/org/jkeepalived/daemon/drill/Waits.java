package org.jkeepalived.daemon.drill;

import java.util.function.BooleanSupplier;

/** Polling until a condition holds or time runs out (the drill measures with it, tests wait with it). */
public final class Waits {
    private Waits() {}

    /** @return whether {@code condition} held within {@code millis}, checked every 10 ms */
    public static boolean until(BooleanSupplier condition, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            if (condition.getAsBoolean()) return true;
            Thread.sleep(10);
        }
        return condition.getAsBoolean();
    }
}
