package org.jkeepalived.core.config;

import java.net.InetAddress;
import java.time.Duration;

/**
 * bfd_instance NAME { neighbor_ip; source_ip; min_rx; min_tx; idle_tx; multiplier; passive; ttl | hoplimit;
 * max_hops; weight N [reverse]; vrrp; checker }: one single-hop BFD session (RFC 5880/5881).
 *
 * @param sourceIp   null when not given (the kernel picks the source)
 * @param minRx      required min RX interval (man: ms, microsecond resolution; default 10 ms)
 * @param minTx      desired min TX interval (default 10 ms)
 * @param idleTx     desired TX interval while the session is not Up (default 1000 ms)
 * @param ttl        outgoing TTL / hop limit (default 255 for IPv4, 64 for IPv6)
 * @param maxHops    how much the received TTL may be below 255 (0: exactly 255; 255 disables the check;
 *                   -1 is accepted as keepalived does and treated like 255)
 * @param vrrp       events only for VRRP (neither vrrp nor checker given: both get them)
 * @param checker    events only for the checkers
 */
public record BfdInstance(String name, InetAddress neighborIp, InetAddress sourceIp, Duration minRx, Duration minTx,
                          Duration idleTx, int multiplier, boolean passive, int ttl, int maxHops, int weight,
                          boolean weightReverse, boolean vrrp, boolean checker) {

    public static final Duration DEFAULT_MIN_RX = Duration.ofMillis(10);
    public static final Duration DEFAULT_MIN_TX = Duration.ofMillis(10);
    public static final Duration DEFAULT_IDLE_TX = Duration.ofMillis(1000);
    public static final int DEFAULT_MULTIPLIER = 5;

    /** A session with keepalived's defaults for everything but the addresses. */
    public static BfdInstance of(String name, InetAddress neighbor, InetAddress source) {
        return new BfdInstance(name, neighbor, source, DEFAULT_MIN_RX, DEFAULT_MIN_TX, DEFAULT_IDLE_TX,
                DEFAULT_MULTIPLIER, false, neighbor instanceof java.net.Inet6Address ? 64 : 255, 0, 0, false,
                false, false);
    }

    /** Whether VRRP gets this session's events (track_bfd). */
    public boolean forVrrp() {
        return vrrp || !checker;
    }

    /** Whether the checker process gets this session's events. */
    public boolean forChecker() {
        return checker || !vrrp;
    }
}
