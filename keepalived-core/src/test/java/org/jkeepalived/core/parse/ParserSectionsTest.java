package org.jkeepalived.core.parse;

import static org.jkeepalived.core.parse.TestSupport.find;
import static org.jkeepalived.core.parse.TestSupport.ok;
import static org.jkeepalived.core.parse.TestSupport.parse;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.jkeepalived.core.config.AuthType;
import org.jkeepalived.core.config.Checker;
import org.jkeepalived.core.config.CheckerCommon;
import org.jkeepalived.core.config.GlobalDefs;
import org.jkeepalived.core.config.HttpUrl;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.config.L4Protocol;
import org.jkeepalived.core.config.LvsMethod;
import org.jkeepalived.core.config.RawBlock;
import org.jkeepalived.core.config.RealServer;
import org.jkeepalived.core.config.StaticAddress;
import org.jkeepalived.core.config.TrackRef;
import org.jkeepalived.core.config.TunnelSpec;
import org.jkeepalived.core.config.VirtualServer;
import org.jkeepalived.core.config.VirtualServerGroup;
import org.jkeepalived.core.config.VrrpInstance;
import org.jkeepalived.core.config.VrrpScript;
import org.jkeepalived.core.config.VrrpState;
import org.jkeepalived.core.config.VrrpSyncGroup;
import org.jkeepalived.core.parse.Diagnostic.Severity;
import org.junit.jupiter.api.Test;

/** One test (or a few) per section of keepalived.conf(5): typed values, defaults, inheritance. */
class ParserSectionsTest {

    private static InetAddress ip(String s) {
        return Addresses.parse(s);
    }

    private static Duration s(double sec) {
        return org.jkeepalived.core.config.Timers.seconds(sec);
    }

    @Test
    void globalDefsDefaults() {
        GlobalDefs g = ok("").globalDefs();
        assertEquals(2, g.vrrpVersion());
        assertEquals(ip("224.0.0.18"), g.vrrpMcastGroup4());
        assertEquals(ip("ff02::12"), g.vrrpMcastGroup6());
        assertEquals(s(5), g.vrrpGarpMasterDelay());
        assertEquals(5, g.vrrpGarpMasterRepeat());
        assertEquals(Duration.ZERO, g.vrrpGarpMasterRefresh());
        assertEquals(1, g.vrrpGarpMasterRefreshRepeat());
        assertEquals(s(30), g.smtpConnectTimeout());
        assertFalse(g.vrrpStrict());
        assertNull(g.lvsFlushOnstop());
        assertTrue(g.options().isEmpty());
    }

    @Test
    void globalDefsValues() {
        GlobalDefs g = ok("global_defs {\n router_id LVS_1\n notification_email {\n  a@example.com\n  b@example.com\n }\n"
                + " notification_email_from kad@example.com\n smtp_server 192.0.2.1\n smtp_connect_timeout 12\n"
                + " enable_script_security\n script_user ka kagrp\n vrrp_version 3\n vrrp_strict\n"
                + " vrrp_mcast_group4 224.0.0.19\n vrrp_mcast_group6 ff02::13\n vrrp_garp_master_delay 10\n"
                + " vrrp_garp_master_repeat 1\n vrrp_garp_master_refresh 60\n vrrp_garp_master_refresh_repeat 2\n"
                + " vrrp_garp_interval 0.001\n vrrp_gna_interval 0.000001\n vrrp_skip_check_adv_addr\n"
                + " vrrp_check_unicast_src\n lvs_flush\n lvs_flush_onstop VS\n lvs_timeouts tcp 900 tcpfin 120 udp 300\n"
                + " lvs_sync_daemon eth1 VI_1 id 7 maxlen 1400 port 8849 ttl 2 group 224.0.0.82\n"
                + " notify_fifo /run/k.fifo\n notify_fifo_script /bin/fifo.sh\n dynamic_interfaces\n"
                + " vrrp_notify_fifo /run/v.fifo\n vrrp_notify_fifo_script \"/bin/v.sh arg\" nobody\n fifo_write_vrrp_states_on_reload\n"
                + " lvs_notify_fifo /run/l.fifo\n lvs_notify_fifo_script /bin/l.sh\n"
                + " vrrp_iptables keepalived\n}\n"
                + "vrrp_instance VI_1 {\n interface eth1\n virtual_router_id 9\n priority 255\n virtual_ipaddress {\n  192.0.2.9\n }\n}\n")
                .globalDefs();
        assertEquals("LVS_1", g.routerId());
        assertEquals(List.of("a@example.com", "b@example.com"), g.notificationEmail());
        assertEquals("192.0.2.1", g.smtpServer());
        assertEquals(s(12), g.smtpConnectTimeout());
        assertTrue(g.enableScriptSecurity());
        assertEquals("ka", g.scriptUser());
        assertEquals("kagrp", g.scriptGroup());
        assertEquals(3, g.vrrpVersion());
        assertTrue(g.vrrpStrict());
        assertEquals(ip("224.0.0.19"), g.vrrpMcastGroup4());
        assertEquals(s(0.001), g.vrrpGarpInterval());
        assertEquals(Duration.ofNanos(1000), g.vrrpGnaInterval());
        assertEquals("VS", g.lvsFlushOnstop());
        assertEquals(new GlobalDefs.LvsTimeouts(s(900), s(120), s(300)), g.lvsTimeouts());
        assertEquals(new GlobalDefs.LvsSyncDaemon("eth1", "VI_1", 7, 1400, 8849, 2, ip("224.0.0.82")), g.lvsSyncDaemon());
        assertEquals("/run/k.fifo", g.notifyFifo());
        assertEquals("/bin/fifo.sh", g.notifyFifoScript().command());
        assertEquals("/run/v.fifo", g.vrrpNotifyFifo());
        assertEquals(List.of("/bin/v.sh", "arg"), g.vrrpNotifyFifoScript().argv());
        assertEquals("nobody", g.vrrpNotifyFifoScript().user());
        assertTrue(g.fifoWriteVrrpStatesOnReload());
        assertEquals("/run/l.fifo", g.lvsNotifyFifo());
        assertEquals("/bin/l.sh", g.lvsNotifyFifoScript().command());
        assertTrue(g.dynamicInterfaces());
        assertEquals(List.of(List.of("keepalived")), g.options().get("vrrp_iptables"));
    }

    @Test
    void lvsSyncDaemonIdDefaultsToTheInstancesVrid() {
        GlobalDefs g = ok("global_defs {\n lvs_sync_daemon eth0 inst VI_1\n}\n"
                + "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 42\n}\n").globalDefs();
        assertEquals(42, g.lvsSyncDaemon().syncId());
    }

    @Test
    void deprecatedLvsSyncDaemonInterfaceWarnsAndFollowsTheInstance() {
        LoadResult r = parse("vrrp_instance VI_3 {\n interface eth0\n virtual_router_id 33\n lvs_sync_daemon_interface eth3\n}\n");
        assertEquals(4, find(r, Severity.WARNING, "lvs_sync_daemon_interface in a vrrp_instance is deprecated").pos().line());
        assertEquals(new GlobalDefs.LvsSyncDaemon("eth3", "VI_3", 33, null, null, null, null), r.config().globalDefs().lvsSyncDaemon());
        // keepalived 2.2.7 does not know it in global_defs
        find(parse("global_defs {\n lvs_sync_daemon_interface eth3\n}\n"), Severity.WARNING, "unknown keyword");
    }

