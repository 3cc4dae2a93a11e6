package org.jkeepalived.vrrp.io.nativeio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.jkeepalived.vrrp.io.VirtualRule;
import org.jkeepalived.vrrp.io.Vmac;
import org.junit.jupiter.api.Test;

/** FIB rule and macvlan rtnetlink messages, checked byte by byte without a kernel. */
class NlRuleVmacTest {
    private static int u32(byte[] v) {
        return ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getInt();
    }

    private static Nl.Msg one(byte[] m) {
        assertEquals(m.length, ByteBuffer.wrap(m).order(ByteOrder.nativeOrder()).getInt(0));
        assertEquals(0, m.length % 4);
        List<Nl.Msg> l = Nl.parse(m, m.length);
        assertEquals(1, l.size());
        return l.get(0);
    }

    @Test
    void ipv4RuleWithSelectorsAndTable() throws Exception {
        VirtualRule r = VirtualRule.parse(List.of("from", "192.168.28.0/24", "to", "192.168.29.0/26", "table", "300",
                "iif", "eth1", "oif", "eth2", "tos", "22", "fwmark", "24/12", "preference", "39", "realms", "30/20"),
                false);
        Nl.Msg m = one(NetlinkRuleManager.ruleMessage(NetlinkRuleManager.RTM_NEWRULE,
                Nl.NLM_F_REQUEST | Nl.NLM_F_ACK | Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, 9, r));
        assertEquals(NetlinkRuleManager.RTM_NEWRULE, m.type());
        assertEquals(9, m.seq());
        byte[] h = m.body();
        assertEquals(2, h[0]); // AF_INET
        assertEquals(26, h[1]); // dst_len
        assertEquals(24, h[2]); // src_len
        assertEquals(22, h[3]); // tos
        assertEquals(0, h[4]); // table > 255: only in FRA_TABLE
        assertEquals(VirtualRule.ACT_TO_TBL, h[7]);
        assertEquals(0, u32(java.util.Arrays.copyOfRange(h, 8, 12)));
        Map<Integer, byte[]> a = m.attrs(12);
        assertArrayEquals(InetAddress.getByName("192.168.28.0").getAddress(), a.get(NetlinkRuleManager.FRA_SRC));
        assertArrayEquals(InetAddress.getByName("192.168.29.0").getAddress(), a.get(NetlinkRuleManager.FRA_DST));
        assertEquals(300, u32(a.get(NetlinkRuleManager.FRA_TABLE)));
        assertEquals(39, u32(a.get(NetlinkRuleManager.FRA_PRIORITY)));
        assertEquals(24, u32(a.get(NetlinkRuleManager.FRA_FWMARK)));
        assertEquals(12, u32(a.get(NetlinkRuleManager.FRA_FWMASK)));
        assertEquals(30 << 16 | 20, u32(a.get(NetlinkRuleManager.FRA_FLOW)));
        assertEquals("eth1", Nl.cString(a.get(NetlinkRuleManager.FRA_IIFNAME)));
        assertEquals("eth2", Nl.cString(a.get(NetlinkRuleManager.FRA_OIFNAME)));
        assertArrayEquals(new byte[]{18}, a.get(NetlinkRuleManager.FRA_PROTOCOL)); // proto keepalived
    }

    @Test
    void ipv6RuleWithPortsUidsAndInvert() throws Exception {
        VirtualRule r = VirtualRule.parse(List.of("not", "to", "1:2:3:4:5:6:7:0/112", "from", "7:6:5:4:3:2::/96",
                "table", "6", "uidrange", "10000-19999", "ip_proto", "UDP", "sport", "10-20", "dport", "25"), false);
        Nl.Msg m = one(NetlinkRuleManager.ruleMessage(NetlinkRuleManager.RTM_DELRULE, Nl.NLM_F_REQUEST, 1, r));
        byte[] h = m.body();
        assertEquals(10, h[0]); // AF_INET6 from the addresses, whatever the default
        assertEquals(112, h[1] & 0xff);
        assertEquals(96, h[2] & 0xff);
        assertEquals(6, h[4]);
        assertEquals(NetlinkRuleManager.FIB_RULE_INVERT, u32(java.util.Arrays.copyOfRange(h, 8, 12)));
        Map<Integer, byte[]> a = m.attrs(12);
        ByteBuffer uid = ByteBuffer.wrap(a.get(NetlinkRuleManager.FRA_UID_RANGE)).order(ByteOrder.nativeOrder());
        assertEquals(10000, uid.getInt());
        assertEquals(19999, uid.getInt());
        assertArrayEquals(new byte[]{17}, a.get(NetlinkRuleManager.FRA_IP_PROTO));
        ByteBuffer sp = ByteBuffer.wrap(a.get(NetlinkRuleManager.FRA_SPORT_RANGE)).order(ByteOrder.nativeOrder());
        assertEquals(10, sp.getShort());
        assertEquals(20, sp.getShort());
        ByteBuffer dp = ByteBuffer.wrap(a.get(NetlinkRuleManager.FRA_DPORT_RANGE)).order(ByteOrder.nativeOrder());
        assertEquals(25, dp.getShort());
        assertEquals(25, dp.getShort());
        assertNull(a.get(NetlinkRuleManager.FRA_PRIORITY), "no preference: the kernel picks one");
    }

