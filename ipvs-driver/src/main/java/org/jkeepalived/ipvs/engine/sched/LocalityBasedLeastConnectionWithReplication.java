package org.jkeepalived.ipvs.engine.sched;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.jkeepalived.core.time.MonotonicClock;

/**
 * lblcr: like lblc but a destination address maps to a set of servers. The least loaded member
 * (overhead/weight) serves the connection; when it is overloaded (lblc's test) a new least-loaded
 * server of the whole service joins the set; a set with several members that has not changed for
 * the expiration time drops its most loaded member.
 */
public final class LocalityBasedLeastConnectionWithReplication implements Scheduler {
    private final MonotonicClock clock;
    private final long expirationNanos;
    private final Map<InetAddress, Entry> table = new HashMap<>();
    private long lastSweep;

    private static final class Entry {
        final List<DestState> set = new ArrayList<>();
        long lastMod;
        long lastUse;
    }

    public LocalityBasedLeastConnectionWithReplication(MonotonicClock clock, long expirationNanos) {
        this.clock = clock;
        this.expirationNanos = expirationNanos;
        this.lastSweep = clock.nanoTime();
    }

    @Override public String name() { return "lblcr"; }

    /** The servers replicated for a destination address (for tests and dumps). */
    public List<DestState> set(InetAddress daddr) {
        Entry en = table.get(daddr);
        return en == null ? List.of() : List.copyOf(en.set);
    }

    @Override public DestState pick(List<DestState> dests, ClientKey client) {
        long now = clock.nanoTime();
        expire(now);
        Entry en = table.get(client.destination());
        if (en != null) {
            en.lastUse = now;
            en.set.removeIf(d -> !d.available());
            DestState d = setMin(en.set);
            if (en.set.size() > 1 && now - en.lastMod > expirationNanos) {
                DestState m = setMax(en.set);
                if (m != null) en.set.remove(m);
                en.lastMod = now;
            }
            if (d != null && !LocalityBasedLeastConnection.isOverloaded(d, dests)) return d;
            d = WeightedLeastConnection.leastOverheadPerWeight(dests, DestState::overhead);
            if (d == null) return null;
            if (!en.set.contains(d)) {
                en.set.add(d);
                en.lastMod = now;
            }
            return d;
        }
        DestState d = WeightedLeastConnection.leastOverheadPerWeight(dests, DestState::overhead);
        if (d == null) return null;
        en = new Entry();
        en.set.add(d);
        en.lastMod = now;
        en.lastUse = now;
        table.put(client.destination(), en);
        return d;
    }

    /** ip_vs_dest_set_min: least overhead/weight among members with weight above 0, not overloaded. */
    private static DestState setMin(List<DestState> set) {
        DestState least = null;
        long loh = 0;
        for (DestState d : set) {
            if (d.overloaded()) continue;
            if (least == null) {
                if (d.weight() > 0 && d.available()) {
                    least = d;
                    loh = d.overhead();
                }
                continue;
            }
            long doh = d.overhead();
            if (loh * d.weight() > doh * least.weight()) {
                least = d;
                loh = doh;
            }
        }
        return least;
    }

    /** ip_vs_dest_set_max: most overhead/weight. */
    private static DestState setMax(List<DestState> set) {
        if (set.isEmpty()) return null;
        DestState most = set.get(0);
        long moh = most.overhead();
        for (int i = 1; i < set.size(); i++) {
            DestState d = set.get(i);
            long doh = d.overhead();
            if (moh * d.weight() < doh * most.weight() && d.weight() > 0) {
                most = d;
                moh = doh;
            }
        }
        return most;
    }

    private void expire(long now) {
        if (now - lastSweep < Math.min(expirationNanos, 60_000_000_000L)) return;
        lastSweep = now;
        for (Iterator<Entry> it = table.values().iterator(); it.hasNext(); ) {
            if (now - it.next().lastUse >= expirationNanos) it.remove();
        }
    }
}