    @Test
    void nbGetRetryIsRetryButDeprecated() {
        LoadResult r = parse("virtual_server 10.0.0.1 80 {\n real_server 10.0.1.1 80 {\n  HTTP_GET {\n   nb_get_retry 4\n"
                + "   url {\n    path /\n   }\n  }\n }\n}\n");
        assertEquals(4, find(r, Severity.WARNING, "nb_get_retry is deprecated").pos().line());
        assertEquals(4, r.config().virtualServers().get(0).realServers().get(0).checkers().get(0).common().retry());
    }

    @Test
    void notYetImplementedKeywordsAreKeptAndNoticed() {
        LoadResult r = parse("global_defs {\n vrrp_iptables in out\n}\n");
        Diagnostic d = find(r, Severity.NOTICE, "accepted, not yet implemented: vrrp_iptables");
        assertEquals(2, d.pos().line());
        assertEquals(List.of(List.of("in", "out")), r.config().globalDefs().options().get("vrrp_iptables"));
    }

    @Test
    void staticAddressesRoutesRules() {
        KeepalivedConfig c = ok("static_ipaddress {\n 192.168.1.1/24 dev eth0 scope global brd 192.168.1.255 label eth0:1\n"
                + " 2001:db8::5/64 dev eth1 noprefixroute home\n}\n"
                + "static_routes {\n 192.168.2.0/24 via 192.168.1.100 dev eth0\n}\n"
                + "static_rules {\n from 192.168.2.0/24 table 1 preference 100\n}\n");
        StaticAddress a = c.staticIpaddress().get(0);
        assertEquals(new StaticAddress(ip("192.168.1.1"), 24, ip("192.168.1.255"), "eth0", "global", "eth0:1", null, false,
                List.of()), a);
        StaticAddress b = c.staticIpaddress().get(1);
        assertEquals("2001:db8::5/64", b.cidr());
        assertTrue(b.noPrefixRoute());
        assertEquals(List.of("home"), b.extra());
        assertEquals(List.of("192.168.2.0/24", "via", "192.168.1.100", "dev", "eth0"), c.staticRoutes().get(0).words());
        assertEquals(List.of("from", "192.168.2.0/24", "table", "1", "preference", "100"), c.staticRules().get(0).words());
        // keepalived 2.2.7 reports a rule without a preference and gives it 16384; a route without dev
        // cannot be tracked, and it says so
        LoadResult r = parse("static_rules {\n from 192.168.2.0/24 table 1\n}\nstatic_routes {\n blackhole 10.9.0.0/16\n}\n");
        find(r, Severity.WARNING, "has no preference; 16384 used");
        assertEquals(List.of("from", "192.168.2.0/24", "table", "1", "preference", "16384"), r.config().staticRules().get(0).words());
        find(r, Severity.WARNING, "has no dev, so it cannot be tracked");
    }

    @Test
    void vrrpScriptDefaultsAndValues() {
        KeepalivedConfig c = ok("vrrp_script a {\n script /bin/a\n}\n"
                + "vrrp_script b {\n script \"/bin/b x\"\n interval 7\n timeout 3\n weight -20 reverse\n rise 2\n"
                + " fall 4\n user nobody nogroup\n init_fail\n}\n");
        VrrpScript a = c.vrrpScripts().get(0);
        assertEquals(s(1), a.interval());
        assertNull(a.timeout());
        assertEquals(0, a.weight());
        assertEquals(1, a.rise());
        assertEquals(1, a.fall());
        VrrpScript b = c.vrrpScripts().get(1);
        assertEquals(List.of("/bin/b", "x"), b.script().argv());
        assertEquals("nobody", b.script().user());
        assertEquals("nogroup", b.script().group());
        assertEquals(s(7), b.interval());
        // keepalived 2.2.7 takes whole seconds only: "0.5" is reported and ignored (1 s), 0 becomes 1
        LoadResult r = parse("vrrp_script c {\n script /bin/c\n interval 0.5\n timeout 0\n}\n");
        assertEquals(s(1), r.config().vrrpScripts().get(0).interval());
        assertEquals(s(1), r.config().vrrpScripts().get(0).timeout());
        find(r, Severity.WARNING, "(c): vrrp script interval '0.5' must be between 1 and 4294 - ignoring");
        find(r, Severity.WARNING, "(c): vrrp script timeout must be greater than 0, setting to 1");
        assertEquals(-20, b.weight());
        assertTrue(b.weightReverse());
        assertEquals(4, b.fall());
        assertTrue(b.initFail());
    }

    @Test
    void trackFileBothNames() {
        KeepalivedConfig c = ok("track_file f1 {\n file /run/f1\n}\nvrrp_track_file f2 {\n file \"/run/f 2\"\n"
                + " weight -3 reverse\n init_file 5 overwrite\n}\n");
        assertEquals(1, c.trackFiles().get(0).weight());
        assertNull(c.trackFiles().get(0).initFileValue());
        assertEquals("/run/f 2", c.trackFiles().get(1).file());
        assertEquals(-3, c.trackFiles().get(1).weight());
        assertTrue(c.trackFiles().get(1).weightReverse());
        assertEquals(5, c.trackFiles().get(1).initFileValue());
        assertTrue(c.trackFiles().get(1).initFileOverwrite());
    }

    private static final String TWO_INSTANCES = "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n}\n"
            + "vrrp_instance VI_2 {\n interface eth1\n virtual_router_id 2\n}\n"
            + "vrrp_script chk {\n script /bin/true\n}\ntrack_file tf {\n file /tmp/tf\n}\n";

    @Test
    void syncGroup() {
        KeepalivedConfig c = ok(TWO_INSTANCES + "vrrp_sync_group G1 {\n group {\n  VI_1\n  VI_2\n }\n"
                + " notify_master \"/bin/n MASTER\"\n notify /bin/all\n track_interface {\n  eth5 weight 10\n }\n"
                + " track_script {\n  chk weight -5 reverse\n }\n track_file {\n  tf\n }\n sync_group_tracking_weight\n"
                + " smtp_alert\n}\n");
        VrrpSyncGroup g = c.vrrpSyncGroups().get(0);
        assertEquals(List.of("VI_1", "VI_2"), g.group());
        assertEquals(List.of("/bin/n", "MASTER"), g.notifyMaster().argv());
        assertEquals("/bin/all", g.notifyGeneric().command());
        assertEquals(List.of(new TrackRef("eth5", 10, false)), g.trackInterfaces());
        assertEquals(List.of(new TrackRef("chk", -5, true)), g.trackScripts());
        assertEquals(List.of(new TrackRef("tf", null, false)), g.trackFiles());
        assertTrue(g.syncGroupTrackingWeight());
        assertEquals(Boolean.TRUE, g.smtpAlert());
        assertEquals(c.vrrpSyncGroups().get(0), c.syncGroupOf("VI_2").get());
    }

