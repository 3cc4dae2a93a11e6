package org.jkeepalived.vrrp.codec;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * VRRPv2 with IPsec AH authentication (RFC 3768 auth type 2, RFC 2402 header), IPv4 only, as
 * keepalived 2.2.7 puts it on the wire (pure: byte arrays in and out). Observed from keepalived
 * 2.2.7 in network namespaces (tcpdump -xx, injected packets, its stats):
 * <ul>
 * <li>IPv4 header: TOS 0xc0, no DF, TTL 255, protocol 51, an identification counted up per packet by
 *     the sender, total length 20 + 24 + VRRP length.</li>
 * <li>AH: next header 112, payload length 4 (24 bytes), reserved 0, SPI = the sender's IPv4 source
 *     address, a 32-bit sequence number, 96-bit ICV.</li>
 * <li>ICV: HMAC-MD5 (RFC 2104) truncated to 96 bits, keyed with {@code auth_pass} cut to 8 bytes,
 *     over the IPv4 header with TOS and header checksum zeroed, the AH header with the ICV zeroed,
 *     and the VRRP message. The identification and flags/fragment offset (0) are covered as sent.
 *     The TTL is covered as sent (255) when the destination is the multicast group, but taken as
 *     0 when it is a unicast peer: keepalived computes and checks it that way (a unicast
 *     keepalived rejects an ICV over TTL 255, a multicast one an ICV over TTL 0).</li>
 * <li>VRRP message: auth type 2, authentication data zeros, the usual v2 checksum.</li>
 * </ul>
 * The sequence number rules (replay) are {@link AhSequence}'s.
 */
public final class IpsecAh {
    public static final int IP_HEADER_LEN = 20;
    public static final int AH_LEN = 24;
    public static final int ICV_LEN = 12;
    /** keepalived keeps 8 bytes of auth_pass (it warns "Truncating auth_pass to 8 characters"). */
    public static final int KEY_LEN = 8;
    /** TOS keepalived sends (precedence 6, internetwork control); not covered by the ICV. */
    static final int TOS = 0xc0;

    private IpsecAh() {
    }

    /** The HMAC key: {@code auth_pass} as bytes, cut to 8 (null or empty: an empty key). */
    public static byte[] key(String authPass) {
        byte[] p = authPass == null ? new byte[0] : authPass.getBytes(StandardCharsets.UTF_8);
        byte[] k = new byte[Math.min(KEY_LEN, p.length)];
        System.arraycopy(p, 0, k, 0, k.length);
        return k;
    }

    /**
     * A whole IPv4 datagram (header, AH, VRRP) ready for an IP_HDRINCL socket.
     *
     * @param p        a v2 advert; its auth type is sent as 2 whatever it says
     * @param ipId     the IPv4 identification (covered by the ICV, so the kernel must not choose it:
     *                 0 is replaced by 1 because Linux fills in an identification of 0)
     * @param ttl      the IPv4 TTL (255; covered by the ICV)
     * @param sequence the AH sequence number (32 bits unsigned)
     */
    public static byte[] encodeIpv4(VrrpPacket p, InetAddress src, InetAddress dst, int ipId, int ttl,
                                    long sequence, byte[] key) {
        if (p.version() != 2) throw new IllegalArgumentException("IPsec AH exists only in VRRP version 2");
        if (!(src instanceof Inet4Address) || !(dst instanceof Inet4Address)) {
            throw new IllegalArgumentException("IPsec AH is IPv4 only");
        }
        VrrpPacket ah = new VrrpPacket(2, p.type(), p.vrid(), p.priority(), p.count(), VrrpPacket.AUTH_AH,
                p.advertIntervalCentis(), p.rawAdvertInterval(), 0, p.addresses(), new byte[VrrpPacket.AUTH_DATA_LEN]);
        byte[] vrrp = VrrpCodec.encode(ah, src, dst);
        int total = IP_HEADER_LEN + AH_LEN + vrrp.length;
        byte[] b = new byte[total];
        int id = (ipId & 0xffff) == 0 ? 1 : ipId & 0xffff;
        b[0] = 0x45;
        b[1] = 0; // TOS: zero while the ICV is computed
        b[2] = (byte) (total >> 8);
        b[3] = (byte) total;
        b[4] = (byte) (id >> 8);
        b[5] = (byte) id;
        b[8] = (byte) ttl;
        b[9] = (byte) VrrpCodec.IPPROTO_AH;
        System.arraycopy(src.getAddress(), 0, b, 12, 4);
        System.arraycopy(dst.getAddress(), 0, b, 16, 4);
        int a = IP_HEADER_LEN;
        b[a] = (byte) VrrpCodec.IPPROTO_VRRP;
        b[a + 1] = (byte) (AH_LEN / 4 - 2);
        System.arraycopy(src.getAddress(), 0, b, a + 4, 4); // SPI: the source address
        putInt(b, a + 8, sequence);
        System.arraycopy(vrrp, 0, b, IP_HEADER_LEN + AH_LEN, vrrp.length);
        byte[] icv = icv(b, 0, total, key);
        System.arraycopy(icv, 0, b, a + 12, ICV_LEN);
        b[1] = (byte) TOS;
        int sum = VrrpCodec.checksum(b, 0, IP_HEADER_LEN, ChecksumVariant.V2_MESSAGE_ONLY, null, null);
        b[10] = (byte) (sum >> 8);
        b[11] = (byte) sum;
        return b;
    }

    /** The AH header fields of a received datagram. */
    public record Header(int nextHeader, long spi, long sequence) {}

