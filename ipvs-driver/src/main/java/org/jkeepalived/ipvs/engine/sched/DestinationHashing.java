package org.jkeepalived.ipvs.engine.sched;

import java.util.List;

/**
 * dh: a 256-bucket table filled with the servers in list order (weights ignored), indexed by
 * hash_32 of the connection's destination address. In the userspace engine that address is the
 * service's own, so every client of one service lands on one server: the kernel's meaning, kept.
 */
public final class DestinationHashing implements Scheduler {
    static final int TAB_BITS = 8;
    private final DestState[] buckets = new DestState[1 << TAB_BITS];

    @Override public String name() { return "dh"; }

    @Override public void destinationsChanged(List<DestState> dests) {
        int n = dests.size();
        for (int i = 0; i < buckets.length; i++) buckets[i] = n == 0 ? null : dests.get(i % n);
    }

    @Override public DestState pick(List<DestState> dests, ClientKey client) {
        DestState d = buckets[Hashes.hash32(Hashes.addrFold(client.destination()), TAB_BITS)];
        if (d == null || !d.available() || d.weight() <= 0 || d.overloaded()) return null;
        return d;
    }
}