    @Test
    void vrrpInstanceDefaults() {
        VrrpInstance i = ok("vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n"
                + " virtual_ipaddress {\n  192.0.2.1/24\n }\n}\n").vrrpInstances().get(0);
        assertNull(i.initialState());
        assertEquals(100, i.priority());
        assertEquals(s(1), i.advertInt());
        assertEquals(2, i.version());
        assertFalse(i.ipv6());
        assertFalse(i.nopreempt());
        assertEquals(Duration.ZERO, i.preemptDelay());
        assertTrue(i.accept());
        assertEquals(AuthType.NONE, i.authType());
        assertEquals(s(5), i.garpMasterDelay());
        assertEquals(5, i.garpMasterRepeat());
        assertEquals(s(5), i.garpLowerPrioDelay());
        assertEquals(5, i.garpLowerPrioRepeat());
        assertNull(i.useVmac());
        assertFalse(i.strictMode());
    }

    @Test
    void useVmacWithANameAndVirtualRulesKeptAsWords() {
        VrrpInstance i = ok("vrrp_instance VI_7 {\n interface eth0\n virtual_router_id 7\n use_vmac vmac7\n"
                + " virtual_ipaddress {\n  192.0.2.7/24\n }\n"
                + " virtual_rules {\n  from 192.0.2.7 table 100 priority 200\n"
                + "  to 2001:db8::/64 table 101 preference 300\n }\n}\n").vrrpInstances().get(0);
        assertEquals("vmac7", i.useVmac());
        assertFalse(i.vmacXmitBase());
        assertEquals(List.of("from", "192.0.2.7", "table", "100", "priority", "200"), i.virtualRules().get(0).words());
        assertEquals(List.of("to", "2001:db8::/64", "table", "101", "preference", "300"),
                i.virtualRules().get(1).words());
    }

    @Test
    void vrrpInstanceEveryTypedKeyword() {
        // version 3 with authentication: kept in the model, reported as keepalived 2.2.7 does (its -t exits 5)
        LoadResult everything = parse("vrrp_script chk {\n script /bin/true\n}\ntrack_file tf {\n file /tmp/tf\n}\n"
                + "vrrp_instance VI_1 {\n state BACKUP\n interface eth0\n virtual_router_id 51\n priority 150\n"
                + " advert_int 0.5\n version 3\n preempt_delay 4.12\n no_accept\n"
                + " authentication {\n  auth_type AH\n  auth_pass secret12\n }\n mcast_src_ip 192.0.2.2\n"
                + " unicast_src_ip 192.0.2.2\n unicast_peer {\n  192.0.2.3\n  192.0.2.4 min_ttl 10 max_ttl 20\n }\n"
                + " virtual_ipaddress {\n  192.0.2.100/24 dev eth0 label eth0:vip\n  192.0.2.101\n }\n"
                + " virtual_ipaddress_excluded {\n  2001:db8::1/64\n }\n"
                + " virtual_routes {\n  src 192.0.2.100 to 198.51.100.0/24 via 192.0.2.254 dev eth1\n }\n"
                + " virtual_rules {\n  from 192.0.2.0/24 table 1 preference 10\n }\n"
                + " track_interface {\n  eth1\n  eth2 weight -10\n }\n track_script {\n  chk\n }\n"
                + " track_file {\n  tf weight 3 reverse\n }\n dont_track_primary\n use_vmac\n vmac_xmit_base\n"
                + " garp_master_delay 1\n garp_master_repeat 2\n garp_master_refresh 30\n garp_master_refresh_repeat 3\n"
                + " garp_lower_prio_delay 7\n garp_lower_prio_repeat 8\n notify_master /bin/m\n notify_backup /bin/b\n"
                + " notify_fault /bin/f\n notify_stop /bin/s\n notify /bin/n\n smtp_alert\n unicast_ttl 64\n"
                + " old_unicast_checksum\n strict_mode off\n promote_secondaries\n}\n");
        find(everything, Severity.WARNING, "VRRP version 3 has no authentication");
        assertEquals(1, everything.diagnostics().stream().filter(x -> x.severity() != Severity.NOTICE).count(),
                () -> TestSupport.formatAll(everything.diagnostics()));
        VrrpInstance i = everything.config().vrrpInstances().get(0);
        assertEquals(VrrpState.BACKUP, i.initialState());
        assertEquals(150, i.priority());
        assertEquals(s(0.5), i.advertInt());
        assertEquals(3, i.version());
        assertFalse(i.nopreempt()); // nopreempt: BadInputTest.preemptRulesAsKeepalived
        assertEquals(s(4.12), i.preemptDelay());
        assertFalse(i.accept());
        assertEquals(AuthType.AH, i.authType());
        assertEquals("secret12", i.authPass());
        assertEquals(ip("192.0.2.2"), i.unicastSrcIp());
        assertEquals(2, i.unicastPeers().size());
        assertEquals(10, i.unicastPeers().get(1).minTtl());
        assertEquals("eth0:vip", i.virtualIpaddresses().get(0).label());
        assertEquals("192.0.2.101/32", i.virtualIpaddresses().get(1).cidr());
        assertEquals("2001:db8::1/64", i.virtualIpaddressExcluded().get(0).cidr());
        assertEquals("src", i.virtualRoutes().get(0).words().get(0));
        assertEquals(List.of(new TrackRef("eth1", null, false), new TrackRef("eth2", -10, false)), i.trackInterfaces());
        assertEquals(List.of(new TrackRef("chk", null, false)), i.trackScripts());
        assertEquals(List.of(new TrackRef("tf", 3, true)), i.trackFiles());
        assertTrue(i.dontTrackPrimary());
        assertEquals("vrrp.51", i.useVmac());
        assertTrue(i.vmacXmitBase());
        assertEquals(s(1), i.garpMasterDelay());
        assertEquals(2, i.garpMasterRepeat());
        assertEquals(s(30), i.garpMasterRefresh());
        assertEquals(3, i.garpMasterRefreshRepeat());
        assertEquals(s(7), i.garpLowerPrioDelay());
        assertEquals(8, i.garpLowerPrioRepeat());
        assertEquals("/bin/m", i.notifyMaster().command());
        assertEquals("/bin/n", i.notifyGeneric().command());
        assertTrue(i.smtpAlert());
        assertEquals(64, i.unicastTtl());
        assertTrue(i.oldUnicastChecksum());
        assertFalse(i.strictMode());
        assertEquals(List.of(List.<String>of()), i.options().get("promote_secondaries"));
    }

