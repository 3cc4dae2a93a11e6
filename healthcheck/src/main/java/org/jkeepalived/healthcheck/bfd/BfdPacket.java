package org.jkeepalived.healthcheck.bfd;

/**
 * The mandatory section of a BFD Control packet (RFC 5880 4.1), 24 bytes. Intervals are in
 * microseconds as on the wire (unsigned 32-bit, kept in a long). Authentication is not supported:
 * a packet with the A bit is rejected on receipt and never sent.
 */
public record BfdPacket(int diag, BfdState state, boolean poll, boolean fin, boolean cpi, boolean demand,
                        int detectMult, long myDisc, long yourDisc, long desiredMinTxUs, long requiredMinRxUs,
                        long requiredMinEchoRxUs) {

    public static final int VERSION = 1;
    public static final int LENGTH = 24;

    /** Diagnostic codes (RFC 5880 4.1). */
    public static final int DIAG_NONE = 0, DIAG_DETECT_EXPIRED = 1, DIAG_NEIGHBOR_DOWN = 3, DIAG_ADMIN_DOWN = 7;

    /** A received packet failed the checks of RFC 5880 6.8.6 (and was discarded). */
    public static final class Invalid extends Exception {
        public Invalid(String why) {
            super(why, null, false, false);
        }
    }

    public byte[] encode() {
        byte[] b = new byte[LENGTH];
        b[0] = (byte) (VERSION << 5 | (diag & 0x1f));
        b[1] = (byte) (state.code << 6 | (poll ? 0x20 : 0) | (fin ? 0x10 : 0) | (cpi ? 0x08 : 0) | (demand ? 0x02 : 0));
        b[2] = (byte) detectMult;
        b[3] = LENGTH;
        put(b, 4, myDisc);
        put(b, 8, yourDisc);
        put(b, 12, desiredMinTxUs);
        put(b, 16, requiredMinRxUs);
        put(b, 20, requiredMinEchoRxUs);
        return b;
    }

    /** Decode and apply the reception checks that need no session (RFC 5880 6.8.6, first part). */
    public static BfdPacket decode(byte[] b, int len) throws Invalid {
        if (len < LENGTH) throw new Invalid("short packet (" + len + " bytes)");
        int version = (b[0] & 0xff) >>> 5;
        if (version != VERSION) throw new Invalid("bad version " + version);
        boolean auth = (b[1] & 0x04) != 0;
        int length = b[3] & 0xff;
        if (length < (auth ? LENGTH + 2 : LENGTH)) throw new Invalid("bad length field " + length);
        if (length > len) throw new Invalid("length field " + length + " beyond the payload (" + len + ")");
        int mult = b[2] & 0xff;
        if (mult == 0) throw new Invalid("detect multiplier 0");
        if ((b[1] & 0x01) != 0) throw new Invalid("multipoint bit set");
        long my = get(b, 4), your = get(b, 8);
        if (my == 0) throw new Invalid("my discriminator 0");
        BfdState state = BfdState.of((b[1] & 0xff) >>> 6);
        if (your == 0 && state != BfdState.DOWN && state != BfdState.ADMIN_DOWN) {
            throw new Invalid("your discriminator 0 in state " + state.label);
        }
        if (auth) throw new Invalid("authentication is not supported");
        return new BfdPacket(b[0] & 0x1f, state, (b[1] & 0x20) != 0, (b[1] & 0x10) != 0, (b[1] & 0x08) != 0,
                (b[1] & 0x02) != 0, mult, my, your, get(b, 12), get(b, 16), get(b, 20));
    }

    private static void put(byte[] b, int off, long v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    private static long get(byte[] b, int off) {
        return ((long) (b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }
}
