package org.jkeepalived.ipvs;

import static org.jkeepalived.ipvs.TestTables.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.jkeepalived.core.config.L4Protocol;
import org.jkeepalived.core.table.ServiceKey;
import org.jkeepalived.core.table.VirtualService;
import org.junit.jupiter.api.Test;

/** Layout as observed from ipvsadm 1.31 (the kernel-vm test compares against the real one). */
class IpvsTableFormatterTest {

    @Test
    void listLooksLikeIpvsadm() {
        VirtualService web = persistent(tcp("10.0.0.1", 80), "wrr", 300, "255.255.255.0", nat("10.0.1.2", 80, 1), nat("10.0.1.1", 80, 3));
        VirtualService dns = new VirtualService(ServiceKey.of(L4Protocol.UDP, ip("2001:db8::1"), 53), "sh",
                List.of("sh-port", "sh-fallback"), false, 0, null, null, List.of(nat("2001:db8::2", 53, 1)));
        VirtualService fwm = new VirtualService(ServiceKey.fwmark(5, false), "mh", List.of("mh-port"), false, 0, null, null,
                List.of(dr("10.0.2.2", 0, 0)));
        LvsBackend.ServiceStats st = new LvsBackend.ServiceStats(web.key(), LvsBackend.Counters.ZERO,
                List.of(new LvsBackend.DestinationStats(nat("10.0.1.1", 80, 3).key(), 12, 345, LvsBackend.Counters.ZERO)));
        String out = IpvsTableFormatter.format("1.2.1", 4096, List.of(fwm, dns, web), List.of(st), IpvsTableFormatter.Mode.LIST);
        assertEquals(String.join("\n",
                "IP Virtual Server version 1.2.1 (size=4096)",
                "Prot LocalAddress:Port Scheduler Flags",
                "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn",
                "TCP  10.0.0.1:80 wrr persistent 300 mask 255.255.255.0",
                "  -> 10.0.1.1:80                  Masq    3      12         345       ",
                "  -> 10.0.1.2:80                  Masq    1      0          0         ",
                "UDP  [2001:db8::1]:53 sh (sh-fallback,sh-port)",
                "  -> [2001:db8::2]:53             Masq    1      0          0         ",
                "FWM  5 mh (mh-port)",
                "  -> 10.0.2.2:0                   Route   0      0          0         ",
                ""), out);
    }

    @Test
    void statsAndRateColumns() {
        VirtualService web = svc(tcp("10.0.0.1", 80), "rr", nat("10.0.1.1", 80, 1));
        LvsBackend.Counters c = new LvsBackend.Counters(7, 123_456_789L, 5, 2_500_000_000L, 150_000_000_000_000L, 1, 2, 3, 4, 5);
        LvsBackend.ServiceStats st = new LvsBackend.ServiceStats(web.key(), c,
                List.of(new LvsBackend.DestinationStats(nat("10.0.1.1", 80, 1).key(), 0, 0, c)));
        String stats = IpvsTableFormatter.format("1.2.1", 4096, List.of(web), List.of(st), IpvsTableFormatter.Mode.STATS);
        assertEquals(String.join("\n",
                "IP Virtual Server version 1.2.1 (size=4096)",
                "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes",
                "  -> RemoteAddress:Port",
                "TCP  10.0.0.1:80                         7  123456K        5    2500M     150T",
                "  -> 10.0.1.1:80                         7  123456K        5    2500M     150T",
                ""), stats);
        String rate = IpvsTableFormatter.format("1.2.1", 4096, List.of(web), List.of(st), IpvsTableFormatter.Mode.RATE);
        assertTrue(rate.contains("Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS\n"));
        assertTrue(rate.contains("TCP  10.0.0.1:80                         1        2        3        4        5\n"));
    }

    @Test
    void addressesAreWrittenAsInetNtop() {
        assertEquals("2001:db8::1", IpvsSemantics.ntop(ip("2001:db8:0:0:0:0:0:1")));
        assertEquals("::", IpvsSemantics.ntop(ip("::")));
        assertEquals("fe80::1:0:0:2", IpvsSemantics.ntop(ip("fe80:0:0:0:1:0:0:2")));
        assertEquals("2001:db8:0:1:1:1:1:1", IpvsSemantics.ntop(ip("2001:db8:0:1:1:1:1:1")));
        assertEquals("1::", IpvsSemantics.ntop(ip("1:0:0:0:0:0:0:0")));
        assertEquals("SCTP 10.0.0.9:9", IpvsTableFormatter.serviceName(ServiceKey.of(L4Protocol.SCTP, ip("10.0.0.9"), 9)));
        assertEquals("FWM  6 IPv6", IpvsTableFormatter.serviceName(ServiceKey.fwmark(6, true)));
    }
}
