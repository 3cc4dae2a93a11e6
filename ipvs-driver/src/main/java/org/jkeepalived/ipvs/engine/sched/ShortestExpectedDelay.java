package org.jkeepalived.ipvs.engine.sched;

/** sed: the least (activeconns + 1) / weight. */
public final class ShortestExpectedDelay extends WeightedLeastConnection {
    @Override public String name() { return "sed"; }

    @Override protected long overhead(DestState d) {
        return d.activeConns() + 1L;
    }
}
