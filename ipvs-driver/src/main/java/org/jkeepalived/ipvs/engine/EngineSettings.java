package org.jkeepalived.ipvs.engine;

import java.time.Duration;
import org.jkeepalived.ipvs.engine.sched.MaglevHashing;

/**
 * Knobs of the userspace engine.
 *
 * @param ioThreads          event-loop threads (0 = half the CPUs, at least two where there are two: the
 *                           kernel's own network work, the checkers and VRRP need the rest)
 * @param ioNice             nice value of the event-loop threads (0 = leave as is; a negative value needs
 *                           root). Where the kernel schedules by group (autogroup: one per session;
 *                           systemd: one cgroup per service), nice values only share the group's CPU among
 *                           its threads: the I/O threads against the daemon's checker and VRRP threads,
 *                           not against other processes
 * @param acceptOnEveryLoop  false (the default; property jkeepalived.engine.accept=one): one event loop per
 *                           TCP service listens and accepts, and hands each connection to the least loaded
 *                           loop, HAProxy's way: one accept queue, so no connection waits behind a burst
 *                           the kernel's hash happened to give one loop while another had none queued
 *                           (Connection: close runs: p90/p99 6.1-9.0/8.3-11.9 ms against 7.4-9.3/10.5-13.6
 *                           ms with a listener per loop, seven interleaved rounds). true
 *                           (jkeepalived.engine.accept=every): every native loop has its own listener in
 *                           one SO_REUSEPORT group, for accept rates one thread cannot take
 * @param acceptSteering     with a listener per loop only: true: new TCP connections go to the first event
 *                           loop while it has headroom, to all of them when it is busy
 *                           ({@link AcceptSteering}); false (the default): every loop takes the kernel's
 *                           hash share. Steering leaves a burst of long-lived connections that arrived
 *                           while the first loop was idle on that loop for good (wrk's 64 keep-alive
 *                           connections: p99 3.8-4.9 ms against 3.0-3.6 ms spread, six interleaved runs)
 * @param balanceLoops       an accepted connection goes to the loop holding the fewest connections when the
 *                           accepting loop holds more than one beyond it ({@link LeastLoadedChildGroup});
 *                           false: it stays on the loop that accepted it
 * @param transport          "native" (io_uring, else epoll, else NIO), "io_uring", "epoll" or "nio"; a
 *                           native transport that does not load on this host falls back to the next
 * @param mhTableSize        Maglev table size, one of the kernel's primes (4093 as Debian's kernel)
 * @param failureHoldDown    how long a real server that refused a connection is excluded (beyond IPVS)
 * @param connectTimeout     how long a connection to a real server may take before it counts as failed
 * @param expireQuiescentTemplate the kernel's expire_quiescent_template sysctl: when false (its default)
 *                           a persistent client keeps going to a server set to weight 0
 * @param sweepInterval      how often idle connections, UDP flows and templates are checked
 * @param directRelay        on io_uring, TCP connections are relayed by {@link UringTcpConnection} (plain
 *                           sockets, recv/send through one buffer per loop) rather than by Netty channels
 *                           ({@link TcpConnection}, also what epoll and NIO use); property
 *                           jkeepalived.engine.relay=netty turns it off
 */