    /**
     * A decoded AH-wrapped advert: {@code vrrp} is the inner VRRP message's decode (with the IP
     * source, destination and TTL); {@code header} is null when the datagram was rejected before
     * the AH header could be read. The ICV is not checked here (it needs the instance's key):
     * see {@link #verify}.
     */
    public record Decoded(DecodeResult vrrp, Header header) {
        public boolean ok() {
            return vrrp.ok();
        }
    }

    /**
     * Decodes an IPv4 datagram carrying AH then VRRP, as an IPv4 raw socket for protocol 51
     * returns it. {@code checkTtl} false skips the TTL-255 check (unicast).
     */
    public static Decoded decodeIpv4(byte[] b, int off, int len, boolean checkTtl) {
        if (len < IP_HEADER_LEN) {
            return new Decoded(DecodeResult.rejected(RejectReason.PACKET_LEN_ERR, "IPv4 packet of " + len + " bytes",
                    null, null, -1), null);
        }
        int ihl = (b[off] & 0x0f) * 4;
        int total = ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
        if (((b[off] >> 4) & 0x0f) != 4 || ihl < IP_HEADER_LEN || ihl > len) {
            return new Decoded(DecodeResult.rejected(RejectReason.PACKET_LEN_ERR, "malformed IPv4 header", null, null, -1), null);
        }
        int ttl = b[off + 8] & 0xff;
        InetAddress src = VrrpCodec.ipv4(b, off + 12);
        InetAddress dst = VrrpCodec.ipv4(b, off + 16);
        if (total < ihl || total > len) {
            return new Decoded(DecodeResult.rejected(RejectReason.PACKET_LEN_ERR, "IPv4 total length " + total + " vs "
                    + len + " bytes read", src, dst, ttl), null);
        }
        if ((b[off + 9] & 0xff) != VrrpCodec.IPPROTO_AH) {
            return new Decoded(DecodeResult.rejected(RejectReason.INVALID_AUTHTYPE, "IP protocol " + (b[off + 9] & 0xff)
                    + " is not AH", src, dst, ttl), null);
        }
        int a = off + ihl;
        if (total - ihl < AH_LEN) {
            return new Decoded(DecodeResult.rejected(RejectReason.PACKET_LEN_ERR, "AH header truncated", src, dst, ttl), null);
        }
        int next = b[a] & 0xff;
        int ahLen = ((b[a + 1] & 0xff) + 2) * 4;
        Header h = new Header(next, getUInt(b, a + 4), getUInt(b, a + 8));
        if (ahLen != AH_LEN || next != VrrpCodec.IPPROTO_VRRP) {
            // another ICV size or a payload that is not VRRP: not what VRRP's AH looks like
            return new Decoded(DecodeResult.rejected(RejectReason.INVALID_AUTHTYPE, "AH of " + ahLen
                    + " bytes with next header " + next + ", expected 24 and 112", src, dst, ttl), h);
        }
        DecodeResult r = VrrpCodec.decode(b, a + AH_LEN, total - ihl - AH_LEN, src, dst,
                checkTtl ? ttl : VrrpCodec.TTL_UNCHECKED);
        return new Decoded(r, h);
    }

    /**
     * True when the datagram's ICV is the HMAC-MD5-96 of it under {@code key} (compared in
     * constant time). {@code b[off..off+len)} is the whole datagram as received.
     */
    public static boolean verify(byte[] b, int off, int len, byte[] key) {
        int ihl = (b[off] & 0x0f) * 4;
        int total = ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
        if (ihl < IP_HEADER_LEN || total > len || total < ihl + AH_LEN) {
            return false;
        }
        byte[] wire = new byte[ICV_LEN];
        System.arraycopy(b, off + ihl + 12, wire, 0, ICV_LEN);
        return MessageDigest.isEqual(wire, icv(b, off, total, key));
    }

    /**
     * The 96-bit ICV of a datagram: HMAC-MD5 over it with TOS, the header checksum and the ICV
     * field taken as zero, and the TTL too unless the destination is multicast (the array is not
     * changed).
     */
    static byte[] icv(byte[] b, int off, int len, byte[] key) {
        byte[] m = new byte[len];
        System.arraycopy(b, off, m, 0, len);
        int ihl = (m[0] & 0x0f) * 4;
        m[1] = 0;
        if ((m[16] & 0xf0) != 0xe0) {
            m[8] = 0; // unicast: keepalived leaves the TTL out
        }
        m[10] = 0;
        m[11] = 0;
        if (ihl > IP_HEADER_LEN) {
            // IP options are not sent by VRRP; zero them like the mutable fields rather than guess
            java.util.Arrays.fill(m, IP_HEADER_LEN, ihl, (byte) 0);
        }
        java.util.Arrays.fill(m, ihl + 12, ihl + 12 + ICV_LEN, (byte) 0);
        try {
            Mac mac = Mac.getInstance("HmacMD5");
            // an empty key is legal for HMAC but not for SecretKeySpec: the HMAC of an all-zero
            // key block is the same as that of an empty key
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacMD5"));
            byte[] full = mac.doFinal(m);
            byte[] out = new byte[ICV_LEN];
            System.arraycopy(full, 0, out, 0, ICV_LEN);
            return out;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacMD5 is not available", e); // every JDK has it
        }
    }

    private static void putInt(byte[] b, int off, long v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    private static long getUInt(byte[] b, int off) {
        return ((b[off] & 0xffL) << 24) | ((b[off + 1] & 0xffL) << 16) | ((b[off + 2] & 0xffL) << 8) | (b[off + 3] & 0xffL);
    }
}
