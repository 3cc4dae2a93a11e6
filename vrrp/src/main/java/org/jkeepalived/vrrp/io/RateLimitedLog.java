package org.jkeepalived.vrrp.io;

import org.slf4j.Logger;

/**
 * A warning that may repeat every few milliseconds while a condition lasts (an unreadable /proc, a
 * failing socket): logged at most once a minute, with how many were left out meanwhile.
 */
public final class RateLimitedLog {
    private static final long PERIOD_NANOS = 60_000_000_000L;

    private final Logger log;
    private long last;
    private boolean logged;
    private int skipped;

    public RateLimitedLog(Logger log) {
        this.log = log;
    }

    public synchronized void warn(String format, Object... args) {
        long now = System.nanoTime();
        if (logged && now - last < PERIOD_NANOS) {
            skipped++;
            return;
        }
        if (skipped > 0) {
            log.warn(format + " (and {} more like it in the last minute)", append(args, skipped));
        } else {
            log.warn(format, args);
        }
        logged = true;
        last = now;
        skipped = 0;
    }

    private static Object[] append(Object[] args, Object extra) {
        Object[] out = java.util.Arrays.copyOf(args, args.length + 1);
        out[args.length] = extra;
        return out;
    }
}
