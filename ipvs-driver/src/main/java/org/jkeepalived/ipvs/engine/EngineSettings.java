package org.jkeepalived.ipvs.engine;

import java.time.Duration;
import org.jkeepalived.ipvs.engine.sched.MaglevHashing;

/**
 * Knobs of the userspace engine.
 *
 * @param ioThreads          event-loop threads (0 = number of CPUs)
 * @param preferEpoll        use the native epoll transport when it loads, else NIO
 * @param mhTableSize        Maglev table size, one of the kernel's primes (4093 as Debian's kernel)
 * @param failureHoldDown    how long a real server that refused a connection is excluded (beyond IPVS)
 * @param connectTimeout     how long a connection to a real server may take before it counts as failed
 * @param expireQuiescentTemplate the kernel's expire_quiescent_template sysctl: when false (its default)
 *                           a persistent client keeps going to a server set to weight 0
 * @param sweepInterval      how often idle connections, UDP flows and templates are checked
 */
public record EngineSettings(int ioThreads, boolean preferEpoll, int mhTableSize, Duration failureHoldDown,
                             Duration connectTimeout, boolean expireQuiescentTemplate, Duration sweepInterval) {

    public static EngineSettings defaults() {
        return new EngineSettings(0, true, MaglevHashing.DEFAULT_TABLE_SIZE, Duration.ofSeconds(10),
                Duration.ofSeconds(5), false, Duration.ofSeconds(1));
    }

    public EngineSettings withIoThreads(int n) {
        return new EngineSettings(n, preferEpoll, mhTableSize, failureHoldDown, connectTimeout,
                expireQuiescentTemplate, sweepInterval);
    }

    public EngineSettings withPreferEpoll(boolean e) {
        return new EngineSettings(ioThreads, e, mhTableSize, failureHoldDown, connectTimeout,
                expireQuiescentTemplate, sweepInterval);
    }

    public EngineSettings withFailureHoldDown(Duration d) {
        return new EngineSettings(ioThreads, preferEpoll, mhTableSize, d, connectTimeout,
                expireQuiescentTemplate, sweepInterval);
    }

    public EngineSettings withExpireQuiescentTemplate(boolean b) {
        return new EngineSettings(ioThreads, preferEpoll, mhTableSize, failureHoldDown, connectTimeout,
                b, sweepInterval);
    }

    public EngineSettings withSweepInterval(Duration d) {
        return new EngineSettings(ioThreads, preferEpoll, mhTableSize, failureHoldDown, connectTimeout,
                expireQuiescentTemplate, d);
    }


    public EngineSettings withMhTableSize(int size) {
        return new EngineSettings(ioThreads, preferEpoll, size, failureHoldDown, connectTimeout,
                expireQuiescentTemplate, sweepInterval);
    }
}
