package org.jkeepalived.ipvs.engine.sched;

import java.util.BitSet;
import java.util.List;

/**
 * mh: Maglev consistent hashing as ip_vs_mh.c. Each server gets a permutation of the table slots
 * (offset and skip from hsiphash of its address+port under two fixed keys); servers take turns
 * (weight / gcd, shifted so the largest fits in the index bits) claiming their next free preferred
 * slot until the table (a prime size, 4093 by default as the kernel's) is full. A client is looked up
 * by hsiphash of its source address [+ port with mh-port]; weight 0 keeps the table (last_weight) and
 * mh-fallback walks on from an unavailable server.
 */
public final class MaglevHashing implements Scheduler {
    public static final int[] PRIMES = {251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521, 131071};
    public static final int DEFAULT_TABLE_SIZE = 4093;
    private static final long HASH1 = 2654435761L;
    private static final long HASH2 = 2654446892L;

    private final int size;
    private final int tabBits;
    private final boolean fallback;
    private final boolean usePort;
    private DestState[] lookup;

    public MaglevHashing(int tableSize, boolean fallback, boolean usePort) {
        int idx = -1;
        for (int i = 0; i < PRIMES.length; i++) if (PRIMES[i] == tableSize) idx = i;
        if (idx < 0) throw new IllegalArgumentException("mh table size must be one of the kernel's primes "
                + java.util.Arrays.toString(PRIMES) + ", not " + tableSize);
        this.size = tableSize;
        // the kernel's IP_VS_MH_TAB_BITS = CONFIG_IP_VS_MH_TAB_INDEX / 2, where the index is idx + 8
        this.tabBits = (idx + 8) / 2;
        this.fallback = fallback;
        this.usePort = usePort;
        this.lookup = new DestState[size];
    }

    @Override public String name() { return "mh"; }

    public int tableSize() { return size; }

    /** The table as built (for tests). */
    public DestState[] table() { return lookup.clone(); }

    static int hashKey(java.net.InetAddress addr, int port, long key, int offset) {
        return Hashes.hsiphash32(offset + port + Hashes.addrFold(addr), key, key);
    }

    private static long unsigned(int v) {
        return v & 0xffffffffL;
    }

    @Override public void destinationsChanged(List<DestState> dests) {
        int n = dests.size();
        int g = 0;
        int maxW = 0;
        for (DestState d : dests) {
            int w = d.lastWeight();
            if (w > 0) g = g > 0 ? Hashes.gcd(w, g) : w;
            maxW = Math.max(maxW, w);
        }
        DestState[] table = new DestState[size];
        if (g < 1) {
            lookup = table;
            return;
        }
        int shift = Math.max(0, (32 - Integer.numberOfLeadingZeros(maxW / g)) - tabBits);
        int[] perm = new int[n];
        int[] skip = new int[n];
        int[] turns = new int[n];
        for (int i = 0; i < n; i++) {
            DestState d = dests.get(i);
            int offset = (int) (unsigned(hashKey(d.address(), d.port(), HASH1, 0)) % size);
            skip[i] = (int) (unsigned(hashKey(d.address(), d.port(), HASH2, 0)) % (size - 1)) + 1;
            perm[i] = offset;
            int lw = d.lastWeight();
            int t = (lw / g) >> shift;
            turns[i] = t != 0 ? t : (lw != 0 ? 1 : 0);
        }
        BitSet taken = new BitSet(size);
        int filled = 0;
        int dtCount = 0;
        int i = 0;
        while (filled < size) {
            if (i >= n) i = 0;
            if (turns[i] < 1) {
                i++;
                // a pass without any server with turns would never end; g >= 1 guarantees one exists
                continue;
            }
            int c = perm[i];
            while (taken.get(c)) {
                perm[i] += skip[i];
                if (perm[i] >= size) perm[i] -= size;
                c = perm[i];
            }
            taken.set(c);
            table[c] = dests.get(i);
            if (++filled == size) break;
            if (++dtCount >= turns[i]) {
                dtCount = 0;
                i++;
            }
        }
        lookup = table;
    }

    private static boolean unavailable(DestState d) {
        return d.weight() <= 0 || d.overloaded();
    }

    @Override public DestState pick(List<DestState> dests, ClientKey client) {
        int port = usePort ? client.sourcePort() : 0;
        int ihash = (int) (unsigned(hashKey(client.source(), port, HASH1, 0)) % size);
        DestState d = lookup[ihash];
        if (d == null) return null;
        if (!unavailable(d)) return d;
        if (!fallback) return null;
        for (int offset = 0; offset < size; offset++) {
            int roffset = (offset + ihash) % size;
            int h = (int) (unsigned(hashKey(client.source(), port, HASH1, roffset)) % size);
            d = lookup[h];
            if (d == null) break;
            if (!unavailable(d)) return d;
        }
        return null;
    }
}
