package org.jkeepalived.ipvs.engine.sched;

import java.util.List;

/** ovf: the highest-weight server whose active connections are still below its weight. */
public final class WeightedOverflow implements Scheduler {
    @Override public String name() { return "ovf"; }

    @Override public DestState pick(List<DestState> dests, ClientKey client) {
        DestState best = null;
        int hw = 0;
        for (DestState d : dests) {
            int w = d.weight();
            if (!d.overloaded() && d.activeConns() < w && w > 0 && w > hw) {
                best = d;
                hw = w;
            }
        }
        return best;
    }
}
