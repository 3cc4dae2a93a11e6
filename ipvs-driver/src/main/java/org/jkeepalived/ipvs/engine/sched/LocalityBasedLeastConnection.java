package org.jkeepalived.ipvs.engine.sched;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.jkeepalived.core.time.MonotonicClock;

/**
 * lblc: the connection's destination address remembers the server it was sent to; it goes there
 * again unless that server is gone, has weight 0 or is "overloaded" in lblc's sense (more active
 * connections than its weight while some server has under half its weight active), in which case
 * a new server is chosen by overhead/weight and remembered. Entries unused for the expiration
 * (lblc_expiration, 24 h by default) are forgotten.
 */
public final class LocalityBasedLeastConnection implements Scheduler {
    public static final long DEFAULT_EXPIRATION_NANOS = 24L * 3600 * 1_000_000_000L;

    private final MonotonicClock clock;
    private final long expirationNanos;
    private final Map<InetAddress, Entry> table = new HashMap<>();
    private long lastSweep;

    private static final class Entry {
        DestState dest;
        long lastUse;
    }

    public LocalityBasedLeastConnection(MonotonicClock clock, long expirationNanos) {
        this.clock = clock;
        this.expirationNanos = expirationNanos;
        this.lastSweep = clock.nanoTime();
    }

    @Override public String name() { return "lblc"; }

    public int entries() { return table.size(); }

    @Override public DestState pick(List<DestState> dests, ClientKey client) {
        long now = clock.nanoTime();
        expire(now);
        Entry en = table.get(client.destination());
        if (en != null) {
            en.lastUse = now;
            DestState d = en.dest;
            if (d.available() && d.weight() > 0 && !isOverloaded(d, dests)) return d;
        }
        DestState d = WeightedLeastConnection.leastOverheadPerWeight(dests, DestState::overhead);
        if (d == null) return null;
        if (en == null) {
            en = new Entry();
            en.lastUse = now;
            table.put(client.destination(), en);
        }
        en.dest = d;
        return d;
    }

    /** lblc's own overload test, besides IP_VS_DEST_F_OVERLOAD. */
    static boolean isOverloaded(DestState dest, List<DestState> dests) {
        if (dest.activeConns() > dest.weight()) {
            for (DestState d : dests) {
                if (d.activeConns() * 2 < d.weight()) return true;
            }
        }
        return false;
    }

    private void expire(long now) {
        if (now - lastSweep < Math.min(expirationNanos, 60_000_000_000L)) return;
        lastSweep = now;
        for (Iterator<Entry> it = table.values().iterator(); it.hasNext(); ) {
            if (now - it.next().lastUse >= expirationNanos) it.remove();
        }
    }

    @Override public void destinationsChanged(List<DestState> dests) {
        // entries naming a removed server are re-scheduled on their next use (AVAILABLE is cleared)
    }
}