    @Test
    void authenticationReportedAsKeepalivedReportsIt() {
        String head = "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n";
        String tail = " virtual_ipaddress {\n  192.0.2.100/24\n }\n}\n";
        // AH as such is fine
        VrrpInstance ah = ok(head + " state BACKUP\n authentication {\n  auth_type AH\n  auth_pass s3cret\n }\n" + tail)
                .vrrpInstances().get(0);
        assertEquals(AuthType.AH, ah.authType());
        assertEquals("s3cret", ah.authPass());
        // keepalived: "Initial state master is incompatible with AH authentication - clearing"
        LoadResult r = parse(head + " state MASTER\n authentication {\n  auth_type AH\n  auth_pass s3cret\n }\n" + tail);
        assertEquals(4, find(r, Severity.WARNING, "state MASTER does not work with auth_type AH").pos().line());
        // keepalived: "Truncating auth_pass to 8 characters" (PASS and AH alike)
        r = parse(head + " authentication {\n  auth_type PASS\n  auth_pass averylongpassword\n }\n" + tail);
        assertEquals(6, find(r, Severity.WARNING, "longer than 8 characters").pos().line());
        assertEquals("averylongpassword", r.config().vrrpInstances().get(0).authPass());
        // keepalived: "Authentication specified but no password given. Ignoring"
        r = parse(head + " authentication {\n  auth_type AH\n }\n" + tail);
        find(r, Severity.WARNING, "authentication without auth_pass is ignored");
        // keepalived: "VRRP version 3 does not support authentication. Ignoring."
        r = parse(head + " version 3\n authentication {\n  auth_type AH\n  auth_pass s3cret\n }\n" + tail);
        find(r, Severity.WARNING, "VRRP version 3 has no authentication");
    }

    @Test
    void ipv6InstanceUsesVersion3() {
        VrrpInstance i = ok("vrrp_instance V6 {\n interface eth0\n virtual_router_id 5\n virtual_ipaddress {\n"
                + "  fe80::1/64\n  2001:db8::100/64\n }\n}\n").vrrpInstances().get(0);
        assertTrue(i.ipv6());
        assertEquals(3, i.version());
    }

    @Test
    void vrrpThreadPrioritiesAsKeepalivedReadsThem() {
        LoadResult r = parse("global_defs {\n vrrp_priority -5\n vrrp_rt_priority 150\n vrrp_lower_prio_no_advert\n"
                + " vrrp_down_timer_adverts 4\n}\n");
        assertEquals(List.of(List.of("-5")), r.config().globalDefs().options().get("vrrp_priority"));
        // keepalived: "vrrp process real-time priority 150 greater than maximum 99 - setting to maximum"
        assertEquals(3, find(r, Severity.WARNING, "greater than maximum 99").pos().line());
        assertEquals(List.of(List.of("99")), r.config().globalDefs().options().get("vrrp_rt_priority"));
        assertTrue(r.diagnostics().stream().noneMatch(x -> x.message().contains("not yet implemented")), r.diagnostics().toString());
        find(parse("global_defs {\n vrrp_priority 25\n}\n"), Severity.ERROR, "outside the range [-20, 19]");
    }

    @Test
    void ipv6VersionTwoAsKeepalivedDecidesIt() {
        String v6 = " virtual_ipaddress {\n  fd00::100/64\n }\n";
        String head = "vrrp_instance V6 {\n interface eth0\n virtual_router_id 5\n";
        // version 2 before the first IPv6 VIP: keepalived 2.2.7 sends VRRPv2 over IPv6 (its -t is silent)
        VrrpInstance i = ok(head + " version 2\n" + v6 + "}\n").vrrpInstances().get(0);
        assertTrue(i.ipv6());
        assertEquals(2, i.version());
        // after it: "vrrp_version 2 conflicts with configured or deduced version" and ignored
        LoadResult r = parse(head + v6 + " version 2\n}\n");
        assertEquals(7, find(r, Severity.WARNING, "version 2 conflicts").pos().line());
        assertEquals(3, r.config().vrrpInstances().get(0).version());
        r = parse(head + " version 3\n version 2\n virtual_ipaddress {\n  10.0.0.1\n }\n}\n");
        find(r, Severity.WARNING, "version 2 conflicts");
        assertEquals(3, r.config().vrrpInstances().get(0).version());
        // native_ipv6 means version 3, and the global vrrp_version 2 does not reach IPv6 instances (silently)
        assertEquals(3, ok(head + " version 2\n native_ipv6\n" + v6 + "}\n").vrrpInstances().get(0).version());
        assertEquals(3, ok("global_defs {\n vrrp_version 2\n}\n" + head + v6 + "}\n").vrrpInstances().get(0).version());
        // strict mode: version 3, and the first VIP must be link local (both reported, as keepalived's -t does)
        r = parse("global_defs {\n vrrp_strict\n}\n" + head + " version 2\n" + v6 + "}\n");
        find(r, Severity.WARNING, "cannot use IPv6 with VRRP version 2");
        find(r, Severity.WARNING, "first IPv6 VIP address must be link local");
        assertEquals(3, r.config().vrrpInstances().get(0).version());
        // no password fits in a v2 advert over IPv6
        r = parse(head + " version 2\n authentication {\n  auth_type PASS\n  auth_pass s3cret\n }\n" + v6 + "}\n");
        find(r, Severity.WARNING, "no authentication with IPv6");
    }

    @Test
    void strictModeClearsAcceptUnlessOwner() {
        KeepalivedConfig c = ok("global_defs {\n vrrp_strict\n}\n"
                + "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n virtual_ipaddress {\n  10.0.0.1\n }\n}\n"
                + "vrrp_instance B {\n interface eth0\n virtual_router_id 2\n priority 255\n virtual_ipaddress {\n"
                + "  10.0.0.2\n }\n}\n");
        assertFalse(c.vrrpInstance("A").get().accept());
        assertTrue(c.vrrpInstance("B").get().accept());
        assertTrue(c.vrrpInstance("A").get().strictMode());
        // keepalived: "(A) State MASTER must match being address owner" (its -t exits 5)
        LoadResult r = parse("global_defs {\n vrrp_strict\n}\n"
                + "vrrp_instance A {\n interface eth0\n state MASTER\n virtual_router_id 1\n virtual_ipaddress {\n  10.0.0.1\n }\n}\n");
        assertEquals(6, find(r, Severity.WARNING, "state MASTER must match being the address owner").pos().line());
        r = parse("global_defs {\n vrrp_strict\n}\n"
                + "vrrp_instance A {\n interface eth0\n state MASTER\n priority 255\n virtual_router_id 1\n"
                + " virtual_ipaddress {\n  10.0.0.1\n }\n}\n");
        assertTrue(r.diagnostics().stream().noneMatch(d -> d.message().contains("address owner")), r.diagnostics().toString());
    }

    @Test
    void instanceFollowsGlobalGarpAndVersion() {
        VrrpInstance i = ok("vrrp_instance A {\n interface eth0\n virtual_router_id 1\n}\n"
                + "global_defs {\n vrrp_version 3\n vrrp_garp_master_delay 2\n vrrp_garp_master_repeat 3\n"
                + " vrrp_garp_lower_prio_repeat 9\n}\n").vrrpInstances().get(0);
        assertEquals(3, i.version());
        assertEquals(s(2), i.garpMasterDelay());
        assertEquals(s(2), i.garpLowerPrioDelay());
        assertEquals(9, i.garpLowerPrioRepeat());
    }

