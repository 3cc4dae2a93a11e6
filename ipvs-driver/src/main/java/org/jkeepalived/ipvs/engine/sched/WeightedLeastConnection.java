package org.jkeepalived.ipvs.engine.sched;

import java.util.List;

/**
 * wlc (and the shared shape of lc, sed, nq): the server with the least overhead/weight, compared as
 * overhead(a) * weight(b) > overhead(b) * weight(a) so ties keep the earlier server.
 */
public class WeightedLeastConnection implements Scheduler {
    @Override public String name() { return "wlc"; }

    /** ip_vs_dest_conn_overhead, or sed's activeconns + 1. */
    protected long overhead(DestState d) {
        return d.overhead();
    }

    @Override public DestState pick(List<DestState> dests, ClientKey client) {
        return leastOverheadPerWeight(dests, this::overhead);
    }

    interface Overhead {
        long of(DestState d);
    }

    static DestState leastOverheadPerWeight(List<DestState> dests, Overhead oh) {
        DestState least = null;
        long loh = 0;
        for (DestState d : dests) {
            if (d.overloaded()) continue;
            if (least == null) {
                if (d.weight() > 0) {
                    least = d;
                    loh = oh.of(d);
                }
                continue;
            }
            long doh = oh.of(d);
            if (loh * d.weight() > doh * least.weight()) {
                least = d;
                loh = doh;
            }
        }
        return least;
    }
}
