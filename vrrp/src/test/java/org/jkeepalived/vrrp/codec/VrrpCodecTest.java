package org.jkeepalived.vrrp.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class VrrpCodecTest {
    static final InetAddress SRC4 = ip("10.99.0.1");
    static final InetAddress MCAST4 = ip("224.0.0.18");
    static final InetAddress SRC6 = ip("fe80::10d4:d5ff:fe68:7f55");
    static final InetAddress MCAST6 = ip("ff02::12");

    // Captured from Debian's keepalived 2.2.7 in a network namespace (IPv4 raw socket: IP header included).
    // vrrp_instance: vrid 51, priority 150, advert_int 1, auth_type PASS, auth_pass secret12, VIP 10.99.0.100
    static final String KA_V2_PASS = "45c0002800010000ff70d02e0a630001e0000012" + "213396010101cf84" + "0a630064" + "7365637265743132";
    // vrrp_version 3: vrid 52, priority 120, advert_int 0.5, VIP 10.99.0.100
    static final String KA_V3_V4 = "45c0002000010000ff70d0360a630001e0000012" + "31347801003260de" + "0a630064";
    // vrrp_version 3 IPv6 (payload only; source fe80::10d4:d5ff:fe68:7f55, hop limit 255 from ancillary data):
    // vrid 53, priority 110, advert_int 1, VIP fe80::53
    static final String KA_V3_V6 = "31356e010064fee0" + "fe800000000000000000000000000053";

    // An IPv6 vrrp_instance with "version 2" before its VIPs (not strict): keepalived sends VRRPv2 over IPv6,
    // no authentication data, checksum by the kernel with the IPv6 pseudo-header. vrid 5, priority 150,
    // advert_int 1, VIPs fe80::100 and fd00::100 (payload only; source below)
    static final String KA_V2_V6 = "210596020001bee9" + "fe800000000000000000000000000100" + "fd000000000000000000000000000100";
    static final InetAddress KA_V2_V6_SRC = ip("fe80::90a9:89ff:fe41:7572");

    // Unicast (unicast_src_ip 10.99.0.1, unicast_peer 10.99.0.2), vrrp_version 3, priority 130, VIP 10.99.0.100:
    // vrid 54 with old_unicast_checksum (no pseudo-header), vrid 55 without (RFC 5798 pseudo-header).
    static final String KA_V3_UNICAST_OLD = "45c0002000010000ff70a5e40a6300010a630002" + "31368201006456aa" + "0a630064";
    static final String KA_V3_UNICAST_RFC = "45c0002000010000ff70a5e40a6300010a630002" + "3137820100642c57" + "0a630064";

    static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    /** RFC 1071, written out independently of the codec: 16-bit words, end-around carry, complement. */
    static int rfc1071(byte[] data) {
        int sum = 0;
        for (int i = 0; i < data.length; i += 2) {
            int word = (data[i] & 0xff) << 8;
            if (i + 1 < data.length) word |= data[i + 1] & 0xff;
            sum += word;
            if (sum > 0xffff) sum = (sum & 0xffff) + 1;
        }
        return ~sum & 0xffff;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) b.put(p);
        return b.array();
    }

    @Test
    void roundTripV2Ipv4WithPassword() {
        VrrpPacket p = VrrpPacket.v2(51, 150, 1, VrrpPacket.AUTH_PASS, "secret12".getBytes(StandardCharsets.US_ASCII),
                List.of(ip("10.99.0.100"), ip("10.99.0.101")));
        byte[] wire = VrrpCodec.encode(p, SRC4, MCAST4);
        assertEquals(8 + 8 + 8, wire.length);
        DecodeResult r = VrrpCodec.decode(wire, SRC4, MCAST4, 255);
        assertTrue(r.ok(), r::detail);
        assertEquals(ChecksumVariant.V2_MESSAGE_ONLY, r.checksumVariant());
        VrrpPacket d = r.packet();
        assertEquals(2, d.version());
        assertEquals(51, d.vrid());
        assertEquals(150, d.priority());
        assertEquals(2, d.count());
        assertEquals(100, d.advertIntervalCentis());
        assertEquals(1, d.rawAdvertInterval());
        assertEquals(VrrpPacket.AUTH_PASS, d.authType());
        assertArrayEquals("secret12".getBytes(StandardCharsets.US_ASCII), d.authData());
        assertEquals(p.addresses(), d.addresses());
        assertEquals(p.withPriority(150), new VrrpPacket(2, 1, 51, 150, 2, 1, 100, 1, 0, p.addresses(), p.authData()));
        assertArrayEquals(wire, VrrpCodec.encode(d, SRC4, MCAST4));
    }

    @Test
    void roundTripV2Ipv6AsKeepalivedSendsIt() {
        VrrpPacket p = VrrpPacket.v2(7, 100, 3, VrrpPacket.AUTH_NONE, null, List.of(ip("2001:db8::7")));
        byte[] wire = VrrpCodec.encode(p, SRC6, MCAST6);
        assertEquals(8 + 16, wire.length, "no authentication data over IPv6");
        DecodeResult r = VrrpCodec.decode(wire, SRC6, MCAST6, 255);
        assertTrue(r.ok(), r::detail);
        assertEquals(ChecksumVariant.V3_PSEUDO_HEADER, r.checksumVariant(), "the IPv6 pseudo-header, as the kernel computes it");
        assertEquals(300, r.packet().advertIntervalCentis());
        assertEquals(p.addresses(), r.packet().addresses());
        assertTrue(r.packet().ipv6());
        wire[2] ^= 1;
        assertEquals(RejectReason.CHECKSUM_ERR, VrrpCodec.decode(wire, SRC6, MCAST6, 255).reason());
    }

    @Test
    void decodesKeepalivedV2Ipv6AdvertAndReproducesIt() {
        byte[] payload = hex(KA_V2_V6);
        DecodeResult r = VrrpCodec.decode(payload, KA_V2_V6_SRC, MCAST6, 255);
        assertTrue(r.ok(), r::detail);
        assertEquals(2, r.packet().version());
        assertEquals(5, r.packet().vrid());
        assertEquals(150, r.packet().priority());
        assertEquals(VrrpPacket.AUTH_NONE, r.packet().authType());
        assertEquals(100, r.packet().advertIntervalCentis());
        assertEquals(List.of(ip("fe80::100"), ip("fd00::100")), r.packet().addresses());
        assertArrayEquals(payload, VrrpCodec.encode(r.packet(), KA_V2_V6_SRC, MCAST6));
    }

    @Test
    void roundTripV3Ipv4AllChecksumVariants() {
        VrrpPacket p = VrrpPacket.v3(52, 120, 50, List.of(ip("10.99.0.100")));
        InetAddress peer = ip("10.99.0.2");
        byte[] rfc = VrrpCodec.encode(p, SRC4, peer);
        byte[] old = VrrpCodec.encode(p, SRC4, peer, true);
        assertFalse(java.util.Arrays.equals(rfc, old));
        assertEquals(ChecksumVariant.V3_PSEUDO_HEADER, VrrpCodec.decode(rfc, SRC4, peer, 255).checksumVariant());
        assertEquals(ChecksumVariant.V3_OLD_UNICAST, VrrpCodec.decode(old, SRC4, peer, 255).checksumVariant());
        // to the multicast group both computations are the same
        assertArrayEquals(VrrpCodec.encode(p, SRC4, MCAST4), VrrpCodec.encode(p, SRC4, MCAST4, true));
        // no pseudo-header at all (some other stacks): hand-computed by RFC 1071 over the message only
        byte[] bare = rfc.clone();
        bare[6] = 0;
        bare[7] = 0;
        int sum = rfc1071(bare);
        bare[6] = (byte) (sum >> 8);
        bare[7] = (byte) sum;
        DecodeResult r = VrrpCodec.decode(bare, SRC4, peer, 255);
        assertTrue(r.ok(), r::detail);
        assertEquals(ChecksumVariant.V3_NO_PSEUDO_HEADER, r.checksumVariant());
        assertEquals(50, r.packet().advertIntervalCentis());
        assertEquals(0, r.packet().authType());
        assertEquals(null, r.packet().authData());
        // With the pseudo-header the checksum depends on the addresses: another destination fails.
        assertEquals(RejectReason.CHECKSUM_ERR, VrrpCodec.decode(rfc, SRC4, ip("10.99.0.3"), 255).reason());
        assertEquals(RejectReason.CHECKSUM_ERR, VrrpCodec.decode(rfc, ip("10.99.0.4"), peer, 255).reason());
    }

    @Test
    void roundTripV3Ipv6() {
        VrrpPacket p = VrrpPacket.v3(53, 110, 100, List.of(ip("fe80::53"), ip("2001:db8::53")));
        byte[] wire = VrrpCodec.encode(p, SRC6, MCAST6);
        assertEquals(8 + 32, wire.length);
        DecodeResult r = VrrpCodec.decode(ByteBuffer.wrap(wire), SRC6, MCAST6, 255);
        assertTrue(r.ok(), r::detail);
        assertEquals(ChecksumVariant.V3_PSEUDO_HEADER, r.checksumVariant());
        assertEquals(p.addresses(), r.packet().addresses());
        // IPv6 has no "old" variant: the message-only sum is rejected.
        byte[] old = VrrpCodec.encode(p, SRC6, MCAST6, true);
        assertArrayEquals(wire, old, "old_unicast_checksum only applies to IPv4");
    }

    @Test
    void v3Ipv4ChecksumMatchesHandComputedRfc1071WithPseudoHeader() {
        byte[] msg = hex("3134780100320000" + "0a630064"); // checksum field zero
        byte[] pseudo = concat(SRC4.getAddress(), MCAST4.getAddress(), new byte[] {0, 112, 0, (byte) msg.length});
        int expected = rfc1071(concat(pseudo, msg));
        byte[] wire = VrrpCodec.encode(VrrpPacket.v3(52, 120, 50, List.of(ip("10.99.0.100"))), SRC4, MCAST4);
        assertEquals(expected, ((wire[6] & 0xff) << 8) | (wire[7] & 0xff));
        // and that is exactly what keepalived 2.2.7 put on the wire
        assertEquals(0x60de, expected);
    }

    @Test
    void v3Ipv6ChecksumMatchesHandComputedRfc1071WithPseudoHeader() {
        byte[] msg = hex("31356e0100640000" + "fe800000000000000000000000000053");
        byte[] pseudo = concat(SRC6.getAddress(), MCAST6.getAddress(),
                new byte[] {0, 0, 0, (byte) msg.length}, new byte[] {0, 0, 0, 112});
        int expected = rfc1071(concat(pseudo, msg));
        byte[] wire = VrrpCodec.encode(VrrpPacket.v3(53, 110, 100, List.of(ip("fe80::53"))), SRC6, MCAST6);
        assertEquals(expected, ((wire[6] & 0xff) << 8) | (wire[7] & 0xff));
        assertEquals(0xfee0, expected);
    }

    @Test
    void v2ChecksumMatchesHandComputedRfc1071OverMessageOnly() {
        byte[] msg = hex("2133960101010000" + "0a630064" + "7365637265743132");
        int expected = rfc1071(msg);
        byte[] wire = VrrpCodec.encode(VrrpPacket.v2(51, 150, 1, 1, "secret12".getBytes(StandardCharsets.US_ASCII),
                List.of(ip("10.99.0.100"))), SRC4, MCAST4);
        assertEquals(expected, ((wire[6] & 0xff) << 8) | (wire[7] & 0xff));
        assertEquals(0xcf84, expected);
    }

    @Test
    void decodesKeepalivedV2PassAdvertFromWholeIpv4Packet() {
        byte[] ipPkt = hex(KA_V2_PASS);
        DecodeResult r = VrrpCodec.decodeIpv4Packet(ipPkt, ipPkt.length);
        assertTrue(r.ok(), r::detail);
        assertEquals(SRC4, r.source());
        assertEquals(MCAST4, r.destination());
        assertEquals(255, r.ttl());
        VrrpPacket p = r.packet();
        assertEquals(2, p.version());
        assertEquals(51, p.vrid());
        assertEquals(150, p.priority());
        assertEquals(100, p.advertIntervalCentis());
        assertEquals(List.of(ip("10.99.0.100")), p.addresses());
        assertEquals("secret12", new String(p.authData(), StandardCharsets.US_ASCII));
        assertEquals(0xcf84, p.checksum());
        // our encoder produces keepalived's bytes
        assertArrayEquals(java.util.Arrays.copyOfRange(ipPkt, 20, ipPkt.length), VrrpCodec.encode(p, SRC4, MCAST4));
    }

    @Test
    void decodesKeepalivedV3Ipv4Advert() {
        byte[] ipPkt = hex(KA_V3_V4);
        DecodeResult r = VrrpCodec.decodeIpv4Packet(ipPkt, ipPkt.length);
        assertTrue(r.ok(), r::detail);
        assertEquals(ChecksumVariant.V3_PSEUDO_HEADER, r.checksumVariant());
        assertEquals(3, r.packet().version());
        assertEquals(52, r.packet().vrid());
        assertEquals(120, r.packet().priority());
        assertEquals(50, r.packet().advertIntervalCentis());
        assertArrayEquals(java.util.Arrays.copyOfRange(ipPkt, 20, ipPkt.length), VrrpCodec.encode(r.packet(), SRC4, MCAST4));
    }

    @Test
    void decodesKeepalivedV3Ipv6Advert() {
        byte[] payload = hex(KA_V3_V6);
        DecodeResult r = VrrpCodec.decode(payload, SRC6, MCAST6, 255);
        assertTrue(r.ok(), r::detail);
        assertEquals(53, r.packet().vrid());
        assertEquals(110, r.packet().priority());
        assertEquals(100, r.packet().advertIntervalCentis());
        assertEquals(List.of(ip("fe80::53")), r.packet().addresses());
        assertArrayEquals(payload, VrrpCodec.encode(r.packet(), SRC6, MCAST6));
    }

    @Test
    void decodesBothKeepalivedUnicastChecksumVariantsAndReproducesThem() {
        InetAddress peer = ip("10.99.0.2");
        byte[] old = hex(KA_V3_UNICAST_OLD);
        DecodeResult r = VrrpCodec.decodeIpv4Packet(old, old.length);
        assertTrue(r.ok(), r::detail);
        assertEquals(ChecksumVariant.V3_OLD_UNICAST, r.checksumVariant(),
                "keepalived's old_unicast_checksum: pseudo-header with 224.0.0.18 as destination");
        assertEquals(peer, r.destination());
        assertArrayEquals(java.util.Arrays.copyOfRange(old, 20, old.length), VrrpCodec.encode(r.packet(), SRC4, peer, true));

        byte[] rfc = hex(KA_V3_UNICAST_RFC);
        r = VrrpCodec.decodeIpv4Packet(rfc, rfc.length);
        assertTrue(r.ok(), r::detail);
        assertEquals(ChecksumVariant.V3_PSEUDO_HEADER, r.checksumVariant());
        assertEquals(55, r.packet().vrid());
        assertEquals(130, r.packet().priority());
        assertArrayEquals(java.util.Arrays.copyOfRange(rfc, 20, rfc.length), VrrpCodec.encode(r.packet(), SRC4, peer));
    }

    @Test
    void rejectsEachCodecLevelProblem() {
        byte[] good = VrrpCodec.encode(VrrpPacket.v2(1, 100, 1, 0, null, List.of(ip("10.0.0.1"))), SRC4, MCAST4);
        assertEquals(RejectReason.IP_TTL_ERR, VrrpCodec.decode(good, SRC4, MCAST4, 254).reason());
        assertTrue(VrrpCodec.decode(good, SRC4, MCAST4, VrrpCodec.TTL_UNCHECKED).ok());
        assertEquals(RejectReason.PACKET_LEN_ERR, VrrpCodec.decode(new byte[7], SRC4, MCAST4, 255).reason());
        assertEquals(RejectReason.PACKET_LEN_ERR,
                VrrpCodec.decode(java.util.Arrays.copyOf(good, good.length - 1), SRC4, MCAST4, 255).reason());
        assertEquals(RejectReason.PACKET_LEN_ERR,
                VrrpCodec.decode(java.util.Arrays.copyOf(good, good.length + 4), SRC4, MCAST4, 255).reason());

        byte[] b = good.clone();
        b[0] = 0x41;
        assertEquals(RejectReason.VERSION_ERR, VrrpCodec.decode(b, SRC4, MCAST4, 255).reason());
        b = good.clone();
        b[0] = 0x22;
        assertEquals(RejectReason.INVALID_TYPE_RCVD, VrrpCodec.decode(b, SRC4, MCAST4, 255).reason());
        b = good.clone();
        b[2] ^= 1;
        assertEquals(RejectReason.CHECKSUM_ERR, VrrpCodec.decode(b, SRC4, MCAST4, 255).reason());

        byte[] ah = rechecksummedV2(good, 4, 3);
        assertEquals(RejectReason.INVALID_AUTHTYPE, VrrpCodec.decode(ah, SRC4, MCAST4, 255).reason());
        byte[] zeroInt = rechecksummedV2(good, 5, 0);
        assertEquals(RejectReason.ADVERT_INTERVAL_ERR, VrrpCodec.decode(zeroInt, SRC4, MCAST4, 255).reason());

        byte[] ipAh = hex(KA_V2_PASS);
        ipAh[9] = 51; // protocol AH but no AH header: too short for one
        assertEquals(RejectReason.PACKET_LEN_ERR, VrrpCodec.decodeIpv4Packet(ipAh, ipAh.length).reason());
        byte[] ttl1 = hex(KA_V2_PASS);
        ttl1[8] = 1;
        assertEquals(RejectReason.IP_TTL_ERR, VrrpCodec.decodeIpv4Packet(ttl1, ttl1.length).reason());
        assertTrue(VrrpCodec.decodeIpv4Packet(ttl1, 0, ttl1.length, false).ok());
    }

    @Test
    void unknownDestinationMeansTheMulticastGroup() {
        byte[] w = VrrpCodec.encode(VrrpPacket.v3(9, 100, 100, List.of(ip("10.0.0.9"))), SRC4, MCAST4);
        assertEquals(ChecksumVariant.V3_PSEUDO_HEADER, VrrpCodec.decode(w, SRC4, null, 255).checksumVariant());
        byte[] w6 = hex(KA_V3_V6);
        assertTrue(VrrpCodec.decode(w6, SRC6, null, 255).ok());
    }

    @Test
    void v3ReservedBitsAreIgnoredOnReceive() {
        byte[] w = VrrpCodec.encode(VrrpPacket.v3(9, 100, 100, List.of(ip("10.0.0.9"))), SRC4, MCAST4);
        w[4] |= (byte) 0xf0;
        // fix the checksum for the changed word
        w[6] = 0;
        w[7] = 0;
        int sum = rfc1071(concat(SRC4.getAddress(), MCAST4.getAddress(), new byte[] {0, 112, 0, (byte) w.length}, w));
        w[6] = (byte) (sum >> 8);
        w[7] = (byte) sum;
        DecodeResult r = VrrpCodec.decode(w, SRC4, MCAST4, 255);
        assertTrue(r.ok(), r::detail);
        assertEquals(100, r.packet().advertIntervalCentis());
    }

    @Test
    void ipv4MappedAddressInIpv6ListStaysIpv6() {
        VrrpPacket p = VrrpPacket.v3(5, 100, 100, List.of(ip("::ffff:10.0.0.5").getAddress().length == 4
                ? v6(ip("::ffff:10.0.0.5").getAddress()) : ip("::ffff:10.0.0.5")));
        byte[] w = VrrpCodec.encode(p, SRC6, MCAST6);
        DecodeResult r = VrrpCodec.decode(w, SRC6, MCAST6, 255);
        assertTrue(r.ok());
        assertInstanceOf(Inet6Address.class, r.packet().addresses().get(0));
        assertArrayEquals(w, VrrpCodec.encode(r.packet(), SRC6, MCAST6));
    }

    @Test
    void encoderRefusesWhatItCannotSend() {
        List<InetAddress> a = List.of(ip("10.0.0.1"));
        // AH: the bare VRRP message with auth type 2 (IpsecAh wraps it)
        assertEquals(VrrpPacket.AUTH_AH, VrrpCodec.encode(VrrpPacket.v2(1, 100, 1, VrrpPacket.AUTH_AH, null, a), SRC4, MCAST4)[4]);
        assertThrows(IllegalArgumentException.class, () -> VrrpCodec.encode(VrrpPacket.v3(0, 100, 100, a), SRC4, MCAST4));
        assertThrows(IllegalArgumentException.class, () -> VrrpCodec.encode(VrrpPacket.v3(1, 100, 4096, a), SRC4, MCAST4));
        assertThrows(IllegalArgumentException.class, () -> VrrpCodec.encode(VrrpPacket.v3(1, 100, 100, a), SRC6, MCAST6));
    }

    static InetAddress v6(byte[] v4) {
        byte[] a = new byte[16];
        a[10] = (byte) 0xff;
        a[11] = (byte) 0xff;
        System.arraycopy(v4, 0, a, 12, 4);
        try {
            return Inet6Address.getByAddress(null, a, (java.net.NetworkInterface) null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sets one byte of a v2 message and recomputes its checksum. */
    static byte[] rechecksummedV2(byte[] msg, int index, int value) {
        byte[] b = msg.clone();
        b[index] = (byte) value;
        b[6] = 0;
        b[7] = 0;
        int s = rfc1071(b);
        b[6] = (byte) (s >> 8);
        b[7] = (byte) s;
        return b;
    }
}
