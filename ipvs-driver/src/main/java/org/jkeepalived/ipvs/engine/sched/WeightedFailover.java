package org.jkeepalived.ipvs.engine.sched;

import java.util.List;

/** fo: the available server with the highest weight (the first of equals). */
public final class WeightedFailover implements Scheduler {
    @Override public String name() { return "fo"; }

    @Override public DestState pick(List<DestState> dests, ClientKey client) {
        DestState best = null;
        int hw = 0;
        for (DestState d : dests) {
            if (!d.overloaded() && d.weight() > hw) {
                best = d;
                hw = d.weight();
            }
        }
        return best;
    }
}
