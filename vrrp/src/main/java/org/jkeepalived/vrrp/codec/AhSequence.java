package org.jkeepalived.vrrp.codec;

/**
 * The IPsec AH sequence number of one VRRP instance, kept as keepalived 2.2.7 keeps it (observed in
 * network namespaces with injected packets): one counter per instance, shared by sending and
 * receiving.
 * <ul>
 * <li>Each sent advert carries the counter incremented first (a fresh instance sends 1, 2, ...).</li>
 * <li>A received advert whose ICV is good is accepted only if its number is strictly greater
 *     than the counter ("sequence number N already processed. Packet dropped. Local(C)", counted
 *     as {@code auth_failure}); the counter then takes that number, even when a later check
 *     (address list, interval) drops the advert. So a backup that takes over continues after the
 *     last master's numbers, and a restarted sender is not heard until its numbers pass the
 *     peer's counter (keepalived peers behave the same).</li>
 * <li>After 2^32 - 1 the counter wraps to 0 and the next received number is accepted whatever it
 *     is (not observed: it takes 136 years at one advert per second).</li>
 * </ul>
 * Not thread-safe: the engine uses it on its scheduler thread.
 */
public final class AhSequence {
    static final long MAX = 0xffffffffL;
    private long counter;
    private boolean cycle;

    /** The number for the next sent advert. */
    public long next() {
        if (counter == MAX) {
            counter = 0;
            cycle = true;
        } else {
            counter++;
        }
        return counter;
    }

    /** Checks a received (ICV-verified) number and takes it when accepted; false means a replay. */
    public boolean accept(long sequence) {
        if (sequence > counter || cycle) {
            counter = sequence & MAX;
            cycle = false;
            return true;
        }
        return false;
    }

    /** The counter: the last number sent or accepted. */
    public long current() {
        return counter;
    }
}
