package org.jkeepalived.vrrp.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A VIP moves from B to A: the client's neighbour entry (learnt while B held the VIP) follows A's
 * gratuitous ARP / unsolicited NA without the client asking, and TCP reaches A's listener.
 */
@Tag("netns")
class GratuitousArpNetnsTest {
    static TwoHostLab lab;
    static NetnsLab.Child a;
    static NetnsLab.Child b;

    @BeforeAll
    static void up() {
        NetnsLab.assumeAvailable();
        lab = new TwoHostLab();
        a = lab.tool(lab.a);
        b = lab.tool(lab.b);
        a.call("listen 8080 director-a");
        b.call("listen 8080 director-b");
    }

    @AfterAll
    static void down() {
        if (lab != null) {
            lab.close();
        }
    }

    private static String neigh(String ip) {
        return NetnsLab.run("ip", "-n", lab.c, "neigh", "show", ip);
    }

    private static String connect(String ip) {
        String host = ip.contains(":") ? "[" + ip + "]" : ip;
        NetnsLab.Result r = NetnsLab.execIn(lab.c, "timeout", "5", "bash", "-c",
                "exec 3<>/dev/tcp/" + ip + "/8080 && head -1 <&3");
        assertEquals(0, r.exit(), "connect to " + host + ": " + r.output());
        return r.output().trim();
    }

    private static void moveVip(String cidr, String ip) throws InterruptedException {
        assertEquals("OK true", b.call("addr-add eth0 " + cidr));
        // the client learns B's MAC by talking to the VIP
        assertEquals("director-b", connect(ip));
        assertTrue(neigh(ip).contains(TwoHostLab.MAC_B), neigh(ip));

        // failover: B drops the VIP, A takes it and announces; the client does not ask again
        assertEquals("OK true", b.call("addr-del eth0 " + cidr));
        assertEquals("OK true", a.call("addr-add eth0 " + cidr));
        a.call("announce eth0 " + ip);
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (!neigh(ip).contains(TwoHostLab.MAC_A) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(neigh(ip).contains(TwoHostLab.MAC_A), "client still has " + neigh(ip));
        assertEquals("director-a", connect(ip));
        assertEquals("OK true", a.call("addr-del eth0 " + cidr));
    }

    @Test
    void garpMovesIpv4Vip() throws InterruptedException {
        moveVip("10.9.0.100/24", "10.9.0.100");
    }

    @Test
    void unsolicitedNaMovesIpv6Vip() throws InterruptedException {
        moveVip("fd00::100/64", "fd00::100");
    }
}
