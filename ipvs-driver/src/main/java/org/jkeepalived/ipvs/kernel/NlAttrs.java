package org.jkeepalived.ipvs.kernel;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The attributes found in one region of a netlink message, indexed by type (NLA_TYPE_MASK applied,
 * so the NLA_F_NESTED / NLA_F_NET_BYTEORDER bits do not matter). Unknown types beyond the table are
 * ignored, as the kernel's own parser does.
 */
public final class NlAttrs {
    private static final int NLA_TYPE_MASK = ~(0x8000 | 0x4000) & 0xFFFF;
    private static final int MAX = 32;

    private final ByteBuffer bb;
    private final int[] off = new int[MAX];
    private final int[] len = new int[MAX];

    private NlAttrs(ByteBuffer bb) {
        this.bb = bb;
        Arrays.fill(off, -1);
    }

    /** Parses attributes in bb[start, end). bb must be in host byte order. */
    public static NlAttrs parse(ByteBuffer bb, int start, int end) {
        NlAttrs a = new NlAttrs(bb);
        int p = start;
        while (p + NlWriter.NLA_HDRLEN <= end) {
            int l = bb.getShort(p) & 0xFFFF;
            int t = bb.getShort(p + 2) & NLA_TYPE_MASK;
            if (l < NlWriter.NLA_HDRLEN || p + l > end) break;
            if (t < MAX) {
                a.off[t] = p + NlWriter.NLA_HDRLEN;
                a.len[t] = l - NlWriter.NLA_HDRLEN;
            }
            p += (l + 3) & ~3;
        }
        return a;
    }

    public boolean has(int type) { return type < MAX && off[type] >= 0; }

    public int length(int type) { return has(type) ? len[type] : -1; }

    public int u8(int type, int dflt) { return has(type) && len[type] >= 1 ? bb.get(off[type]) & 0xFF : dflt; }

    public int u16(int type, int dflt) { return has(type) && len[type] >= 2 ? bb.getShort(off[type]) & 0xFFFF : dflt; }

    public int be16(int type, int dflt) {
        if (!has(type) || len[type] < 2) return dflt;
        return ((bb.get(off[type]) & 0xFF) << 8) | (bb.get(off[type] + 1) & 0xFF);
    }

    public int u32(int type, int dflt) { return has(type) && len[type] >= 4 ? bb.getInt(off[type]) : dflt; }

    public long u64(int type, long dflt) { return has(type) && len[type] >= 8 ? bb.getLong(off[type]) : dflt; }

    /** A counter that may come as u32 (IPVS_*_ATTR_STATS) or u64 (STATS64). */
    public long uint(int type, long dflt) {
        if (!has(type)) return dflt;
        if (len[type] >= 8) return bb.getLong(off[type]);
        if (len[type] >= 4) return bb.getInt(off[type]) & 0xFFFFFFFFL;
        return dflt;
    }

    public byte[] bytes(int type) {
        if (!has(type)) return null;
        byte[] b = new byte[len[type]];
        bb.get(off[type], b);
        return b;
    }

    /** A NUL-terminated string, without its terminator. */
    public String string(int type) {
        byte[] b = bytes(type);
        if (b == null) return null;
        int n = 0;
        while (n < b.length && b[n] != 0) n++;
        return new String(b, 0, n, StandardCharsets.US_ASCII);
    }

    public NlAttrs nested(int type) {
        if (!has(type)) return null;
        return parse(bb, off[type], off[type] + len[type]);
    }
}
