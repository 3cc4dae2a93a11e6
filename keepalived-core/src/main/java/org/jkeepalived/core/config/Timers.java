package org.jkeepalived.core.config;

import java.time.Duration;

/** keepalived's &lt;TIMER&gt; values are seconds with an optional fraction (microsecond resolution). */
public final class Timers {
    private Timers() {}

    public static Duration seconds(double s) {
        return Duration.ofNanos(Math.round(s * 1_000_000) * 1_000L);
    }

    /** Seconds as keepalived prints them: an integer where whole, else a decimal. */
    public static String format(Duration d) {
        long micros = d.toNanos() / 1_000;
        if (micros % 1_000_000 == 0) return Long.toString(micros / 1_000_000);
        return java.math.BigDecimal.valueOf(micros, 6).stripTrailingZeros().toPlainString();
    }
}