    @Test
    void virtualServerGroupEntries() {
        VirtualServerGroup g = ok("virtual_server_group G {\n 192.168.200.1-10 80\n"
                + " 192.168.200.250-192.168.201.10 443\n 192.168.202.8/29 8080\n 2001:db8::1-ff 80\n 10.0.0.1\n"
                + " fwmark 7\n fwmark 8 inet6\n}\n").virtualServerGroups().get(0);
        List<VirtualServerGroup.Entry> e = g.entries();
        assertEquals(new VirtualServerGroup.Entry(ip("192.168.200.1"), ip("192.168.200.10"), 80, null, "inet"), e.get(0));
        assertEquals(ip("192.168.201.10"), e.get(1).last());
        assertEquals(ip("192.168.202.8"), e.get(2).first());
        assertEquals(ip("192.168.202.15"), e.get(2).last());
        assertEquals(ip("2001:db8::ff"), e.get(3).last());
        assertEquals(0, e.get(4).port());
        assertEquals(new VirtualServerGroup.Entry(null, null, 0, 7, null), e.get(5));
        assertEquals("inet6", e.get(6).family());
    }

    @Test
    void virtualServerDefaults() {
        // keepalived 2.2.7 reports each default it applies (so its -t fails): so do we
        LoadResult res = parse("virtual_server 10.0.0.1 80 {\n real_server 10.0.1.1 80 {\n }\n}\n");
        find(res, Severity.WARNING, "virtual_server 10.0.0.1 80: no protocol set - keepalived 2.2.7 defaults to UDP, we to TCP");
        find(res, Severity.WARNING, "virtual_server 10.0.0.1 80: no scheduler set, setting default 'wlc'");
        find(res, Severity.WARNING, "virtual_server 10.0.0.1 80: no forwarding method set, setting default NAT");
        assertEquals(3, res.diagnostics().size());
        VirtualServer v = res.config().virtualServers().get(0);
        assertEquals("wlc", v.lvsSched());
        assertEquals(LvsMethod.NAT, v.lvsMethod());
        assertEquals(L4Protocol.TCP, v.protocol());
        assertEquals(s(60), v.delayLoop());
        assertEquals(1, v.quorum());
        assertEquals(0, v.hysteresis());
        assertNull(v.persistenceTimeout());
        assertEquals("inet", v.ipFamily());
        RealServer r = v.realServers().get(0);
        assertEquals(1, r.weight());
        assertEquals(LvsMethod.NAT, r.lvsMethod());
        assertTrue(r.checkers().isEmpty());
    }

    @Test
    void virtualServerValuesAndOldNames() {
        VirtualServer v = ok("virtual_server 10.0.0.1 443 {\n lb_algo mh\n lb_kind TUN type gue port 6080 csum\n"
                + " persistence_timeout\n persistence_granularity 255.255.255.0\n protocol UDP\n ha_suspend\n alpha\n"
                + " omega\n quorum 3\n hysteresis 1\n quorum_up \"/bin/up 1\"\n quorum_down /bin/down\n"
                + " virtualhost www.example.com\n sorry_server 10.0.9.9 8080\n sorry_server_inhibit\n"
                + " sorry_server_lvs_method DR\n inhibit_on_failure\n mh-port\n ops\n snmp_name web\n"
                + " real_server 10.0.1.1 443 {\n  weight 2\n }\n real_server 10.0.1.2 443 {\n  weight 2\n }\n}\n").virtualServers().get(0);
        assertEquals("mh", v.lvsSched());
        assertEquals(LvsMethod.TUN, v.lvsMethod());
        assertEquals(new TunnelSpec("gue", 6080, "csum"), v.tunnel());
        assertEquals(s(360), v.persistenceTimeout());
        assertEquals("255.255.255.0", v.persistenceGranularity());
        assertEquals(L4Protocol.UDP, v.protocol());
        assertTrue(v.haSuspend() && v.alpha() && v.omega() && v.inhibitOnFailure() && v.ops() && v.sorryServerInhibit());
        assertEquals(3, v.quorum());
        assertEquals(1, v.hysteresis());
        assertEquals(List.of("/bin/up", "1"), v.quorumUp().argv());
        assertEquals(List.of("mh-port"), v.schedFlags());
        assertEquals("[10.0.9.9]:8080", v.sorryServer().label());
        assertEquals(LvsMethod.DR, v.sorryServer().lvsMethod());
        assertTrue(v.sorryServer().inhibitOnFailure());
        RealServer r = v.realServers().get(0);
        assertEquals(2, r.weight());
        assertEquals(LvsMethod.TUN, r.lvsMethod());
        assertEquals(new TunnelSpec("gue", 6080, "csum"), r.tunnel());
        assertTrue(r.inhibitOnFailure());
        assertTrue(r.alpha());
        assertEquals("www.example.com", r.virtualhost());
        assertEquals(List.of(List.of("web")), v.options().get("snmp_name"));
    }

    @Test
    void fwmarkAndGroupVirtualServers() {
        KeepalivedConfig c = ok("virtual_server_group G {\n 10.0.0.1 80\n}\n"
                + "virtual_server fwmark 5 {\n lb_algo rr\n lb_kind NAT\n persistence_timeout 600\n real_server 10.0.1.1 {\n }\n}\n"
                + "virtual_server group G {\n protocol TCP\n lb_algo rr\n lb_kind NAT\n real_server 10.0.1.2 80 {\n }\n}\n"
                + "virtual_server 2001:db8::1 80 {\n protocol TCP\n lb_algo rr\n lb_kind NAT\n real_server 2001:db8::2 8080 {\n }\n}\n");
        VirtualServer f = c.virtualServers().get(0);
        assertEquals(5, f.fwmark());
        assertEquals("FWM 5", f.label());
        assertEquals(0, f.realServers().get(0).port());
        assertEquals(s(600), f.persistenceTimeout());
        assertEquals("G", c.virtualServers().get(1).group());
        assertEquals("inet6", c.virtualServers().get(2).ipFamily());
        assertEquals("[2001:db8::1]:tcp:80", c.virtualServers().get(2).label());
    }

    @Test
    void realServerPortDefaultsToTheVirtualServers() {
        RealServer r = ok("virtual_server 10.0.0.1 8080 {\n protocol TCP\n lb_algo rr\n lb_kind NAT\n real_server 10.0.1.1 {\n  TCP_CHECK {\n  }\n }\n}\n")
                .virtualServers().get(0).realServers().get(0);
        assertEquals(8080, r.port());
        assertEquals(8080, r.checkers().get(0).common().connectPort());
    }

    @Test
    void checkerDefaultsPerType() {
        RealServer r = ok("virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_algo rr\n lb_kind NAT\n real_server 10.0.1.1 80 {\n"
                + "  HTTP_GET {\n   url {\n    path /\n   }\n  }\n  SSL_GET {\n   url {\n    path /s\n   }\n  }\n"
                + "  TCP_CHECK {\n  }\n  DNS_CHECK {\n  }\n  MISC_CHECK {\n   misc_path /bin/true\n  }\n"
                + "  SMTP_CHECK {\n  }\n  PING_CHECK {\n  }\n  UDP_CHECK {\n  }\n }\n}\n")
                .virtualServers().get(0).realServers().get(0);
        List<Checker> ch = r.checkers();
        CheckerCommon http = ch.get(0).common();
        assertEquals(ip("10.0.1.1"), http.connectIp());
        assertEquals(80, http.connectPort());
        assertEquals(s(5), http.connectTimeout());
        assertEquals(1, http.retry());
        assertEquals(s(3), http.delayBeforeRetry());
        assertEquals(s(60), http.delayLoop());
        assertEquals(s(60), http.warmup());
        assertTrue(((Checker.HttpGet) ch.get(1)).ssl());
        assertEquals(s(1), ch.get(2).common().delayBeforeRetry());
        Checker.DnsCheck dns = (Checker.DnsCheck) ch.get(3);
        assertEquals(3, dns.common().retry());
        assertEquals(s(60), dns.common().delayBeforeRetry());
        assertEquals("SOA", dns.queryType());
        assertEquals(".", dns.name());
        assertEquals(0, ch.get(4).common().retry());
        HttpUrl u = ((Checker.HttpGet) ch.get(0)).urls().get(0);
        assertEquals(List.of(new HttpUrl.StatusRange(200, 299)), u.statusCodes());
        assertEquals("1.0", ((Checker.HttpGet) ch.get(0)).httpProtocol());
        Checker.UdpCheck udp = (Checker.UdpCheck) ch.get(7);
        assertEquals(0, udp.minReplyLength());
        assertEquals(255, udp.maxReplyLength());
        assertNull(udp.payload());
    }

