package org.jkeepalived.vrrp.io.nativeio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** rtnetlink message building and parsing (pure: no native calls, unit-tested). Host byte order. */
final class Nl {
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_MULTI = 0x2;
    static final int NLM_F_ACK = 0x4;
    static final int NLM_F_DUMP = 0x300;
    static final int NLM_F_REPLACE = 0x100;
    static final int NLM_F_EXCL = 0x200;
    static final int NLM_F_CREATE = 0x400;

    static final int RTM_NEWLINK = 16;
    static final int RTM_DELLINK = 17;
    static final int RTM_GETLINK = 18;
    static final int RTM_NEWADDR = 20;
    static final int RTM_DELADDR = 21;
    static final int RTM_GETADDR = 22;

    static final int RTMGRP_LINK = 0x1;

    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int IFA_LABEL = 3;
    static final int IFA_BROADCAST = 4;
    static final int IFA_FLAGS = 8;
    static final int IFA_F_NOPREFIXROUTE = 0x200;

    static final int IFLA_ADDRESS = 1;
    static final int IFLA_IFNAME = 3;
    static final int IFLA_OPERSTATE = 16;
    static final int IFLA_CARRIER = 33;

    static final int HDR = 16;

    private Nl() {}

    /** Builds one message: nlmsghdr + fixed part + attributes. */
    static final class Builder {
        private final ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.nativeOrder());

        Builder(int type, int flags, int seq) {
            b.putInt(0).putShort((short) type).putShort((short) flags).putInt(seq).putInt(0);
        }

        Builder u8(int v) {
            b.put((byte) v);
            return this;
        }

        Builder u16(int v) {
            b.putShort((short) v);
            return this;
        }

        Builder u32(int v) {
            b.putInt(v);
            return this;
        }

        Builder attr(int type, byte[] data) {
            int len = 4 + data.length;
            b.putShort((short) len).putShort((short) type).put(data);
            pad();
            return this;
        }

        Builder attrU32(int type, int v) {
            return attr(type, Structs.int32(v));
        }

        Builder attrString(int type, String s) {
            return attr(type, (s + "\0").getBytes(StandardCharsets.UTF_8));
        }

        Builder attrU8(int type, int v) {
            return attr(type, new byte[]{(byte) v});
        }

        /** Opens a nested attribute; close it with {@link #end(int)} and the value returned here. */
        int nest(int type) {
            int start = b.position();
            b.putShort((short) 0).putShort((short) type);
            return start;
        }

        Builder end(int start) {
            pad();
            b.putShort(start, (short) (b.position() - start));
            return this;
        }

        private void pad() {
            while (b.position() % 4 != 0) {
                b.put((byte) 0);
            }
        }

        byte[] build() {
            pad();
            int len = b.position();
            b.putInt(0, len);
            byte[] out = new byte[len];
            System.arraycopy(b.array(), 0, out, 0, len);
            return out;
        }
    }

    /** One parsed message: header fields and its body (everything after nlmsghdr). */
    record Msg(int type, int flags, int seq, int pid, byte[] body) {
        ByteBuffer buf() {
            return ByteBuffer.wrap(body).order(ByteOrder.nativeOrder());
        }

        /** For NLMSG_ERROR: the (negative) errno, 0 for an ack. */
        int error() {
            return body.length >= 4 ? buf().getInt(0) : -1;
        }

        /** Attributes after a fixed part of {@code fixedLen} bytes; later duplicates win. */
        Map<Integer, byte[]> attrs(int fixedLen) {
            Map<Integer, byte[]> m = new LinkedHashMap<>();
            ByteBuffer b = buf();
            int off = align(fixedLen);
            while (off + 4 <= body.length) {
                int len = b.getShort(off) & 0xffff;
                int type = b.getShort(off + 2) & 0x3fff; // strip NLA_F_NESTED / NET_BYTEORDER
                if (len < 4 || off + len > body.length) {
                    break;
                }
                byte[] v = new byte[len - 4];
                System.arraycopy(body, off + 4, v, 0, v.length);
                m.put(type, v);
                off += align(len);
            }
            return m;
        }
    }

    static int align(int n) {
        return (n + 3) & ~3;
    }

    /** Splits a datagram read from a netlink socket into messages. */
    static List<Msg> parse(byte[] data, int len) {
        List<Msg> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(data, 0, len).order(ByteOrder.nativeOrder());
        int off = 0;
        while (off + HDR <= len) {
            int mlen = b.getInt(off);
            if (mlen < HDR || off + mlen > len) {
                break;
            }
            int type = b.getShort(off + 4) & 0xffff;
            int flags = b.getShort(off + 6) & 0xffff;
            int seq = b.getInt(off + 8);
            int pid = b.getInt(off + 12);
            byte[] body = new byte[mlen - HDR];
            System.arraycopy(data, off + HDR, body, 0, body.length);
            out.add(new Msg(type, flags, seq, pid, body));
            off += align(mlen);
        }
        return out;
    }

    static String cString(byte[] v) {
        int n = 0;
        while (n < v.length && v[n] != 0) {
            n++;
        }
        return new String(v, 0, n, StandardCharsets.UTF_8);
    }
}
