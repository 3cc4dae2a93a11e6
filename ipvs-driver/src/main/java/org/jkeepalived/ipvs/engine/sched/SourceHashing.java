package org.jkeepalived.ipvs.engine.sched;

import java.util.List;

/**
 * sh: a 256-bucket table where each server takes {@code weight} consecutive buckets in list order,
 * indexed by hash_32(source address [+ source port with sh-port]). With sh-fallback an unavailable
 * server's clients walk the table from their bucket to the next available server.
 */
public final class SourceHashing implements Scheduler {
    static final int TAB_BITS = 8;
    static final int TAB_SIZE = 1 << TAB_BITS;
    private final DestState[] buckets = new DestState[TAB_SIZE];
    private final boolean fallback;
    private final boolean usePort;

    public SourceHashing(boolean fallback, boolean usePort) {
        this.fallback = fallback;
        this.usePort = usePort;
    }

    @Override public String name() { return "sh"; }

    @Override public void destinationsChanged(List<DestState> dests) {
        int n = dests.size();
        int p = 0;
        int count = 0;
        for (int i = 0; i < TAB_SIZE; i++) {
            if (n == 0) {
                buckets[i] = null;
                continue;
            }
            DestState d = dests.get(p % n);
            buckets[i] = d;
            if (++count >= d.weight()) {
                p++;
                count = 0;
            }
        }
    }

    static int hashKey(ClientKey c, boolean usePort, int offset) {
        int port = usePort ? c.sourcePort() : 0;
        return (offset + Hashes.hash32(port + Hashes.addrFold(c.source()), TAB_BITS)) & (TAB_SIZE - 1);
    }

    private static boolean unavailable(DestState d) {
        return d.weight() <= 0 || d.overloaded();
    }

    @Override public DestState pick(List<DestState> dests, ClientKey client) {
        int ihash = hashKey(client, usePort, 0);
        DestState d = buckets[ihash];
        if (d == null) return null;
        if (!unavailable(d)) return d;
        if (!fallback) return null;
        for (int offset = 0; offset < TAB_SIZE; offset++) {
            int roffset = (offset + ihash) % TAB_SIZE;
            d = buckets[hashKey(client, usePort, roffset)];
            if (d == null) break;
            if (!unavailable(d)) return d;
        }
        return null;
    }
}
