package org.jkeepalived.vrrp.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * 1,000,000 random and mutated packets into the decoder: nothing escapes, every rejection is counted
 * under its reason, and every packet that is accepted re-encodes to the very same bytes.
 */
class VrrpCodecFuzzTest {
    static final InetAddress SRC4 = VrrpCodecTest.ip("10.1.1.1");
    static final InetAddress DST4 = VrrpCodecTest.ip("10.1.1.2"); // unicast: every v3 checksum variant applies
    static final InetAddress SRC6 = VrrpCodecTest.ip("fe80::1");
    static final InetAddress DST6 = VrrpCodecTest.ip("ff02::12");
    static final int N = 1_000_000;

    @Test
    void millionRandomAndMutatedPackets() {
        SplittableRandom rnd = new SplittableRandom(20261123L);
        List<byte[]> seeds4 = new ArrayList<>();
        List<byte[]> seeds6 = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            List<InetAddress> a4 = new ArrayList<>();
            List<InetAddress> a6 = new ArrayList<>();
            for (int k = 0; k < i % 5; k++) {
                a4.add(VrrpCodecTest.ip("10.0." + i + "." + (k + 1)));
                a6.add(VrrpCodecTest.ip("2001:db8::" + i + ":" + (k + 1)));
            }
            seeds4.add(VrrpCodec.encode(VrrpPacket.v2(i + 1, 100 + i, 1 + i % 3, i % 2, "pw".getBytes(), a4), SRC4, DST4));
            byte[] v3 = VrrpCodec.encode(VrrpPacket.v3(i + 1, 50 + i, 10 + i, a4), SRC4, DST4, i % 3 == 0);
            if (i % 3 == 1) setChecksum(v3, ChecksumVariant.V3_NO_PSEUDO_HEADER, SRC4, DST4);
            seeds4.add(v3);
            seeds6.add(VrrpCodec.encode(VrrpPacket.v3(i + 1, 200 - i, 100, a6), SRC6, DST6));
        }
        byte[] ipv4Template = VrrpCodecTest.hex(VrrpCodecTest.KA_V2_PASS);

