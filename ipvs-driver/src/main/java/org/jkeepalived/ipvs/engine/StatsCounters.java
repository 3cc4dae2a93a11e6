package org.jkeepalived.ipvs.engine;

import java.util.concurrent.atomic.LongAdder;
import org.jkeepalived.ipvs.LvsBackend;

/**
 * Counters of a service or a real server, ipvsadm --stats meanings: conns scheduled, "packets" and
 * bytes in (client to server) and out. A TCP proxy does not see packets: a packet here is one read
 * from a socket (one segment batch), an approximation; for UDP it is exact (one datagram).
 */
final class StatsCounters {
    final LongAdder conns = new LongAdder();
    final LongAdder inPackets = new LongAdder();
    final LongAdder outPackets = new LongAdder();
    final LongAdder inBytes = new LongAdder();
    final LongAdder outBytes = new LongAdder();
    private final Estimator estimator = new Estimator();

    void in(int bytes) {
        inPackets.increment();
        inBytes.add(bytes);
    }

    void out(int bytes) {
        outPackets.increment();
        outBytes.add(bytes);
    }

    void tick() {
        estimator.tick(conns.sum(), inPackets.sum(), outPackets.sum(), inBytes.sum(), outBytes.sum());
    }

    LvsBackend.Counters snapshot() {
        return estimator.counters(conns.sum(), inPackets.sum(), outPackets.sum(), inBytes.sum(), outBytes.sum());
    }
}
