package org.jkeepalived.vrrp.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * IPsec AH against datagrams captured from keepalived 2.2.7 (tcpdump -xx in a network namespace,
 * vrrp_instance VI_1: virtual_router_id 61, priority 200, advert_int 1, 10.9.0.100/24, sent from
 * 10.9.0.1 to 224.0.0.18).
 */
class IpsecAhTest {
    /** auth_pass s3cret; IP identification 9, AH sequence 9. */
    static final byte[] KA_S3CRET = HexFormat.of().parseHex(
            "45c0004000090000ff33d0a50a090001e0000012"
            + "700400000a0900010000000988bfce7282e63f684772d858"
            + "213dc80102010a530a0900640000000000000000");
    /** auth_pass averylongpassword (keepalived: "Truncating auth_pass to 8 characters"); id 5, sequence 5. */
    static final byte[] KA_LONG = HexFormat.of().parseHex(
            "45c0004000050000ff33d0a90a090001e0000012"
            + "700400000a0900010000000512744803a90a997ff560617a"
            + "213dc80102010a530a0900640000000000000000");

    /** unicast_src_ip 10.9.0.2, unicast_peer 10.9.0.1, auth_pass s3cret; id 3, sequence 3. */
    static final byte[] KA_UNICAST = HexFormat.of().parseHex(
            "45c0004000030000ff33a6b30a0900020a090001"
            + "700400000a0900020000000366f7f6f3cfcf18ca3b15ec81"
            + "213dc80102010a530a0900640000000000000000");

    static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    static VrrpPacket advert(int prio) throws Exception {
        return VrrpPacket.v2(61, prio, 1, VrrpPacket.AUTH_AH, null, List.of(ip("10.9.0.100")));
    }

    @Test
    void capturedIcvVerifiesWithTheRightPasswordOnly() {
        assertTrue(IpsecAh.verify(KA_S3CRET, 0, KA_S3CRET.length, IpsecAh.key("s3cret")));
        assertFalse(IpsecAh.verify(KA_S3CRET, 0, KA_S3CRET.length, IpsecAh.key("s3cres")));
        assertFalse(IpsecAh.verify(KA_S3CRET, 0, KA_S3CRET.length, IpsecAh.key("")));
        // the key is auth_pass cut to 8 bytes
        assertTrue(IpsecAh.verify(KA_LONG, 0, KA_LONG.length, IpsecAh.key("averylongpassword")));
        assertTrue(IpsecAh.verify(KA_LONG, 0, KA_LONG.length, IpsecAh.key("averylon")));
        assertFalse(IpsecAh.verify(KA_LONG, 0, KA_LONG.length, IpsecAh.key("averylo")));
        assertEquals(8, IpsecAh.key("averylongpassword").length);
        assertTrue(IpsecAh.verify(KA_UNICAST, 0, KA_UNICAST.length, IpsecAh.key("s3cret")));
        assertFalse(IpsecAh.verify(KA_UNICAST, 0, KA_UNICAST.length, IpsecAh.key("s3cres")));
    }

    @Test
    void unicastLeavesTheTtlOutOfTheIcv() throws Exception {
        assertArrayEquals(KA_UNICAST, IpsecAh.encodeIpv4(advert(200), ip("10.9.0.2"), ip("10.9.0.1"), 3, 255, 3,
                IpsecAh.key("s3cret")));
        byte[] b = KA_UNICAST.clone();
        b[8] = 64; // unicast_ttl 64: the same ICV
        assertTrue(IpsecAh.verify(b, 0, b.length, IpsecAh.key("s3cret")));
        // the same ICV does not hold for the multicast group, where the TTL counts
        byte[] m = KA_S3CRET.clone();
        m[8] = 0;
        assertFalse(IpsecAh.verify(m, 0, m.length, IpsecAh.key("s3cret")));
    }

    @Test
    void encodeReproducesKeepalivedByteForByte() throws Exception {
        assertArrayEquals(KA_S3CRET, IpsecAh.encodeIpv4(advert(200), ip("10.9.0.1"), ip("224.0.0.18"), 9, 255, 9,
                IpsecAh.key("s3cret")));
        assertArrayEquals(KA_LONG, IpsecAh.encodeIpv4(advert(200), ip("10.9.0.1"), ip("224.0.0.18"), 5, 255, 5,
                IpsecAh.key("averylongpassword")));
    }

    @Test
    void whatTheIcvCovers() {
        // TOS and the header checksum are mutable: not covered
        byte[] b = KA_S3CRET.clone();
        b[1] = 0;
        b[10] = 0x12;
        assertTrue(IpsecAh.verify(b, 0, b.length, IpsecAh.key("s3cret")));
        // keepalived covers the TTL (RFC 2402 would zero it) and the identification
        for (int at : new int[] {8, 5, 15, 19, 27, 31, 44 + 2, 44 + 9}) {
            byte[] c = KA_S3CRET.clone();
            c[at] ^= 1;
            assertFalse(IpsecAh.verify(c, 0, c.length, IpsecAh.key("s3cret")), "byte " + at + " is covered");
        }
    }

