package org.jkeepalived.vrrp.codec;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * VRRP v2 / v3 advertisement encoder and decoder (pure: byte arrays in and out).
 *
 * <p>Checksums: v2 over the VRRP message only (RFC 3768 5.3.8); v3 with the IPv4 pseudo-header
 * (source, destination, zero, protocol 112, VRRP length) or the IPv6 one (RFC 2460 8.1) as RFC 5798
 * 5.2.8 says.
 *
 * <p>VRRPv2 over IPv6 (not in any RFC; keepalived sends it for an IPv6 vrrp_instance given
 * {@code version 2} outside strict mode): the v2 header (auth type, interval in seconds), the IPv6
 * addresses, no authentication data, and the IPv6 pseudo-header checksum, which keepalived leaves to
 * the kernel (IPV6_CHECKSUM). On receive, v3 over IPv4 also accepts keepalived's old unicast variant (pseudo-header
 * with 224.0.0.18 as destination, its {@code old_unicast_checksum}) and the variant without any
 * pseudo-header (some other stacks), and reports which one matched ({@link ChecksumVariant}).
 *
 * <p>Authentication: v2 types 0 (none), 1 (simple text password) and 2 (IPsec AH) are encoded
 * and decoded; the password comparison is the instance layer's job. For AH this class encodes
 * and decodes the bare VRRP message (auth type 2, zero authentication data); the AH header, the
 * IPv4 header it covers and the ICV are {@link IpsecAh}'s, and {@link #decodeIpv4Packet} hands
 * IP protocol 51 to it (without checking the ICV, which needs the instance's key).
 *
 * <p>Decoding never throws on bad input: every problem is a {@link DecodeResult} with a
 * {@link RejectReason}.
 */
public final class VrrpCodec {
    public static final int IPPROTO_VRRP = 112;
    public static final int IPPROTO_AH = 51;
    /** Required TTL / hop limit of a received multicast advertisement. */
    public static final int REQUIRED_TTL = 255;
    /** Pass as {@code ttl} to skip the TTL check (unicast peers with min_ttl/max_ttl, unknown hop limit). */
    public static final int TTL_UNCHECKED = -1;
    static final int HEADER_LEN = 8;
    /** The VRRP multicast groups (224.0.0.18, ff02::12). */
    public static final InetAddress MCAST4 = fixed(new byte[] {(byte) 224, 0, 0, 18});
    public static final InetAddress MCAST6 = fixed(new byte[] {(byte) 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12});

    private VrrpCodec() {
    }

    /** Encodes with the RFC checksum (v3: with the pseudo-header). */
    public static byte[] encode(VrrpPacket p, InetAddress src, InetAddress dst) {
        return encode(p, src, dst, false);
    }

    /**
     * Encodes {@code p} as a VRRP payload (no IP header), computing the checksum; {@code count} is
     * taken from the address list. {@code oldUnicastChecksum}: for v3 over IPv4, put the
     * multicast group in place of the unicast destination in the pseudo-header (keepalived's
     * {@code old_unicast_checksum}, {@link ChecksumVariant#V3_OLD_UNICAST}).
     *
     * @throws IllegalArgumentException on a field out of range or mixed address families
     */
    public static byte[] encode(VrrpPacket p, InetAddress src, InetAddress dst, boolean oldUnicastChecksum) {
        if (p.version() != 2 && p.version() != 3) throw new IllegalArgumentException("version " + p.version());
        check(p.type(), 0, 15, "type");
        check(p.vrid(), 1, 255, "vrid");
        check(p.priority(), 0, 255, "priority");
        check(p.addresses().size(), 0, 255, "address count");
        boolean v6 = src instanceof Inet6Address;
        if (src == null || dst == null) throw new IllegalArgumentException("source and destination are needed");
        if ((dst instanceof Inet6Address) != v6) throw new IllegalArgumentException("mixed address families");
        int alen = v6 ? 16 : 4;
        for (InetAddress a : p.addresses()) {
            if ((a instanceof Inet6Address) != v6) {
                throw new IllegalArgumentException("address " + a.getHostAddress() + " is not of the packet's family");
            }
        }
        boolean authData = p.version() == 2 && !v6;
        int len = HEADER_LEN + alen * p.addresses().size() + (authData ? VrrpPacket.AUTH_DATA_LEN : 0);
        byte[] b = new byte[len];
        b[0] = (byte) ((p.version() << 4) | p.type());
        b[1] = (byte) p.vrid();
        b[2] = (byte) p.priority();
        b[3] = (byte) p.addresses().size();
        if (p.version() == 2) {
            check(p.authType(), 0, 255, "auth type");
            check(p.rawAdvertInterval(), 1, 255, "advert interval (s)");
            b[4] = (byte) p.authType();
            b[5] = (byte) p.rawAdvertInterval();
        } else {
            check(p.advertIntervalCentis(), 1, 4095, "advert interval (cs)");
            b[4] = (byte) (p.advertIntervalCentis() >> 8);
            b[5] = (byte) p.advertIntervalCentis();
        }
        int off = HEADER_LEN;
        for (InetAddress a : p.addresses()) {
            System.arraycopy(a.getAddress(), 0, b, off, alen);
            off += alen;
        }
        if (authData) {
            byte[] auth = p.authData();
            if (auth != null) System.arraycopy(auth, 0, b, off, Math.min(auth.length, VrrpPacket.AUTH_DATA_LEN));
        }
        ChecksumVariant variant = p.version() == 2 && !v6 ? ChecksumVariant.V2_MESSAGE_ONLY
                : (oldUnicastChecksum && !v6 ? ChecksumVariant.V3_OLD_UNICAST : ChecksumVariant.V3_PSEUDO_HEADER);
        int sum = checksum(b, 0, len, variant, src, dst);
        b[6] = (byte) (sum >> 8);
        b[7] = (byte) sum;
        return b;
    }

    public static DecodeResult decode(byte[] payload, InetAddress src, InetAddress dst, int ttl) {
        return decode(payload, 0, payload.length, src, dst, ttl);
    }

    /** Decodes the remaining bytes of {@code buf} (its position is not moved). */
    public static DecodeResult decode(ByteBuffer buf, InetAddress src, InetAddress dst, int ttl) {
        if (buf.hasArray()) {
            return decode(buf.array(), buf.arrayOffset() + buf.position(), buf.remaining(), src, dst, ttl);
        }
        byte[] copy = new byte[buf.remaining()];
        buf.duplicate().get(copy);
        return decode(copy, 0, copy.length, src, dst, ttl);
    }

    /**
     * Decodes and validates a VRRP payload (what an IPv6 raw socket returns; for IPv4 see
     * {@link #decodeIpv4Packet}). {@code src}/{@code dst} are the IP addresses (they give the address
     * family and the pseudo-header; a null {@code dst} means the VRRP multicast group); {@code ttl} is the TTL / hop limit, checked to be 255 unless
     * {@link #TTL_UNCHECKED}. Not checked here because they need the instance's configuration: VRID,
     * password, configured auth type, interval agreement and the address list.
     */
    public static DecodeResult decode(byte[] b, int off, int len, InetAddress src, InetAddress dst, int ttl) {
        if (src == null) throw new IllegalArgumentException("the source address is needed");
        if (dst == null) dst = src instanceof Inet6Address ? MCAST6 : MCAST4; // unknown: assume the VRRP group
        if (len < HEADER_LEN) {
            return DecodeResult.rejected(RejectReason.PACKET_LEN_ERR, "packet of " + len + " bytes is shorter than the VRRP header", src, dst, ttl);
        }
        if (ttl != TTL_UNCHECKED && ttl != REQUIRED_TTL) {
            return DecodeResult.rejected(RejectReason.IP_TTL_ERR, "invalid TTL/HL " + ttl + ", expected 255", src, dst, ttl);
        }
        int version = (b[off] >> 4) & 0x0f;
        int type = b[off] & 0x0f;
        if (version != 2 && version != 3) {
            return DecodeResult.rejected(RejectReason.VERSION_ERR, "unsupported VRRP version " + version, src, dst, ttl);
        }
        if (type != VrrpPacket.TYPE_ADVERTISEMENT) {
            return DecodeResult.rejected(RejectReason.INVALID_TYPE_RCVD, "invalid packet type " + type, src, dst, ttl);
        }
        if (b[off + 1] == 0) {
            return DecodeResult.rejected(RejectReason.VRID_ERR, "VRID 0 is invalid", src, dst, ttl);
        }
        boolean v6 = src instanceof Inet6Address;
        int alen = v6 ? 16 : 4;
        int count = b[off + 3] & 0xff;
        boolean authData = version == 2 && !v6;
        int expected = HEADER_LEN + count * alen + (authData ? VrrpPacket.AUTH_DATA_LEN : 0);
        if (len != expected) {
            return DecodeResult.rejected(RejectReason.PACKET_LEN_ERR,
                    "packet length " + len + " does not match " + count + " address(es): expected " + expected, src, dst, ttl);
        }
        int wireSum = ((b[off + 6] & 0xff) << 8) | (b[off + 7] & 0xff);
        ChecksumVariant matched;
        if (version == 2 && !v6) {
            matched = verifies(b, off, len, ChecksumVariant.V2_MESSAGE_ONLY, src, dst) ? ChecksumVariant.V2_MESSAGE_ONLY : null;
        } else if (verifies(b, off, len, ChecksumVariant.V3_PSEUDO_HEADER, src, dst)) {
            matched = ChecksumVariant.V3_PSEUDO_HEADER;
        } else if (!v6 && !dst.equals(MCAST4) && verifies(b, off, len, ChecksumVariant.V3_OLD_UNICAST, src, dst)) {
            matched = ChecksumVariant.V3_OLD_UNICAST;
        } else if (!v6 && verifies(b, off, len, ChecksumVariant.V3_NO_PSEUDO_HEADER, src, dst)) {
            matched = ChecksumVariant.V3_NO_PSEUDO_HEADER;
        } else {
            matched = null;
        }
        if (matched == null) {
            return DecodeResult.rejected(RejectReason.CHECKSUM_ERR, String.format("invalid checksum 0x%04x", wireSum), src, dst, ttl);
        }
        int authType = 0;
        int rawInterval;
        int centis;
        if (version == 2) {
            authType = b[off + 4] & 0xff;
            if (authType > VrrpPacket.AUTH_AH) {
                return DecodeResult.rejected(RejectReason.INVALID_AUTHTYPE, "invalid auth type " + authType, src, dst, ttl);
            }
            rawInterval = b[off + 5] & 0xff;
            centis = rawInterval * 100;
        } else {
            // The top 4 bits are reserved: ignored on receive (RFC 5798 5.2.6).
            rawInterval = ((b[off + 4] & 0x0f) << 8) | (b[off + 5] & 0xff);
            centis = rawInterval;
        }
        if (rawInterval == 0) {
            return DecodeResult.rejected(RejectReason.ADVERT_INTERVAL_ERR, "advert interval 0", src, dst, ttl);
        }
        List<InetAddress> addrs = new ArrayList<>(count);
        byte[] a = new byte[alen];
        int p = off + HEADER_LEN;
        for (int i = 0; i < count; i++) {
            System.arraycopy(b, p, a, 0, alen);
            addrs.add(toAddress(a));
            p += alen;
        }
        byte[] auth = null;
        if (version == 2) {
            auth = new byte[VrrpPacket.AUTH_DATA_LEN]; // v2 over IPv6 carries none: zeros, as an empty password
            if (authData) System.arraycopy(b, p, auth, 0, VrrpPacket.AUTH_DATA_LEN);
        }
        VrrpPacket pkt = new VrrpPacket(version, type, b[off + 1] & 0xff, b[off + 2] & 0xff, count, authType,
                centis, rawInterval, wireSum, addrs, auth);
        return DecodeResult.accepted(pkt, matched, src, dst, ttl);
    }

    /**
     * Decodes a whole IPv4 datagram as an IPv4 raw socket returns it (IP header included):
     * reads source, destination and TTL from the header, then decodes the payload as
     * {@link #decode(byte[], int, int, InetAddress, InetAddress, int)}. {@code checkTtl} false skips
     * the TTL-255 check (unicast).
     */
    public static DecodeResult decodeIpv4Packet(byte[] b, int off, int len, boolean checkTtl) {
        if (len < 20) {
            return DecodeResult.rejected(RejectReason.PACKET_LEN_ERR, "IPv4 packet of " + len + " bytes", null, null, -1);
        }
        int ver = (b[off] >> 4) & 0x0f;
        int ihl = (b[off] & 0x0f) * 4;
        int total = ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
        if (ver != 4 || ihl < 20 || ihl > len) {
            return DecodeResult.rejected(RejectReason.PACKET_LEN_ERR, "malformed IPv4 header", null, null, -1);
        }
        int ttl = b[off + 8] & 0xff;
        int proto = b[off + 9] & 0xff;
        byte[] a = new byte[4];
        System.arraycopy(b, off + 12, a, 0, 4);
        InetAddress src = toAddress(a);
        System.arraycopy(b, off + 16, a, 0, 4);
        InetAddress dst = toAddress(a);
        // Linux hands raw sockets the datagram with the total length as received; trust the smaller.
        int end = (total >= ihl && total <= len) ? total : -1;
        if (end < 0) {
            return DecodeResult.rejected(RejectReason.PACKET_LEN_ERR, "IPv4 total length " + total + " vs " + len + " bytes read", src, dst, ttl);
        }
        if (proto == IPPROTO_AH) {
            return IpsecAh.decodeIpv4(b, off, len, checkTtl).vrrp(); // the ICV is checked by IpsecAh.verify
        }
        if (proto != IPPROTO_VRRP) {
            return DecodeResult.rejected(RejectReason.PACKET_LEN_ERR, "IP protocol " + proto + " is not VRRP", src, dst, ttl);
        }
        return decode(b, off + ihl, end - ihl, src, dst, checkTtl ? ttl : TTL_UNCHECKED);
    }

    public static DecodeResult decodeIpv4Packet(byte[] b, int len) {
        return decodeIpv4Packet(b, 0, len, true);
    }

    /** RFC 1071 checksum of a VRRP message with the given variant's pseudo-header (checksum field included as is). */
    static int checksum(byte[] b, int off, int len, ChecksumVariant v, InetAddress src, InetAddress dst) {
        long sum = 0;
        if (v == ChecksumVariant.V3_PSEUDO_HEADER || v == ChecksumVariant.V3_OLD_UNICAST) {
            byte[] s = src.getAddress();
            byte[] d = (v == ChecksumVariant.V3_OLD_UNICAST ? MCAST4 : dst).getAddress();
            sum = sum16(s, 0, s.length, sum);
            sum = sum16(d, 0, d.length, sum);
            if (s.length == 4) {
                sum += IPPROTO_VRRP;      // zero byte, protocol
                sum += len;               // VRRP length (16 bits)
            } else {
                sum += (len >>> 16) + (len & 0xffff); // upper-layer length (32 bits)
                sum += IPPROTO_VRRP;      // three zero bytes, next header
            }
        }
        sum = sum16(b, off, len, sum);
        while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
        return (int) (~sum & 0xffff);
    }

    /** Sums the message with its checksum field in place: a valid one folds to zero. */
    private static boolean verifies(byte[] b, int off, int len, ChecksumVariant v, InetAddress src, InetAddress dst) {
        return checksum(b, off, len, v, src, dst) == 0;
    }

    private static long sum16(byte[] b, int off, int len, long sum) {
        int i = off;
        int end = off + len;
        for (; i + 1 < end; i += 2) sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        if (i < end) sum += (b[i] & 0xff) << 8;
        return sum;
    }

    /** The IPv4 address at {@code b[off..off+4)}. */
    static InetAddress ipv4(byte[] b, int off) {
        byte[] a = new byte[4];
        System.arraycopy(b, off, a, 0, 4);
        return toAddress(a);
    }

    private static InetAddress toAddress(byte[] a) {
        try {
            // Inet6Address explicitly: InetAddress.getByAddress would turn ::ffff:a.b.c.d into IPv4.
            return a.length == 16 ? Inet6Address.getByAddress(null, a, (java.net.NetworkInterface) null)
                    : InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // only for a wrong length, which cannot happen here
        }
    }

    private static InetAddress fixed(byte[] a) {
        try {
            return InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static void check(int v, int min, int max, String what) {
        if (v < min || v > max) throw new IllegalArgumentException(what + " " + v + " not in " + min + ".." + max);
    }
}
