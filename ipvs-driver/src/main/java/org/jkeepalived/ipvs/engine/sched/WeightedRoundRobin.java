package org.jkeepalived.ipvs.engine.sched;

import java.util.List;

/**
 * wrr as ip_vs_wrr.c: a current weight {@code cw} steps down from the maximum weight by the gcd of
 * the weights; each pass over the list picks the servers whose weight is at least {@code cw}.
 * Weights 4:3:2 give A A B A B C A B C.
 */
public final class WeightedRoundRobin implements Scheduler {
    /** Index of the current list position; -1 is the list head. */
    private int cl = -1;
    private int cw;
    private int mw;
    private int di = 1;

    @Override public String name() { return "wrr"; }

    @Override public void destinationsChanged(List<DestState> dests) {
        cl = -1;
        di = gcdWeight(dests);
        mw = maxWeight(dests) - (di - 1);
        // the kernel's ip_vs_wrr_dest_changed; a service starts with cw = mw = 0 and its servers
        // arrive one by one, so the first pass after adding 4:3:2 one at a time runs with cw = 1
        if (cw > mw || cw == 0) {
            cw = mw;
        } else if (di > 1) {
            cw = (cw / di) * di + 1;
        }
    }

    @Override public DestState pick(List<DestState> dests, ClientKey client) {
        int n = dests.size();
        if (mw == 0 || n == 0) return null;
        int pos = cl;
        int last = cl;
        int stop = Integer.MIN_VALUE;
        boolean lastPass = false;
        boolean restarted = false;
        while (true) {
            // continue the walk after pos up to the end of the list
            for (pos = pos + 1; pos < n; pos++) {
                DestState d = dests.get(pos);
                if (!d.overloaded() && d.weight() >= cw) {
                    cl = pos;
                    return d;
                }
                if (pos == stop) {
                    cl = pos;
                    return null;
                }
            }
            pos = -1;
            cw -= di;
            if (cw <= 0) {
                cw = mw;
                if (lastPass || last == -1) {
                    cl = -1;
                    return null;
                }
                restarted = true;
            }
            lastPass = cw <= di;
            if (lastPass && restarted && last != -1) stop = last;
        }
    }

    private static int gcdWeight(List<DestState> dests) {
        int g = 0;
        for (DestState d : dests) {
            int w = d.weight();
            if (w > 0) g = g > 0 ? Hashes.gcd(w, g) : w;
        }
        return g > 0 ? g : 1;
    }

    private static int maxWeight(List<DestState> dests) {
        int m = 0;
        for (DestState d : dests) m = Math.max(m, d.weight());
        return m;
    }
}
