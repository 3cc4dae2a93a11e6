package org.jkeepalived.vrrp.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link org.jkeepalived.vrrp.io.nativeio.RawVrrpSocket} between two namespaces: what one sends the
 * other receives with TTL / hop limit 255 and the right addresses, multicast and unicast, IPv4 and
 * IPv6, and IPsec AH datagrams whole; our own multicast does not loop back; an idle receiver
 * costs no CPU; close wakes it.
 */
@Tag("netns")
class VrrpSocketNetnsTest {
    // a VRRPv3 advert's shape (version 3, type 1, VRID 51, prio 150, 1 address, int 100 cs); the
    // socket does not look inside, so the checksum field is left as 0
    private static final String PAYLOAD4 = "3133960100640000" + "0a096464";
    private static final String PAYLOAD6 = "313396010064000000fd000000000000000000000000000100".substring(0, 48);

    static TwoHostLab lab;
    static NetnsLab.Child a;
    static NetnsLab.Child b;

    @BeforeAll
    static void up() {
        NetnsLab.assumeAvailable();
        lab = new TwoHostLab();
        a = lab.tool(lab.a);
        b = lab.tool(lab.b);
    }

    @AfterAll
    static void down() {
        if (lab != null) {
            lab.close();
        }
    }

    private static String id(String okReply) {
        return okReply.substring(3).trim();
    }

    private static String[] recv(NetnsLab.Child who, String sock) {
        String r = who.call("recv " + sock + " 3000");
        assertTrue(!r.equals("OK timeout"), "nothing received: " + r);
        return r.substring(3).split(" ");
    }

    @Test
    void ipv4MulticastArrivesWithTtl255AndDoesNotLoopBack() {
        String sa = id(a.call("open eth0 4 mcast"));
        String sb = id(b.call("open eth0 4 mcast"));
        a.call("send " + sa + " " + PAYLOAD4 + " - 224.0.0.18");
        String[] p = recv(b, sb);
        assertEquals("10.9.0.1", p[0]);
        assertEquals("224.0.0.18", p[1]);
        assertEquals("255", p[2]);
        assertEquals(PAYLOAD4, p[3]);
        // IP_MULTICAST_LOOP is off: the sender's own socket sees nothing
        assertEquals("OK timeout", a.call("recv " + sa + " 300"));
    }

    /** IPsec AH: our IPv4 header goes out as built (IP_HDRINCL) and comes in whole; 112 hears nothing. */
    @Test
    void ipv4AhDatagramsTravelWhole() throws Exception {
        String sa = id(a.call("open eth0 4 mcast ah"));
        String sb = id(b.call("open eth0 4 mcast ah"));
        String plain = id(b.call("open eth0 4 mcast"));
        byte[] d = org.jkeepalived.vrrp.codec.IpsecAh.encodeIpv4(
                org.jkeepalived.vrrp.codec.VrrpPacket.v2(51, 150, 1, 2, null,
                        java.util.List.of(java.net.InetAddress.getByName("10.9.100.100"))),
                java.net.InetAddress.getByName("10.9.0.1"), java.net.InetAddress.getByName("224.0.0.18"),
                4242, 255, 7, org.jkeepalived.vrrp.codec.IpsecAh.key("s3cret"));
        String hex = java.util.HexFormat.of().formatHex(d);
        a.call("send " + sa + " " + hex + " 10.9.0.1 224.0.0.18");
        String[] p = recv(b, sb);
        assertEquals("10.9.0.1", p[0]);
        assertEquals("224.0.0.18", p[1]);
        assertEquals("255", p[2]);
        assertEquals(hex, p[3]);
        assertEquals("OK timeout", b.call("recv " + plain + " 300"));
        assertEquals("OK timeout", a.call("recv " + sa + " 300"));
    }

    @Test
    void ipv4UnicastWithChosenSource() {
        String sa = id(a.call("open eth0 4 ucast"));
        String sb = id(b.call("open eth0 4 ucast"));
        a.call("send " + sa + " " + PAYLOAD4 + " 10.9.0.1 10.9.0.2");
        String[] p = recv(b, sb);
        assertEquals("10.9.0.1", p[0]);
        assertEquals("10.9.0.2", p[1]);
        assertEquals("255", p[2]);
        assertEquals(PAYLOAD4, p[3]);
    }

    @Test
    void ipv6MulticastFromLinkLocalWithHopLimit255() {
        String sa = id(a.call("open eth0 6 mcast"));
        String sb = id(b.call("open eth0 6 mcast"));
        a.call("send " + sa + " " + PAYLOAD6 + " - ff02::12");
        String[] p = recv(b, sb);
        assertTrue(p[0].startsWith("fe80:"), "source should be A's link-local address: " + p[0]);
        assertEquals("ff02:0:0:0:0:0:0:12", p[1]);
        assertEquals("255", p[2]);
        assertEquals(PAYLOAD6, p[3]);
        assertEquals("OK timeout", a.call("recv " + sa + " 300"));
    }

    @Test
    void ipv6UnicastWithChosenSource() {
        String sa = id(a.call("open eth0 6 ucast"));
        String sb = id(b.call("open eth0 6 ucast"));
        a.call("send " + sa + " " + PAYLOAD6 + " fd00::1 fd00::2");
        String[] p = recv(b, sb);
        assertEquals("fd00:0:0:0:0:0:0:1", p[0]);
        assertEquals("fd00:0:0:0:0:0:0:2", p[1]);
        assertEquals("255", p[2]);
        assertEquals(PAYLOAD6, p[3]);
    }

    @Test
    void idleReceiveBurnsNoCpuAndCloseWakesIt() {
        String sb = id(b.call("open eth0 4 mcast"));
        String[] idle = b.call("idlecheck " + sb + " 1000").substring(3).split(" ");
        assertEquals("timeout", idle[0]);
        assertTrue(Long.parseLong(idle[1]) < 50, "a 1 s idle receive used " + idle[1] + " ms of CPU");

        String[] wake = b.call("wakecheck " + sb).substring(3).split(" ");
        assertEquals("closed", wake[0]);
        long ms = Long.parseLong(wake[1]);
        assertTrue(ms >= 250 && ms < 1500, "close woke the receiver after " + ms + " ms");
    }

    @Test
    void openOnMissingInterfaceFails() {
        b.send("open nosuch0 4 mcast");
        String r = b.await(l -> l.startsWith("OK") || l.startsWith("ERR"), Duration.ofSeconds(10));
        assertTrue(r.startsWith("ERR") && r.contains("nosuch0"), r);
    }
}