    @Test
    void inheritanceVirtualServerToRealServerToChecker() {
        VirtualServer v = ok("virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_algo rr\n lb_kind NAT\n delay_loop 10\n connect_timeout 4\n retry 5\n"
                + " delay_before_retry 2\n warmup 1\n real_server 10.0.1.1 80 {\n  connect_timeout 3\n"
                + "  HTTP_GET {\n   retry 7\n   url {\n    path /\n   }\n  }\n  DNS_CHECK {\n  }\n }\n"
                + " real_server 10.0.1.2 80 {\n  TCP_CHECK {\n   connect_ip 10.0.2.2\n   connect_port 81\n"
                + "   bindto 10.0.0.9\n   bind_port 1000\n   fwmark 3\n   alpha\n   log_all_failures\n  }\n }\n}\n")
                .virtualServers().get(0);
        CheckerCommon h = v.realServers().get(0).checkers().get(0).common();
        assertEquals(s(3), h.connectTimeout());
        assertEquals(7, h.retry());
        assertEquals(s(2), h.delayBeforeRetry());
        assertEquals(s(1), h.warmup());
        assertEquals(s(10), h.delayLoop());
        CheckerCommon dns = v.realServers().get(0).checkers().get(1).common();
        assertEquals(5, dns.retry(), "an explicit virtual_server retry beats DNS's default");
        CheckerCommon t = v.realServers().get(1).checkers().get(0).common();
        assertEquals(new CheckerCommon(ip("10.0.2.2"), 81, ip("10.0.0.9"), null, 1000, 3, s(4), 5, s(2), s(1), s(10), true,
                true), t);
    }

    @Test
    void httpGetOptions() {
        Checker.HttpGet h = (Checker.HttpGet) ok("virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_algo rr\n lb_kind NAT\n virtualhost vs.example\n"
                + " real_server 10.0.1.1 80 {\n  HTTP_GET {\n   http_protocol 1.1\n   fast_recovery\n"
                + "   url {\n    path /health\n    digest 9B3A0C85A887A256D6939DA88AABD8CD\n    status_code 200 300-302 503\n"
                + "    virtualhost u.example\n    regex \"ok|fine\"\n    regex_no_match\n    regex_options caseless dotall\n"
                + "    regex_min_offset 1\n    regex_max_offset 100\n   }\n  }\n  SSL_GET {\n   enable_sni\n"
                + "   url {\n    path /\n   }\n  }\n }\n}\n").virtualServers().get(0).realServers().get(0).checkers().get(0);
        assertEquals("1.1", h.httpProtocol());
        assertTrue(h.fastRecovery());
        assertEquals("vs.example", h.virtualhost());
        HttpUrl u = h.urls().get(0);
        assertEquals(new HttpUrl("/health", "9b3a0c85a887a256d6939da88aabd8cd", List.of(new HttpUrl.StatusRange(200, 200),
                new HttpUrl.StatusRange(300, 302), new HttpUrl.StatusRange(503, 503)), "u.example", "ok|fine", true,
                List.of("caseless", "dotall"), 1, 100), u);
        assertTrue(u.statusAccepted(301));
        assertFalse(u.statusAccepted(304));
    }

    @Test
    void smtpDnsMiscUdpFileBfdPingCheckers() {
        List<Checker> ch = ok("track_file tf {\n file /tmp/tf\n}\nbfd_instance bfd1 {\n neighbor_ip 10.0.1.1\n}\n"
                + "virtual_server 10.0.0.1 53 {\n lb_algo rr\n lb_kind NAT\n protocol UDP\n real_server 10.0.1.1 53 {\n"
                + "  SMTP_CHECK {\n   helo_name \"mail.example\"\n   connect_port 25\n  }\n"
                + "  DNS_CHECK {\n   type a\n   name example.com\n  }\n"
                + "  MISC_CHECK {\n   misc_path \"/bin/check 10.0.1.1\"\n   misc_timeout 4\n   misc_dynamic\n   user nobody\n  }\n"
                + "  UDP_CHECK {\n   payload Ab12f 3 456 546443123\n   require_reply 0aXb\n   min_reply_length 2\n"
                + "   max_reply_length 100\n  }\n"
                + "  FILE_CHECK {\n   track_file tf\n   dynamic\n   weight -2 reverse\n  }\n"
                + "  BFD_CHECK {\n   name bfd1\n  }\n  PING_CHECK {\n   retry 2\n  }\n }\n}\n")
                .virtualServers().get(0).realServers().get(0).checkers();
        assertEquals("mail.example", ((Checker.SmtpCheck) ch.get(0)).heloName());
        assertEquals(25, ch.get(0).common().connectPort());
        assertEquals("A", ((Checker.DnsCheck) ch.get(1)).queryType());
        assertEquals("example.com", ((Checker.DnsCheck) ch.get(1)).name());
        Checker.MiscCheck m = (Checker.MiscCheck) ch.get(2);
        assertEquals(List.of("/bin/check", "10.0.1.1"), m.miscPath().argv());
        assertEquals("nobody", m.miscPath().user());
        assertEquals(s(4), m.miscTimeout());
        assertTrue(m.miscDynamic());
        Checker.UdpCheck u = (Checker.UdpCheck) ch.get(3);
        assertArrayEquals(new byte[] {(byte) 0xAB, 0x12, 0x0F, 0x03, 0x45, 0x06, 0x54, 0x64, 0x43, 0x12, 0x03}, u.payload());
        assertTrue(u.requireReply());
        assertArrayEquals(new byte[] {0x0a, 0x0b}, u.replyPattern());
        assertArrayEquals(new byte[] {(byte) 0xff, 0x0f}, u.replyMask());
        assertEquals(2, u.minReplyLength());
        Checker.FileCheck f = (Checker.FileCheck) ch.get(4);
        assertEquals(new Checker.FileCheck(f.common(), "tf", true, -2, true), f);
        assertEquals("bfd1", ((Checker.BfdCheck) ch.get(5)).name());
        assertEquals(2, ch.get(6).common().retry());
    }