    @Test
    void decodesTheCapturedDatagram() throws Exception {
        IpsecAh.Decoded d = IpsecAh.decodeIpv4(KA_S3CRET, 0, KA_S3CRET.length, true);
        assertTrue(d.ok(), d.vrrp().detail());
        assertEquals(new IpsecAh.Header(112, 0x0a090001L, 9), d.header());
        VrrpPacket p = d.vrrp().packet();
        assertEquals(61, p.vrid());
        assertEquals(200, p.priority());
        assertEquals(VrrpPacket.AUTH_AH, p.authType());
        assertEquals(100, p.advertIntervalCentis());
        assertEquals(List.of(ip("10.9.0.100")), p.addresses());
        assertEquals(ip("10.9.0.1"), d.vrrp().source());
        assertEquals(ip("224.0.0.18"), d.vrrp().destination());
        assertEquals(255, d.vrrp().ttl());
        // the generic IPv4 entry point hands protocol 51 to the AH decoder
        DecodeResult r = VrrpCodec.decodeIpv4Packet(KA_S3CRET, KA_S3CRET.length);
        assertTrue(r.ok());
        assertEquals(p, r.packet());
    }

    @Test
    void roundTripWithAnySequenceNumber() throws Exception {
        byte[] key = IpsecAh.key("pa55word");
        for (long seq : new long[] {1, 0x7fffffffL, 0xffffffffL}) {
            byte[] b = IpsecAh.encodeIpv4(advert(100), ip("192.0.2.7"), ip("192.0.2.8"), 0, 255, seq, key);
            assertEquals(64, b.length);
            assertEquals(1, ((b[4] & 0xff) << 8) | (b[5] & 0xff), "identification 0 would be the kernel's choice");
            assertEquals(0, VrrpCodec.checksum(b, 0, 20, ChecksumVariant.V2_MESSAGE_ONLY, null, null), "IP checksum");
            IpsecAh.Decoded d = IpsecAh.decodeIpv4(b, 0, b.length, true);
            assertTrue(d.ok());
            assertEquals(seq, d.header().sequence());
            assertEquals(0xc0000207L, d.header().spi());
            assertEquals(100, d.vrrp().packet().priority());
            assertTrue(IpsecAh.verify(b, 0, b.length, key));
            assertFalse(IpsecAh.verify(b, 0, b.length, IpsecAh.key("pa55wore")));
        }
    }

    @Test
    void rejectsWhatIsNotVrrpInAh() throws Exception {
        byte[] b = KA_S3CRET.clone();
        b[20] = 6; // next header TCP
        IpsecAh.Decoded d = IpsecAh.decodeIpv4(b, 0, b.length, true);
        assertEquals(RejectReason.INVALID_AUTHTYPE, d.vrrp().reason());
        assertEquals(RejectReason.PACKET_LEN_ERR, IpsecAh.decodeIpv4(KA_S3CRET, 0, 40, true).vrrp().reason());
        byte[] plain = VrrpCodec.encode(advert(1), ip("10.9.0.1"), ip("224.0.0.18"));
        byte[] dgram = new byte[20 + plain.length];
        System.arraycopy(KA_S3CRET, 0, dgram, 0, 20);
        dgram[3] = (byte) dgram.length;
        dgram[9] = 112;
        System.arraycopy(plain, 0, dgram, 20, plain.length);
        IpsecAh.Decoded n = IpsecAh.decodeIpv4(dgram, 0, dgram.length, true);
        assertEquals(RejectReason.INVALID_AUTHTYPE, n.vrrp().reason());
        assertNull(n.header());
        byte[] ttl = KA_S3CRET.clone();
        ttl[8] = 64;
        assertEquals(RejectReason.IP_TTL_ERR, IpsecAh.decodeIpv4(ttl, 0, ttl.length, true).vrrp().reason());
        byte[] sum = KA_S3CRET.clone();
        sum[44 + 6] ^= 1; // the VRRP checksum is checked as usual
        assertEquals(RejectReason.CHECKSUM_ERR, IpsecAh.decodeIpv4(sum, 0, sum.length, true).vrrp().reason());
    }

    @Test
    void ahIsVersion2AndIpv4Only() throws Exception {
        VrrpPacket v3 = VrrpPacket.v3(61, 100, 100, List.of(ip("10.9.0.100")));
        assertThrows(IllegalArgumentException.class,
                () -> IpsecAh.encodeIpv4(v3, ip("10.9.0.1"), ip("224.0.0.18"), 1, 255, 1, IpsecAh.key("x")));
        assertThrows(IllegalArgumentException.class,
                () -> IpsecAh.encodeIpv4(advert(1), ip("fe80::1"), ip("ff02::12"), 1, 255, 1, IpsecAh.key("x")));
    }

    @Test
    void sequenceAsKeepalivedKeepsIt() {
        AhSequence s = new AhSequence();
        assertEquals(1, s.next());
        assertEquals(2, s.next());
        // a peer's higher number is taken over; ours continue after it
        assertTrue(s.accept(1030));
        assertEquals(1031, s.next());
        // equal or lower: a replay (keepalived: "already processed")
        assertFalse(s.accept(1031));
        assertFalse(s.accept(5));
        assertEquals(1031, s.current());
        assertTrue(s.accept(1062));
        assertFalse(s.accept(1062));
        // wrap-around: the next received number is accepted whatever it is
        assertTrue(s.accept(AhSequence.MAX - 1));
        assertEquals(AhSequence.MAX, s.next());
        assertEquals(0, s.next());
        assertTrue(s.accept(0), "accepted only because the counter wrapped");
        assertFalse(s.accept(0));
    }
}
