package org.jkeepalived.vrrp.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * rtnetlink in a namespace: {@link AddressManager} adds and removes VIPs as {@code ip addr} then
 * shows them, {@link LinkMonitor} sees carrier loss and admin down on the veth.
 */
@Tag("netns")
class NetlinkNetnsTest {
    static TwoHostLab lab;
    static NetnsLab.Child a;

    @BeforeAll
    static void up() {
        NetnsLab.assumeAvailable();
        lab = new TwoHostLab();
        a = lab.tool(lab.a);
    }

    @AfterAll
    static void down() {
        if (lab != null) {
            lab.close();
        }
    }

    private static String ipAddr() {
        return NetnsLab.run("ip", "-n", lab.a, "addr", "show", "dev", "eth0");
    }

    @Test
    void addsAndRemovesIpv4VipWithBrdScopeAndLabel() {
        assertEquals("OK true", a.call("addr-add eth0 10.9.0.100/24 brd 10.9.0.255 scope global label eth0:vip"));
        String shown = ipAddr();
        assertTrue(shown.contains("inet 10.9.0.100/24 brd 10.9.0.255 scope global secondary eth0:vip"), shown);
        // a second add of the same address is reported, not an error
        assertEquals("OK false", a.call("addr-add eth0 10.9.0.100/24"));
        String listed = a.call("addr-list eth0");
        assertTrue(listed.contains("10.9.0.100/24,scope=0,label=eth0:vip,brd=10.9.0.255"), listed);
        assertTrue(listed.indexOf("10.9.0.1/24") < listed.indexOf("10.9.0.100/24"), "primary first: " + listed);

        assertEquals("OK true", a.call("addr-del eth0 10.9.0.100/24"));
        assertFalse(ipAddr().contains("10.9.0.100"));
        assertEquals("OK false", a.call("addr-del eth0 10.9.0.100/24"));
    }

    @Test
    void addsHostScopedAndIpv6Vips() {
        assertEquals("OK true", a.call("addr-add eth0 10.9.1.7/32 scope host"));
        assertTrue(ipAddr().contains("inet 10.9.1.7/32 scope host eth0"), ipAddr());
        assertEquals("OK true", a.call("addr-add eth0 fd00::100/64"));
        String shown = ipAddr();
        assertTrue(shown.contains("inet6 fd00::100/64 scope global nodad"), shown);
        assertTrue(a.call("addr-list eth0").contains("fd00:0:0:0:0:0:0:100/64"));
        assertEquals("OK true", a.call("addr-del eth0 fd00::100/64"));
        assertEquals("OK true", a.call("addr-del eth0 10.9.1.7/32 scope host"));
        shown = ipAddr();
        assertFalse(shown.contains("fd00::100") || shown.contains("10.9.1.7"), shown);
    }

    @Test
    void linkMonitorSeesCarrierLossAndAdminDown() {
        String before = a.call("link eth0");
        assertTrue(before.contains("eth0(") && before.contains(" UP ") && before.contains(TwoHostLab.MAC_A), before);
        a.call("watch");
        // the bridge side going down takes the carrier away from A's eth0
        NetnsLab.run("ip", "-n", lab.lab.bridge(), "link", "set", lab.bridgePortA, "down");
        a.await(l -> l.startsWith("EVENT LINK eth0 down"), Duration.ofSeconds(5));
        assertTrue(a.call("link eth0").contains("DOWN"));
        NetnsLab.run("ip", "-n", lab.lab.bridge(), "link", "set", lab.bridgePortA, "up");
        a.await(l -> l.startsWith("EVENT LINK eth0 up"), Duration.ofSeconds(5));

        NetnsLab.run("ip", "-n", lab.a, "link", "set", "eth0", "down");
        String ev = a.await(l -> l.startsWith("EVENT LINK eth0 down"), Duration.ofSeconds(5));
        assertTrue(ev.contains("admin=false"), ev);
        NetnsLab.run("ip", "-n", lab.a, "link", "set", "eth0", "up");
        a.await(l -> l.startsWith("EVENT LINK eth0 up"), Duration.ofSeconds(5));
        assertEquals("OK none", a.call("link nosuch0"));
    }

    @Test
    void addsAndRemovesVirtualRoutes() {
        assertEquals("OK true", a.call("route-add eth0 10.50.0.0/16 via 10.9.0.2"));
        assertEquals("OK true", a.call("route-add eth0 192.0.2.0/24 table 100 metric 7"));
        assertEquals("OK true", a.call("route-add eth0 fd50::/64 via fd00::2"));
        assertEquals("OK true", a.call("route-add eth0 blackhole 198.51.100.0/24"));
        String main = NetnsLab.run("ip", "-n", lab.a, "route", "show");
        assertTrue(main.contains("10.50.0.0/16 via 10.9.0.2 dev eth0 proto keepalived"), main);
        assertTrue(main.contains("blackhole 198.51.100.0/24 proto keepalived"), main);
        String t100 = NetnsLab.run("ip", "-n", lab.a, "route", "show", "table", "100");
        assertTrue(t100.contains("192.0.2.0/24 dev eth0 proto keepalived scope link metric 7"), t100);
        String v6 = NetnsLab.run("ip", "-n", lab.a, "-6", "route", "show");
        assertTrue(v6.contains("fd50::/64 via fd00::2 dev eth0 proto keepalived"), v6);
        assertEquals("OK false", a.call("route-add eth0 10.50.0.0/16 via 10.9.0.2"));

        assertEquals("OK true", a.call("route-del eth0 10.50.0.0/16 via 10.9.0.2"));
        assertEquals("OK true", a.call("route-del eth0 192.0.2.0/24 table 100 metric 7"));
        assertEquals("OK true", a.call("route-del eth0 fd50::/64 via fd00::2"));
        assertEquals("OK true", a.call("route-del eth0 blackhole 198.51.100.0/24"));
        assertEquals("OK false", a.call("route-del eth0 10.50.0.0/16 via 10.9.0.2"));
        String after = NetnsLab.run("ip", "-n", lab.a, "route", "show", "table", "all");
        assertFalse(after.contains("10.50.0.0") || after.contains("192.0.2.0") || after.contains("fd50::")
                || after.contains("198.51.100.0"), after);
    }
}