    @Test
    void otherTopLevelBlocksAreKeptVerbatim() {
        LoadResult r = parse("bfd_instance b1 {\n neighbor_ip 10.0.0.2\n}\ngarp_group {\n garp_interval 0.1\n interfaces {\n  eth0\n }\n}\n"
                + "linkbeat_interfaces {\n eth2\n}\nnet_namespace blue\n");
        assertTrue(r.errors().isEmpty());
        List<RawBlock> o = r.config().otherBlocks();
        assertEquals(new RawBlock("garp_group", List.of(), true, List.of(List.of("garp_interval", "0.1"),
                List.of("interfaces", "{"), List.of("eth0"), List.of("}"))), o.get(0));
        assertEquals(new RawBlock("net_namespace", List.of("blue"), false, List.of()), o.get(2));
        assertEquals(3, o.size());
        assertEquals("b1", r.config().bfdInstances().get(0).name());
        assertEquals(3, r.diagnostics().stream().filter(d -> d.severity() == Severity.NOTICE).count());
    }

    @Test
    void modelIsImmutable() {
        KeepalivedConfig c = ok(TWO_INSTANCES + "global_defs {\n vrrp_iptables x\n}\n");
        assertThrows(UnsupportedOperationException.class, () -> c.vrrpInstances().clear());
        assertThrows(UnsupportedOperationException.class, () -> c.globalDefs().options().clear());
        assertThrows(UnsupportedOperationException.class, () -> c.globalDefs().options().get("vrrp_iptables").clear());
        assertThrows(UnsupportedOperationException.class, () -> c.globalDefs().options().get("vrrp_iptables").get(0).clear());
    }

    @Test
    void onOffKeywordsKeepalivedTakesWithoutAValueAreOnWhateverFollows() {
        // keepalived 2.2.7's handlers for these ignore their argument: "vrrp_strict off" is strict mode
        LoadResult r = parse("global_defs {\n vrrp_strict off\n enable_script_security no\n lvs_flush false\n"
                + " vrrp_check_unicast_src 0\n vrrp_skip_check_adv_addr off\n}\n"
                + "virtual_server 10.0.0.1 80 {\n protocol TCP\n alpha off\n inhibit_on_failure no\n"
                + " real_server 10.0.0.2 80 {\n inhibit_on_failure no\n }\n}\n");
        KeepalivedConfig c = r.config();
        assertTrue(c.globalDefs().vrrpStrict());
        assertTrue(c.globalDefs().enableScriptSecurity());
        assertTrue(c.globalDefs().lvsFlush());
        assertTrue(c.globalDefs().vrrpCheckUnicastSrc());
        assertTrue(c.globalDefs().vrrpSkipCheckAdvAddr());
        assertTrue(c.virtualServers().get(0).alpha());
        assertTrue(c.virtualServers().get(0).inhibitOnFailure());
        assertEquals(2, find(r, Severity.WARNING, "vrrp_strict takes no value: 'off' is ignored").pos().line());
        assertEquals(10, find(r, Severity.WARNING, "alpha takes no value").pos().line());
        // a real_server's inhibit_on_failure does take one
        assertFalse(c.virtualServers().get(0).realServers().get(0).inhibitOnFailure());
    }

    @Test
    void syncGroupMembersAndAddressOwnersRunNoFloatingPriority() {
        String scripts = "vrrp_script chk_w {\n script /bin/true\n weight -30\n}\n"
                + "vrrp_script chk_0 {\n script /bin/true\n}\n"
                + "track_file tf {\n file /tmp/jk-test/tf\n}\n";
        String inst = "vrrp_instance %s {\n interface eth0\n virtual_router_id %d\n priority %d\n"
                + " virtual_ipaddress {\n 10.0.0.%d\n }\n"
                + " track_interface {\n eth1 weight -50\n eth2\n }\n"
                + " track_script {\n chk_w\n chk_0\n }\n"
                + " track_file {\n tf\n tf weight 5\n }\n}\n";
        // in a sync group: keepalived 2.2.7 makes the interface a FAULT, drops the weighted script and
        // the weight-5 file, makes the default-weight file weight 0, and says so (so -t fails)
        LoadResult r = parse(scripts + String.format(inst, "VI_1", 51, 100, 1) + String.format(inst, "VI_2", 52, 100, 2)
                + "vrrp_sync_group G1 {\n group {\n VI_1\n VI_2\n }\n}\n");
        VrrpInstance v = r.config().vrrpInstances().get(0);
        assertEquals(List.of(new TrackRef("eth1", 0, false), new TrackRef("eth2", null, false)), v.trackInterfaces());
        assertEquals(List.of(new TrackRef("chk_0", null, false)), v.trackScripts());
        assertEquals(List.of(new TrackRef("tf", 0, false)), v.trackFiles());
        find(r, Severity.WARNING, "(VI_1) ignoring tracked script chk_w with weight -30 due to SYNC group");
        find(r, Severity.WARNING, "(VI_2) ignoring tracked file tf with weight 5 due to SYNC group");

        // sync_group_tracking_weight keeps them all
        VrrpInstance kept = parse(scripts + String.format(inst, "VI_1", 51, 100, 1) + String.format(inst, "VI_2", 52, 100, 2)
                + "vrrp_sync_group G1 {\n group {\n VI_1\n VI_2\n }\n sync_group_tracking_weight\n}\n")
                .config().vrrpInstances().get(0);
        assertEquals(2, kept.trackScripts().size());
        assertEquals(new TrackRef("eth1", -50, false), kept.trackInterfaces().get(0));

        // the address owner, alone: the weighted interface is not tracked at all
        LoadResult o = parse(scripts + String.format(inst, "VI_1", 51, 255, 1));
        VrrpInstance owner = o.config().vrrpInstances().get(0);
        assertEquals(List.of(new TrackRef("eth2", null, false)), owner.trackInterfaces());
        assertEquals(List.of(new TrackRef("chk_0", null, false)), owner.trackScripts());
        find(o, Severity.WARNING, "due to address owner");
        // an instance on its own keeps its weights
        VrrpInstance alone = ok(scripts + String.format(inst, "VI_1", 51, 100, 1)).vrrpInstances().get(0);
        assertEquals(2, alone.trackScripts().size());
        assertEquals(2, alone.trackFiles().size());
    }

    @Test
    void vipsBeyondWhatAnAdvertHoldsGoToTheExcludedOnes() {
        // keepalived 2.2.7: at most 255 addresses, and for IPv6 what fits in 1500 bytes (89); the rest
        // become eVIPs (not advertised, still added) and it says so
        StringBuilder v4 = new StringBuilder(), v6 = new StringBuilder();
        for (int i = 0; i < 300; i++) v4.append("  10.1.").append(i / 250).append('.').append(1 + i % 250).append('\n');
        for (int i = 0; i < 100; i++) v6.append("  2001:db8::").append(Integer.toHexString(i + 1)).append('\n');
        String inst = "vrrp_instance %s {\n interface eth0\n virtual_router_id %d\n virtual_ipaddress {\n%s }\n}\n";
        LoadResult r = parse(String.format(inst, "V4", 51, v4) + String.format(inst, "V6", 52, v6));
        VrrpInstance a = r.config().vrrpInstances().get(0), b = r.config().vrrpInstances().get(1);
        assertEquals(255, a.virtualIpaddresses().size());
        assertEquals(45, a.virtualIpaddressExcluded().size());
        assertEquals("10.1.1.6", a.virtualIpaddressExcluded().get(0).address().getHostAddress());
        assertEquals(89, b.virtualIpaddresses().size());
        assertEquals(11, b.virtualIpaddressExcluded().size());
        find(r, Severity.WARNING, "(V4) Number of VIPs (300) exceeds maximum/space available in packet (max 255 addresses)");
        find(r, Severity.WARNING, "(V6) Number of VIPs (100) exceeds maximum/space available in packet (max 89 addresses)");
    }

