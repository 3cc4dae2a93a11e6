package org.jkeepalived.ipvs.engine.sched;

import java.util.List;

/** nq: an idle server (no active connection) at once if there is one, else as sed. */
public final class NeverQueue implements Scheduler {
    @Override public String name() { return "nq"; }

    @Override public DestState pick(List<DestState> dests, ClientKey client) {
        DestState least = null;
        long loh = 0;
        for (DestState d : dests) {
            if (d.overloaded() || d.weight() == 0) continue;
            long doh = d.activeConns() + 1L;
            if (d.activeConns() == 0) return d;
            if (least == null || loh * d.weight() > doh * least.weight()) {
                least = d;
                loh = doh;
            }
        }
        return least;
    }
}
