package org.jkeepalived.vrrp.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.jkeepalived.core.config.GlobalDefs;
import org.junit.jupiter.api.Test;

class NftBatchTest {
    static VipAddress vip(String cidr, String dev) throws Exception {
        String[] p = cidr.split("/");
        return VipAddress.of(InetAddress.getByName(p[0]), Integer.parseInt(p[1]), dev);
    }

    @Test
    void replacesTheWholeTableInOneTransaction() throws Exception {
        String b = NftBatch.replace(VipFilterOptions.DEFAULTS, List.of(vip("10.0.0.101/24", "eth0"),
                vip("10.0.0.100/24", "eth0"), vip("fd00::100/64", "eth0"), vip("fe80::52/64", "eth1"),
                vip("10.0.0.100/32", "eth1")));
        String expected = ""
                + "add table inet jkeepalived\n"
                + "delete table inet jkeepalived\n"
                + "table inet jkeepalived {\n"
                + "\tset vips4 {\n\t\ttype ipv4_addr\n\t\telements = { 10.0.0.100, 10.0.0.101 }\n\t}\n"
                + "\tset vips6 {\n\t\ttype ipv6_addr\n\t\telements = { fd00:0:0:0:0:0:0:100 }\n\t}\n"
                + "\tset vips6_link_local {\n\t\ttype ipv6_addr . ifname\n"
                + "\t\telements = { fe80:0:0:0:0:0:0:52 . \"eth1\" }\n\t}\n"
                + "\tchain in {\n"
                + "\t\ttype filter hook input priority -1; policy accept;\n"
                + "\t\ticmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept\n"
                + "\t\tip daddr @vips4 drop\n"
                + "\t\tip6 daddr . iifname @vips6_link_local drop\n"
                + "\t\tip6 daddr @vips6 drop\n"
                + "\t}\n"
                + "\tchain out {\n"
                + "\t\ttype filter hook output priority -1; policy accept;\n"
                + "\t\ticmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept\n"
                + "\t\tip saddr @vips4 drop\n"
                + "\t\tip6 saddr . oifname @vips6_link_local drop\n"
                + "\t\tip6 saddr @vips6 drop\n"
                + "\t}\n"
                + "}\n";
        assertEquals(expected, b);
    }

    @Test
    void emptySetsAreDeclaredWithoutElements() throws Exception {
        String b = NftBatch.replace(VipFilterOptions.DEFAULTS, List.of(vip("10.0.0.100/24", "eth0")));
        assertTrue(b.contains("\tset vips6 {\n\t\ttype ipv6_addr\n\t}\n"), b);
        assertFalse(b.contains("elements = {  }"), b);
    }

    @Test
    void nothingToBlockDeletesTheTable() {
        assertEquals("add table inet jkeepalived\ndelete table inet jkeepalived\n",
                NftBatch.replace(VipFilterOptions.DEFAULTS, List.of()));
    }

    @Test
    void optionsNameTheTableSetThePriorityAndAddCounters() throws Exception {
        String b = NftBatch.replace(new VipFilterOptions("lb1", -5, true), List.of(vip("10.0.0.100/24", "eth0")));
        assertTrue(b.startsWith("add table inet lb1\ndelete table inet lb1\ntable inet lb1 {\n"), b);
        assertTrue(b.contains("type filter hook input priority -5; policy accept;"), b);
        assertTrue(b.contains("ip daddr @vips4 counter drop"), b);
        assertTrue(b.contains("ip saddr @vips4 counter drop"), b);
    }

    @Test
    void aScopeIdIsDroppedAndAnUnquotableInterfaceRefused() throws Exception {
        InetAddress scoped = InetAddress.getByName("fe80::52%1");
        String b = NftBatch.replace(VipFilterOptions.DEFAULTS, List.of(VipAddress.of(scoped, 64, "eth0")));
        assertTrue(b.contains("elements = { fe80:0:0:0:0:0:0:52 . \"eth0\" }"), b);
        assertThrows(IllegalArgumentException.class,
                () -> NftBatch.replace(VipFilterOptions.DEFAULTS, List.of(vip("fe80::1/64", "a\"b"))));
    }

    @Test
    void optionsFromGlobalDefs() {
        assertEquals(VipFilterOptions.DEFAULTS, VipFilterOptions.from(null));
        assertEquals(new VipFilterOptions("lb1", 5, true), VipFilterOptions.from(global(Map.of(
                "nftables", List.of(List.of("lb1")), "nftables_priority", List.of(List.of("5")),
                "nftables_counters", List.of(List.of())))));
        // "nftables" without a name keeps ours; bad values fall back to the defaults
        assertEquals(VipFilterOptions.DEFAULTS, VipFilterOptions.from(global(Map.of(
                "nftables", List.of(List.of()), "nftables_priority", List.of(List.of("x"))))));
        assertEquals(VipFilterOptions.DEFAULTS, VipFilterOptions.from(global(Map.of(
                "nftables", List.of(List.of("bad name;"))))));
    }

    static GlobalDefs global(Map<String, List<List<String>>> options) {
        return new GlobalDefs(null, null, null, null, null, false, null, null, 2, false, null, null, null, 0, null, 0,
                null, null, false, false, false, null, null, null, null, null, null, null, null, null, false, false, null, options);
    }
}
