package org.jkeepalived.ipvs.engine;

import java.net.InetSocketAddress;
import org.jkeepalived.core.table.Destination;
import org.jkeepalived.ipvs.engine.sched.DestState;

/** A real server inside the engine: scheduler state plus its socket address, config and counters. */
final class EngineDest extends DestState {
    final InetSocketAddress socketAddress;
    volatile Destination config;
    final StatsCounters stats = new StatsCounters();

    EngineDest(Destination d, int effectivePort) {
        super(d.key(), d.weight(), d.upperThreshold(), d.lowerThreshold());
        this.config = d;
        this.socketAddress = new InetSocketAddress(d.address(), effectivePort);
    }
}
