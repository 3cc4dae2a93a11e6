package org.jkeepalived.vrrp.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@link RuleManager} in a namespace: what {@code ip rule} then shows, for each selector and action. */
@Tag("netns")
class NetlinkRuleNetnsTest {
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

    private static String rules(String family) {
        return NetnsLab.run("ip", "-n", lab.a, family, "rule");
    }

    /** Adds, checks {@code ip rule} shows {@code expected}, a second add says false, deletes. */
    private static void roundTrip(String words, String family, String expected) {
        assertEquals("OK true", a.call("rule-add " + words));
        String shown = rules(family);
        assertTrue(shown.contains(expected), "expected '" + expected + "' in\n" + shown);
        assertEquals("OK false", a.call("rule-add " + words), "a second add of " + words);
        assertEquals("OK true", a.call("rule-del " + words));
        assertFalse(rules(family).contains(expected), rules(family));
        assertEquals("OK false", a.call("rule-del " + words));
    }

    @Test
    void ipv4Selectors() {
        roundTrip("from 10.1.0.0/16 table 100 priority 1000", "-4", "1000:\tfrom 10.1.0.0/16 lookup 100 proto keepalived");
        roundTrip("to 10.2.0.0/24 table 300 preference 1001", "-4", "1001:\tfrom all to 10.2.0.0/24 lookup 300 proto keepalived");
        roundTrip("from 192.168.28.0/24 to 192.168.29.0/26 iif eth0 oif lo tos 0x10 fwmark 24/12 pref 1002 table 5",
                "-4", "1002:\tfrom 192.168.28.0/24 to 192.168.29.0/26 tos 0x10 fwmark 0x18/0xc iif eth0 oif lo lookup 5 proto keepalived");
        roundTrip("not from 10.3.0.0/16 priority 1003 table main", "-4", "1003:\tnot from 10.3.0.0/16 lookup main proto keepalived");
        roundTrip("fwmark 7 priority 1004 goto 1010", "-4", "1004:\tfrom all fwmark 0x7 goto 1010 [unresolved] proto keepalived");
        roundTrip("from 10.4.0.0/16 priority 1005 blackhole", "-4", "1005:\tfrom 10.4.0.0/16 blackhole proto keepalived");
        roundTrip("from 10.5.0.0/16 priority 1006 table 6 realms 3/4", "-4", "1006:\tfrom 10.5.0.0/16 lookup 6 realms 3/4 proto keepalived");
        roundTrip("priority 1007 table main suppress_prefixlength 0", "-4", "1007:\tfrom all lookup main suppress_prefixlength 0 proto keepalived");
        roundTrip("priority 1008 uidrange 1000-1999 table 8", "-4", "1008:\tfrom all uidrange 1000-1999 lookup 8 proto keepalived");
        roundTrip("priority 1009 ip_proto tcp dport 80 sport 1024-65000 table 9", "-4",
                "1009:\tfrom all ipproto tcp sport 1024-65000 dport 80 lookup 9 proto keepalived");
    }

    @Test
    void ipv6AndDefaultPreference() {
        roundTrip("from fd00:1::/64 to fd00:2::/64 table 106 priority 2000", "-6",
                "2000:\tfrom fd00:1::/64 to fd00:2::/64 lookup 106 proto keepalived");
        // no preference: the kernel picks one, and the delete finds the rule by its selectors
        assertEquals("OK true", a.call("rule-add from 10.6.0.0/16 table 60"));
        assertTrue(rules("-4").contains("from 10.6.0.0/16 lookup 60 proto keepalived"), rules("-4"));
        assertEquals("OK true", a.call("rule-del from 10.6.0.0/16 table 60"));
        assertFalse(rules("-4").contains("10.6.0.0/16"));
    }
}
