package org.jkeepalived.ipvs.engine.sched;

import java.util.List;

/** rr: the next server after the last one chosen that is not overloaded and has weight above 0. */
public final class RoundRobin implements Scheduler {
    private DestState last;
    private int lastIndex = -1;

    @Override public String name() { return "rr"; }

    @Override public DestState pick(List<DestState> dests, ClientKey client) {
        int n = dests.size();
        if (n == 0) return null;
        int start = positionOfLast(dests);
        for (int i = 1; i <= n; i++) {
            int idx = Math.floorMod(start + i, n);
            DestState d = dests.get(idx);
            if (!d.overloaded() && d.weight() > 0) {
                last = d;
                lastIndex = idx;
                return d;
            }
        }
        return null;
    }

    /** Where the list walk resumes; when the last server was removed, from the slot before it (ip_vs_rr_del_dest). */
    private int positionOfLast(List<DestState> dests) {
        if (last == null) return -1;
        int idx = dests.indexOf(last);
        if (idx >= 0) return idx;
        return Math.min(lastIndex, dests.size()) - 1;
    }

    @Override public void destinationsChanged(List<DestState> dests) {
        if (last != null) {
            int idx = dests.indexOf(last);
            if (idx >= 0) lastIndex = idx;
            else {
                lastIndex = Math.max(-1, Math.min(lastIndex, dests.size()) - 1);
                last = lastIndex >= 0 ? dests.get(lastIndex) : null;
            }
        }
    }
}
