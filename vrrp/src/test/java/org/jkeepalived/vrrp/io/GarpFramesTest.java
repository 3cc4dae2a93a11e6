package org.jkeepalived.vrrp.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class GarpFramesTest {
    private static final byte[] MAC = HexFormat.of().parseHex("02000000000a");

    @Test
    void gratuitousArpLayout() throws Exception {
        byte[] f = GarpFrames.garp(MAC, (Inet4Address) InetAddress.getByName("10.9.0.100"));
        assertEquals(60, f.length);
        assertEquals("ffffffffffff" + "02000000000a" + "0806"
                        + "0001" + "0800" + "06" + "04" + "0001"
                        + "02000000000a" + "0a090064" + "000000000000" + "0a090064",
                HexFormat.of().formatHex(Arrays.copyOf(f, 42)));
        for (int i = 42; i < 60; i++) {
            assertEquals(0, f[i]);
        }
    }

    @Test
    void unsolicitedNaLayoutAndChecksum() throws Exception {
        Inet6Address vip = (Inet6Address) InetAddress.getByName("fd00::100");
        byte[] f = GarpFrames.unsolicitedNa(MAC, vip);
        ByteBuffer b = ByteBuffer.wrap(f);
        assertEquals(14 + 40 + 32, f.length);
        assertArrayEquals(GarpFrames.ALL_NODES_MAC, Arrays.copyOfRange(f, 0, 6));
        assertArrayEquals(MAC, Arrays.copyOfRange(f, 6, 12));
        assertEquals(0x86dd, b.getShort(12) & 0xffff);
        assertEquals(6, (f[14] & 0xf0) >> 4);
        assertEquals(32, b.getShort(18));
        assertEquals(58, f[20]);
        assertEquals(255, f[21] & 0xff); // hop limit
        assertArrayEquals(vip.getAddress(), Arrays.copyOfRange(f, 22, 38));
        assertArrayEquals(InetAddress.getByName("ff02::1").getAddress(), Arrays.copyOfRange(f, 38, 54));
        assertEquals(136, f[54] & 0xff);
        assertEquals(0x20, f[58] & 0xff); // override only, not solicited, not router
        assertArrayEquals(vip.getAddress(), Arrays.copyOfRange(f, 62, 78));
        assertEquals(2, f[78]);
        assertEquals(1, f[79]);
        assertArrayEquals(MAC, Arrays.copyOfRange(f, 80, 86));
        // a correct checksum makes the one's complement sum over pseudo-header + message 0xffff
        long sum = 0;
        byte[] pseudo = ByteBuffer.allocate(40).put(Arrays.copyOfRange(f, 22, 54)).putInt(32).putInt(58).array();
        byte[] icmp = Arrays.copyOfRange(f, 54, 86);
        for (byte[] part : List.of(pseudo, icmp)) {
            for (int i = 0; i < part.length; i += 2) {
                sum += ((part[i] & 0xff) << 8) | (part[i + 1] & 0xff);
            }
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        assertEquals(0xffff, sum);
    }

    @Test
    void icmpv6ChecksumKnownVector() {
        // RFC 1071 style check on a tiny message: src ::1, dst ::2, echo request id 0 seq 0
        byte[] src = new byte[16];
        src[15] = 1;
        byte[] dst = new byte[16];
        dst[15] = 2;
        byte[] echo = {(byte) 128, 0, 0, 0, 0, 0, 0, 0};
        // sum = 1 + 2 + 8 (length) + 58 + 0x8000 = 0x8045 -> ~ = 0x7fba
        assertEquals(0x7fba, GarpFrames.icmpv6Checksum(src, dst, echo));
    }

    @Test
    void garpScheduleLikeKeepalived() {
        GarpSchedule d = GarpSchedule.DEFAULT;
        assertEquals(10, d.afterTransition().size());
        assertEquals(Duration.ZERO, d.afterTransition().get(4));
        assertEquals(Duration.ofSeconds(5), d.afterTransition().get(5));
        GarpSchedule spaced = new GarpSchedule(Duration.ZERO, 3, Duration.ofSeconds(60), 2, Duration.ofMillis(10));
        assertEquals(List.of(Duration.ZERO, Duration.ofMillis(10), Duration.ofMillis(20)), spaced.afterTransition());
        assertEquals(List.of(Duration.ZERO, Duration.ofMillis(10)), spaced.refreshBurst());
        assertEquals(true, spaced.refreshes());
        assertEquals(false, d.refreshes());
    }

    @Test
    void vipScopesAndText() throws Exception {
        assertEquals(253, VipAddress.scopeNumber("link"));
        assertEquals(254, VipAddress.scopeNumber("host"));
        assertEquals(0, VipAddress.scopeNumber(null));
        assertEquals(17, VipAddress.scopeNumber("17"));
        VipAddress v = new VipAddress(InetAddress.getByName("10.0.0.1"), 24, "eth0",
                InetAddress.getByName("10.0.0.255"), 0, "eth0:1", false);
        assertEquals("10.0.0.1/24 brd 10.0.0.255 dev eth0 scope global label eth0:1", v.toString());
    }
}
