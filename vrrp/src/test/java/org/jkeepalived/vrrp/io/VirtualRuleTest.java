package org.jkeepalived.vrrp.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualRuleTest {
    @Test
    void parsesIpRuleWords() throws Exception {
        VirtualRule r = VirtualRule.parse(List.of("from", "10.1.0.0/16", "table", "100", "priority", "200",
                "no_track"), false);
        assertEquals(InetAddress.getByName("10.1.0.0"), r.from());
        assertEquals(16, r.fromLen());
        assertNull(r.to());
        assertEquals(100, r.table());
        assertEquals(200, r.priority());
        assertEquals(VirtualRule.RTPROT_KEEPALIVED, r.protocol());
        assertTrue(r.noTrack());
        assertFalse(r.ipv6());
        assertEquals("pref 200 from 10.1.0.0/16 lookup 100", r.toString());
        // the man page's static_rules example, track_group (not implemented) taken and ignored
        VirtualRule t = VirtualRule.parse(List.of("from", "192.168.2.0/24", "table", "1", "track_group", "GROUP1"),
                false);
        assertEquals("from 192.168.2.0/24 lookup 1", t.toString());
    }

    @Test
    void defaultsAsIpRule() throws Exception {
        VirtualRule r = VirtualRule.parse(List.of("to", "2001:db8::1"), false);
        assertTrue(r.ipv6());
        assertEquals(128, r.toLen());
        assertEquals(254, r.table(), "a lookup rule without a table looks up main");
        assertEquals(255, VirtualRule.parse(List.of("from", "all", "lookup", "local"), false).table());
        assertTrue(VirtualRule.parse(List.of("iif", "lo", "table", "5"), true).ipv6());
        assertEquals(VirtualRule.parse(List.of("from", "10.0.0.1", "table", "5"), false),
                VirtualRule.parse(List.of("from", "10.0.0.1/32", "lookup", "5", "no_track"), false));
    }

    @Test
    void rejectsWhatIpRuleRejects() {
        assertThrows(IllegalArgumentException.class, () -> VirtualRule.parse(List.of("from", "host.example"), false));
        assertThrows(IllegalArgumentException.class, () -> VirtualRule.parse(List.of("table"), false));
        assertThrows(IllegalArgumentException.class, () -> VirtualRule.parse(List.of("frob", "1"), false));
        assertThrows(IllegalArgumentException.class,
                () -> VirtualRule.parse(List.of("from", "10.0.0.1", "to", "fd00::1"), false));
        assertThrows(IllegalArgumentException.class, () -> VirtualRule.parse(List.of("table", "no-such-table"), false));
        assertThrows(IllegalArgumentException.class, () -> VirtualRule.parse(List.of("sport", "20-10"), false));
    }
}
