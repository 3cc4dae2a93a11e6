package org.jkeepalived.ipvs.engine.sched;

import java.util.List;

/** lc: the server with the least overhead (activeconns*256 + inactconns), weight only as 0 = off. */
public final class LeastConnection implements Scheduler {
    @Override public String name() { return "lc"; }

    @Override public DestState pick(List<DestState> dests, ClientKey client) {
        DestState least = null;
        int loh = 0;
        for (DestState d : dests) {
            if (d.overloaded() || d.weight() == 0) continue;
            int doh = d.overhead();
            if (least == null || doh < loh) {
                least = d;
                loh = doh;
            }
        }
        return least;
    }
}