public record EngineSettings(int ioThreads, int ioNice, boolean acceptOnEveryLoop, boolean acceptSteering, boolean balanceLoops, String transport, int mhTableSize, Duration failureHoldDown,
                             Duration connectTimeout, boolean expireQuiescentTemplate, Duration sweepInterval,
                             boolean directRelay) {

    public static EngineSettings defaults() {
        return new EngineSettings(Integer.getInteger("jkeepalived.engine.threads", 0),
                Integer.getInteger("jkeepalived.engine.nice", 0),
                acceptOnEveryLoop(System.getProperty("jkeepalived.engine.accept", "one")),
                Boolean.parseBoolean(System.getProperty("jkeepalived.engine.steering", "false")),
                Boolean.parseBoolean(System.getProperty("jkeepalived.engine.balance", "true")),
                System.getProperty("jkeepalived.engine.transport", "native"), MaglevHashing.DEFAULT_TABLE_SIZE, Duration.ofSeconds(10),
                Duration.ofSeconds(5), false, Duration.ofSeconds(1),
                !"netty".equals(System.getProperty("jkeepalived.engine.relay", "direct")));
    }

    public EngineSettings withIoThreads(int n) {
        return new EngineSettings(n, ioNice, acceptOnEveryLoop, acceptSteering, balanceLoops, transport, mhTableSize, failureHoldDown, connectTimeout,
                expireQuiescentTemplate, sweepInterval, directRelay);
    }

    public EngineSettings withIoNice(int nice) {
        return new EngineSettings(ioThreads, nice, acceptOnEveryLoop, acceptSteering, balanceLoops, transport, mhTableSize, failureHoldDown, connectTimeout,
                expireQuiescentTemplate, sweepInterval, directRelay);
    }

    public EngineSettings withAcceptOnEveryLoop(boolean b) {
        return new EngineSettings(ioThreads, ioNice, b, acceptSteering, balanceLoops, transport, mhTableSize, failureHoldDown, connectTimeout,
                expireQuiescentTemplate, sweepInterval, directRelay);
    }

    /** jkeepalived.engine.accept: "one" (one listening loop per TCP service) or "every" (one per loop). */
    static boolean acceptOnEveryLoop(String value) {
        return switch (value) {
            case "one" -> false;
            case "every" -> true;
            default -> throw new IllegalArgumentException("jkeepalived.engine.accept: \"" + value
                    + "\" is neither \"one\" nor \"every\"");
        };
    }

    public EngineSettings withAcceptSteering(boolean b) {
        return new EngineSettings(ioThreads, ioNice, acceptOnEveryLoop, b, balanceLoops, transport, mhTableSize, failureHoldDown, connectTimeout,
                expireQuiescentTemplate, sweepInterval, directRelay);
    }

    public EngineSettings withTransport(String t) {
        return new EngineSettings(ioThreads, ioNice, acceptOnEveryLoop, acceptSteering, balanceLoops, t, mhTableSize, failureHoldDown, connectTimeout,
                expireQuiescentTemplate, sweepInterval, directRelay);
    }

    public EngineSettings withFailureHoldDown(Duration d) {
        return new EngineSettings(ioThreads, ioNice, acceptOnEveryLoop, acceptSteering, balanceLoops, transport, mhTableSize, d, connectTimeout,
                expireQuiescentTemplate, sweepInterval, directRelay);
    }

    public EngineSettings withConnectTimeout(Duration d) {
        return new EngineSettings(ioThreads, ioNice, acceptOnEveryLoop, acceptSteering, balanceLoops, transport, mhTableSize, failureHoldDown, d,
                expireQuiescentTemplate, sweepInterval, directRelay);
    }

    public EngineSettings withExpireQuiescentTemplate(boolean b) {
        return new EngineSettings(ioThreads, ioNice, acceptOnEveryLoop, acceptSteering, balanceLoops, transport, mhTableSize, failureHoldDown, connectTimeout,
                b, sweepInterval, directRelay);
    }

    public EngineSettings withSweepInterval(Duration d) {
        return new EngineSettings(ioThreads, ioNice, acceptOnEveryLoop, acceptSteering, balanceLoops, transport, mhTableSize, failureHoldDown, connectTimeout,
                expireQuiescentTemplate, d, directRelay);
    }

    public EngineSettings withMhTableSize(int size) {
        return new EngineSettings(ioThreads, ioNice, acceptOnEveryLoop, acceptSteering, balanceLoops, transport, size, failureHoldDown, connectTimeout,
                expireQuiescentTemplate, sweepInterval, directRelay);
    }

    public EngineSettings withDirectRelay(boolean b) {
        return new EngineSettings(ioThreads, ioNice, acceptOnEveryLoop, acceptSteering, balanceLoops, transport, mhTableSize, failureHoldDown, connectTimeout,
                expireQuiescentTemplate, sweepInterval, b);
    }
}
