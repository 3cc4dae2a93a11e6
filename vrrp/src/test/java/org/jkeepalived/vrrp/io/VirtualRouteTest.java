package org.jkeepalived.vrrp.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualRouteTest {
    @Test
    void parsesIpRouteWords() throws Exception {
        VirtualRoute r = VirtualRoute.parse(List.of("10.50.0.0/16", "via", "10.9.0.2", "metric", "5"), "eth0");
        assertEquals(InetAddress.getByName("10.50.0.0"), r.destination());
        assertEquals(16, r.prefix());
        assertEquals(InetAddress.getByName("10.9.0.2"), r.gateway());
        assertNull(r.dev(), "a gateway route lets the kernel pick the device");
        assertEquals(0, r.scope());
        assertEquals(5, r.metric());

        VirtualRoute onLink = VirtualRoute.parse(List.of("src", "10.0.0.1", "to", "192.0.2.0/24", "table", "100"),
                "eth1");
        assertEquals("eth1", onLink.dev());
        assertEquals(253, onLink.scope());
        assertEquals(100, onLink.table());
        assertEquals(InetAddress.getByName("10.0.0.1"), onLink.src());

        VirtualRoute dflt = VirtualRoute.parse(List.of("default", "via", "fd00::1"), "eth0");
        assertEquals(0, dflt.prefix());
        assertTrue(dflt.ipv6());
        assertEquals(6, VirtualRoute.parse(List.of("blackhole", "198.51.100.0/24"), "eth0").type());
        assertThrows(IllegalArgumentException.class, () -> VirtualRoute.parse(List.of("via", "10.0.0.1"), "eth0"));
        assertThrows(IllegalArgumentException.class, () -> VirtualRoute.parse(List.of("10.0.0.0/8", "nexthop"),
                "eth0"));
    }
}