    @Test
    void gotoAndBlackholeActions() {
        VirtualRule g = VirtualRule.parse(List.of("fwmark", "0x10", "goto", "500", "priority", "100"), false);
        Nl.Msg m = one(NetlinkRuleManager.ruleMessage(NetlinkRuleManager.RTM_NEWRULE, Nl.NLM_F_REQUEST, 1, g));
        assertEquals(2, m.body()[0]); // no address: the default family
        assertEquals(VirtualRule.ACT_GOTO, m.body()[7]);
        assertEquals(500, u32(m.attrs(12).get(NetlinkRuleManager.FRA_GOTO)));
        assertNull(m.attrs(12).get(NetlinkRuleManager.FRA_TABLE));
        assertNull(m.attrs(12).get(NetlinkRuleManager.FRA_FWMASK));
        VirtualRule b = VirtualRule.parse(List.of("iif", "eth0", "blackhole"), true);
        m = one(NetlinkRuleManager.ruleMessage(NetlinkRuleManager.RTM_NEWRULE, Nl.NLM_F_REQUEST, 1, b));
        assertEquals(10, m.body()[0]);
        assertEquals(6, m.body()[7]);
    }

    @Test
    void macvlanCreateMessageNestsLinkInfo() {
        Vmac v = new Vmac("vrrp.51", "eth0", 51, false);
        Nl.Msg m = one(NetlinkVmacManager.createMessage(3, v, 7));
        assertEquals(Nl.RTM_NEWLINK, m.type());
        assertEquals(Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, m.flags() & (Nl.NLM_F_CREATE | Nl.NLM_F_EXCL));
        Map<Integer, byte[]> a = m.attrs(16);
        assertEquals("vrrp.51", Nl.cString(a.get(Nl.IFLA_IFNAME)));
        assertEquals(7, u32(a.get(NetlinkVmacManager.IFLA_LINK)));
        assertArrayEquals(new byte[]{0, 0, 0x5e, 0, 1, 51}, a.get(Nl.IFLA_ADDRESS));
        assertEquals("macvlan", NetlinkVmacManager.kindOf(m));
        Map<Integer, byte[]> info = new Nl.Msg(0, 0, 0, 0, a.get(NetlinkVmacManager.IFLA_LINKINFO)).attrs(0);
        Map<Integer, byte[]> data = new Nl.Msg(0, 0, 0, 0, info.get(NetlinkVmacManager.IFLA_INFO_DATA)).attrs(0);
        assertEquals(NetlinkVmacManager.MACVLAN_MODE_PRIVATE, u32(data.get(NetlinkVmacManager.IFLA_MACVLAN_MODE)));
    }

    @Test
    void addrGenModeUpAndDeleteMessages() {
        Nl.Msg g = one(NetlinkVmacManager.addrGenModeNoneMessage(1, 12));
        assertEquals(12, g.buf().getInt(4));
        byte[] spec = g.attrs(16).get(NetlinkVmacManager.IFLA_AF_SPEC);
        byte[] inet6 = new Nl.Msg(0, 0, 0, 0, spec).attrs(0).get(10);
        assertArrayEquals(new byte[]{1}, new Nl.Msg(0, 0, 0, 0, inet6).attrs(0)
                .get(NetlinkVmacManager.IFLA_INET6_ADDR_GEN_MODE));
        Nl.Msg up = one(NetlinkVmacManager.upMessage(1, 12));
        assertEquals(1, up.buf().getInt(8)); // IFF_UP
        assertEquals(1, up.buf().getInt(12)); // change mask: IFF_UP only
        Nl.Msg del = one(NetlinkVmacManager.deleteMessage(1, "vmx"));
        assertEquals(Nl.RTM_DELLINK, del.type());
        assertEquals("vmx", Nl.cString(del.attrs(16).get(Nl.IFLA_IFNAME)));
        assertFalse(del.attrs(16).containsKey(NetlinkVmacManager.IFLA_LINKINFO));
    }

    @Test
    void vmacMacFollowsRfc5798() {
        assertArrayEquals(new byte[]{0, 0, 0x5e, 0, 2, (byte) 200}, new Vmac("v", "eth0", 200, true).mac());
        assertEquals("00:00:5e:00:01:33", new Vmac("v", "eth0", 51, false).macString());
        assertTrue(new Vmac("v", "eth0", 51, false).equals(new Vmac("v", "eth0", 51, false)));
        // use_vmac NAME MAC: six octets as given, five completed with the VRID
        assertEquals("02:11:22:33:44:55", new Vmac("v", "eth0", 51, false, "2:11:22:33:44:55").macString());
        assertArrayEquals(new byte[]{2, 0x11, 0x22, 0x33, 0x44, 51}, new Vmac("v", "eth0", 51, false, "02:11:22:33:44").mac());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new Vmac("v", "eth0", 51, false, "01:00:5e:00:00"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new Vmac("v", "eth0", 51, false, "02:11"));
    }
}
