package org.jkeepalived.ipvs.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds netlink messages in host byte order (x86/arm little-endian): nlmsghdr, genlmsghdr and
 * attributes padded to 4 bytes (NLA_ALIGN), nested attributes with their length fixed up on close.
 * Several messages may follow each other in one buffer: one sendmsg then carries them all.
 */
public final class NlWriter {
    static final int NLMSG_HDRLEN = 16;
    static final int NLA_HDRLEN = 4;
    static final int GENL_HDRLEN = 4;

    private byte[] buf;
    private ByteBuffer bb;
    private int msgStart = -1;
    private int messages;

    public NlWriter(int capacity) {
        buf = new byte[Math.max(64, capacity)];
        bb = ByteBuffer.wrap(buf).order(ByteOrder.nativeOrder());
    }

    public NlWriter() {
        this(4096);
    }

    /** Starts a generic netlink message: nlmsghdr(type = family id, flags, seq, pid 0) + genlmsghdr(cmd, version). */
    public NlWriter beginGenl(int family, int flags, int seq, int cmd, int version) {
        if (msgStart >= 0) throw new IllegalStateException("message not ended");
        ensure(NLMSG_HDRLEN + GENL_HDRLEN);
        msgStart = bb.position();
        bb.putInt(0).putShort((short) family).putShort((short) flags).putInt(seq).putInt(0);
        bb.put((byte) cmd).put((byte) version).putShort((short) 0);
        return this;
    }

    /** Fixes nlmsg_len of the current message. */
    public NlWriter end() {
        align();
        bb.putInt(msgStart, bb.position() - msgStart);
        msgStart = -1;
        messages++;
        return this;
    }

    public NlWriter attr(int type, byte[] payload) {
        int len = NLA_HDRLEN + payload.length;
        ensure(len + 3);
        bb.putShort((short) len).putShort((short) type).put(payload);
        align();
        return this;
    }

    public NlWriter u8(int type, int v) { return attr(type, new byte[] {(byte) v}); }

    public NlWriter u16(int type, int v) {
        ensure(8);
        bb.putShort((short) 6).putShort((short) type).putShort((short) v);
        align();
        return this;
    }

    /** A 16-bit value in network byte order (ports). */
    public NlWriter be16(int type, int v) {
        return attr(type, new byte[] {(byte) (v >>> 8), (byte) v});
    }

    public NlWriter u32(int type, int v) {
        ensure(8);
        bb.putShort((short) 8).putShort((short) type).putInt(v);
        return this;
    }

    /** Two host-order u32 in one attribute (struct ip_vs_flags: flags, mask). */
    public NlWriter u32pair(int type, int a, int b) {
        ensure(12);
        bb.putShort((short) 12).putShort((short) type).putInt(a).putInt(b);
        return this;
    }

    public NlWriter u64(int type, long v) {
        ensure(12);
        bb.putShort((short) 12).putShort((short) type).putLong(v);
        return this;
    }

    /** A NUL-terminated string (NLA_NUL_STRING). */
    public NlWriter string(int type, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return attr(type, Arrays.copyOf(b, b.length + 1));
    }

    /** Opens a nested attribute; pass the returned mark to {@link #endNest(int)}. */
    public int beginNest(int type) {
        ensure(NLA_HDRLEN);
        int mark = bb.position();
        bb.putShort((short) 0).putShort((short) type);
        return mark;
    }

    public NlWriter endNest(int mark) {
        bb.putShort(mark, (short) (bb.position() - mark));
        return this;
    }

    public int length() { return bb.position(); }

    public int messageCount() { return messages; }

    public byte[] array() { return buf; }

    public byte[] toByteArray() { return Arrays.copyOf(buf, bb.position()); }

    public void reset() {
        bb.clear();
        msgStart = -1;
        messages = 0;
    }

    private void align() {
        int pad = (4 - (bb.position() & 3)) & 3;
        ensure(pad);
        for (int i = 0; i < pad; i++) bb.put((byte) 0);
    }

    private void ensure(int more) {
        if (bb.remaining() >= more) return;
        int pos = bb.position();
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more + 64));
        bb = ByteBuffer.wrap(buf).order(ByteOrder.nativeOrder());
        bb.position(pos);
    }
}