    @Test
    void aPrefixLengthAfterAHostAddressIsIgnoredAsKeepalivedIgnoresIt() throws Exception {
        KeepalivedConfig c = ok("vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n"
                + " unicast_src_ip 10.9.9.1/24\n unicast_peer {\n  10.9.9.2/24\n }\n virtual_ipaddress {\n  10.9.9.100\n }\n}\n"
                + "virtual_server 10.0.0.1/32 80 {\n lb_algo rr\n lb_kind NAT\n protocol TCP\n sorry_server 10.0.0.9/32 80\n"
                + " real_server 10.0.0.2/32 80 {\n  TCP_CHECK {\n   connect_ip 10.0.0.3/32\n  }\n }\n}\n");
        VrrpInstance vi = c.vrrpInstances().get(0);
        assertEquals(ip("10.9.9.1"), vi.unicastSrcIp());
        assertEquals(ip("10.9.9.2"), vi.unicastPeers().get(0).address());
        assertEquals(ip("10.0.0.1"), c.virtualServers().get(0).address());
        assertEquals(ip("10.0.0.2"), c.virtualServers().get(0).realServers().get(0).address());
        find(parse("vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n unicast_src_ip 10.9.9.1/x\n"
                + " virtual_ipaddress {\n  10.9.9.100\n }\n}\n"), Severity.ERROR, "invalid IP address '10.9.9.1/x'");
    }

    @Test
    void onlyScriptLinesHaveShellQuotingAsInKeepalived() {
        // keepalived 2.2.7 (its config dump): outside script lines a single quote is an ordinary
        // character and a double-quoted word has no escapes; a peer with auth_pass 'pw1234' sends
        // the quotes too, so stripping them here would make the two disagree on the password
        String vi = "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n version 2\n"
                + " authentication {\n  auth_type PASS\n  auth_pass %s\n }\n virtual_ipaddress {\n  10.9.9.100\n }\n}\n";
        assertEquals("'pw1234'", ok(String.format(vi, "'pw1234'")).vrrpInstances().get(0).authPass());
        assertEquals("ab\\x41", ok(String.format(vi, "\"ab\\x41\"")).vrrpInstances().get(0).authPass());
        assertEquals("a b", ok(String.format(vi, "\"a b\"")).vrrpInstances().get(0).authPass());
        // script lines keep shell-like quoting
        KeepalivedConfig c = ok("vrrp_script chk {\n script \"/bin/sh -c 'exit 0'\"\n}\n");
        assertEquals(List.of("/bin/sh", "-c", "exit 0"), c.vrrpScript("chk").get().script().argv());
    }

    @Test
    void dnsCheckTakesKeepalivedsDnssecTypes() {
        for (String type : List.of("DNSKEY", "rrsig")) {
            ok("virtual_server 10.0.0.1 53 {\n lb_algo rr\n lb_kind NAT\n protocol UDP\n real_server 10.0.0.2 53 {\n  DNS_CHECK {\n   type " + type
                    + "\n  }\n }\n}\n");
        }
    }

    @Test
    void anUnknownOrUpperCaseSchedulerIsIgnoredAsKeepalivedIgnoresIt() {
        String vs = "virtual_server 10.0.0.1 80 {\n lb_kind NAT\n protocol TCP\n lb_algo %s\n real_server 10.0.0.2 80 {\n }\n}\n";
        assertEquals("mh", ok(String.format(vs, "mh")).virtualServers().get(0).lvsSched());
        LoadResult r = parse(String.format(vs, "RR"));
        assertEquals("wlc", r.config().virtualServers().get(0).lvsSched());
        assertEquals(4, find(r, Severity.WARNING, "Invalid lvs_scheduler 'RR' - ignoring").pos().line());
        find(r, Severity.WARNING, "no scheduler set, setting default 'wlc'"); // keepalived says both
    }

    @Test
    void v2WholeSecondAdvertsAndTheOwnInterfaceTrackedAsKeepalivedDoes() {
        LoadResult r = parse("vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n version 2\n advert_int 2.5\n"
                + " track_interface {\n  eth0 weight -10\n  eth1\n }\n virtual_ipaddress {\n  10.9.9.100\n }\n}\n");
        VrrpInstance v = r.config().vrrpInstances().get(0);
        assertEquals(s(3), v.advertInt(), "rounded half up");
        assertEquals(List.of(new TrackRef("eth1", null, false)), v.trackInterfaces());
        find(r, Severity.WARNING, "(VI_1) VRRPv2 advertisement interval 2.5 must be an integer. rounding to 3 s");
        find(r, Severity.WARNING, "(VI_1) Ignoring track_interface eth0 since own interface");
    }

    @Test
    void aNotifyScriptGivenTwiceKeepsTheFirstAsKeepalivedDoes() {
        LoadResult r = parse("vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n notify_master /bin/first\n"
                + " notify_master /bin/second\n virtual_ipaddress {\n  10.9.9.100\n }\n}\n");
        assertEquals("/bin/first", r.config().vrrpInstances().get(0).notifyMaster().command());
        assertEquals(5, find(r, Severity.WARNING, "notify_master script already specified - ignoring /bin/second").pos().line());
    }

    @Test
    void aQuorumNoServersCanReachIsCutAsKeepalivedCutsIt() {
        String vs = "virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_algo rr\n lb_kind NAT\n quorum %d\n hysteresis %d\n"
                + " real_server 10.0.0.2 80 {\n  weight 1\n }\n real_server 10.0.0.3 80 {\n  weight 1\n }\n}\n";
        LoadResult r = parse(String.format(vs, 3, 0));
        assertEquals(2, r.config().virtualServers().get(0).quorum());
        find(r, Severity.WARNING, "quorum 3 for virtual_server 10.0.0.1 80 exceeds total weight of real servers 2, reducing quorum to 2");
        LoadResult h = parse(String.format(vs, 2, 3));
        assertEquals(1, h.config().virtualServers().get(0).hysteresis());
        find(h, Severity.WARNING, "hysteresis 3 >= quorum 2; setting hysteresis to 1");
    }

    @Test
    void haSuspendIsClearedForAFwmarkServiceAsKeepalivedClearsIt() {
        LoadResult r = parse("virtual_server fwmark 7 {\n lb_algo rr\n lb_kind DR\n ha_suspend\n"
                + " real_server 10.0.0.2 80 {\n }\n}\n");
        assertFalse(r.config().virtualServers().get(0).haSuspend());
        find(r, Severity.WARNING, "cannot use ha_suspend with fwmarks - clearing ha_suspend");
    }
}