        Map<RejectReason, Integer> rejected = new EnumMap<>(RejectReason.class);
        Map<ChecksumVariant, Integer> variants = new EnumMap<>(ChecksumVariant.class);
        int accepted = 0;
        int reencoded = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < N; i++) {
            int mode = rnd.nextInt(10);
            boolean six = rnd.nextInt(4) == 0;
            InetAddress src = six ? SRC6 : SRC4;
            InetAddress dst = six ? DST6 : DST4;
            int ttl = rnd.nextInt(50) == 0 ? rnd.nextInt(256) : 255;
            byte[] pkt;
            DecodeResult r;
            if (mode == 0) {
                // pure noise
                pkt = new byte[rnd.nextInt(80)];
                for (int k = 0; k < pkt.length; k++) pkt[k] = (byte) rnd.nextInt(256);
                r = VrrpCodec.decode(pkt, src, dst, ttl);
            } else if (mode == 1) {
                // whole IPv4 datagram: template with mutated header and payload bytes, random length
                pkt = ipv4Template.clone();
                int flips = 1 + rnd.nextInt(3);
                for (int k = 0; k < flips; k++) pkt[rnd.nextInt(pkt.length)] = (byte) rnd.nextInt(256);
                int len = rnd.nextInt(pkt.length + 1);
                r = VrrpCodec.decodeIpv4Packet(pkt, 0, len, true);
            } else {
                List<byte[]> seeds = six ? seeds6 : seeds4;
                pkt = seeds.get(rnd.nextInt(seeds.size())).clone();
                switch (mode) {
                    case 2: // one byte changed
                        pkt[rnd.nextInt(pkt.length)] = (byte) rnd.nextInt(256);
                        break;
                    case 3: // truncated or extended
                        pkt = java.util.Arrays.copyOf(pkt, rnd.nextInt(pkt.length + 24));
                        break;
                    case 4: // header field set and checksum fixed, so later checks are reached
                        pkt[rnd.nextInt(8)] = (byte) rnd.nextInt(256);
                        fixChecksum(pkt, src, dst);
                        break;
                    case 5: // count changed, length kept, checksum fixed
                        pkt[3] = (byte) rnd.nextInt(256);
                        fixChecksum(pkt, src, dst);
                        break;
                    default: // untouched or a bit flip anywhere
                        if (rnd.nextBoolean()) pkt[rnd.nextInt(pkt.length)] ^= (byte) (1 << rnd.nextInt(8));
                        break;
                }
                r = VrrpCodec.decode(pkt, src, dst, ttl);
            }
            if (r.ok()) {
                accepted++;
                VrrpPacket p = r.packet();
                boolean encodable = !(p.version() == 2 && p.authType() == VrrpPacket.AUTH_AH)
                        && !(p.version() == 3 && (pkt[mode == 1 ? 24 : 4] & 0xf0) != 0);
                if (encodable && mode != 1) {
                    byte[] again = VrrpCodec.encode(p, src, dst, r.checksumVariant() == ChecksumVariant.V3_OLD_UNICAST);
                    if (r.checksumVariant() == ChecksumVariant.V3_NO_PSEUDO_HEADER) {
                        setChecksum(again, ChecksumVariant.V3_NO_PSEUDO_HEADER, src, dst);
                    }
                    variants.merge(r.checksumVariant(), 1, Integer::sum);
                    assertArrayEquals(pkt, again, "accepted packet must re-encode identically: " + p);
                    reencoded++;
                }
            } else {
                rejected.merge(r.reason(), 1, Integer::sum);
            }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        int total = accepted + rejected.values().stream().mapToInt(Integer::intValue).sum();
        System.out.println("fuzz: " + N + " packets in " + ms + " ms; accepted " + accepted + " (" + reencoded
                + " re-encoded identically, by checksum " + variants + "); rejected " + rejected);
        assertEquals(N, total);
        // every codec-level reason is reachable from these inputs and was counted
        for (RejectReason reason : List.of(RejectReason.PACKET_LEN_ERR, RejectReason.IP_TTL_ERR, RejectReason.VERSION_ERR,
                RejectReason.INVALID_TYPE_RCVD, RejectReason.CHECKSUM_ERR, RejectReason.INVALID_AUTHTYPE, RejectReason.VRID_ERR,
                RejectReason.ADVERT_INTERVAL_ERR)) {
            assertTrue(rejected.getOrDefault(reason, 0) > 0, "no rejection counted for " + reason);
        }
        for (ChecksumVariant v : ChecksumVariant.values()) {
            assertTrue(variants.getOrDefault(v, 0) > 0, "no accepted packet with checksum " + v);
        }
        assertTrue(accepted > N / 20, "too few valid packets to exercise the accept path: " + accepted);
        assertTrue(ms < 15_000, "fuzz run too slow: " + ms + " ms");
    }

    private static void setChecksum(byte[] p, ChecksumVariant v, InetAddress src, InetAddress dst) {
        p[6] = 0;
        p[7] = 0;
        int s = VrrpCodec.checksum(p, 0, p.length, v, src, dst);
        p[6] = (byte) (s >> 8);
        p[7] = (byte) s;
    }

    /** Recomputes the checksum with the right variant for the (possibly changed) version byte. */
    private static void fixChecksum(byte[] p, InetAddress src, InetAddress dst) {
        p[6] = 0;
        p[7] = 0;
        int version = (p[0] >> 4) & 0x0f;
        ChecksumVariant v = version == 3 ? ChecksumVariant.V3_PSEUDO_HEADER : ChecksumVariant.V2_MESSAGE_ONLY;
        int s = VrrpCodec.checksum(p, 0, p.length, v, src, dst);
        p[6] = (byte) (s >> 8);
        p[7] = (byte) s;
    }
}
