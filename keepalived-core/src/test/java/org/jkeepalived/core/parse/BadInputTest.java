package org.jkeepalived.core.parse;

import static org.jkeepalived.core.parse.TestSupport.find;
import static org.jkeepalived.core.parse.TestSupport.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.jkeepalived.core.config.VrrpInstance;
import org.jkeepalived.core.parse.Diagnostic.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The bad-input cases: each is a positioned diagnostic, never an exception. */
class BadInputTest {

    private static String vi(String name, String body) {
        return "vrrp_instance " + name + " {\n interface eth0\n" + body + "}\n";
    }

    @Test
    void deeplyNestedRealServerBlocksLoadQuickly() {
        // a config whose closing braces were lost nests each real_server in the one before: the
        // walk over it must stay linear (it once doubled per level and hung the loader)
        StringBuilder c = new StringBuilder("virtual_server 10.0.0.1 80 {\n");
        for (int i = 0; i < 60; i++) c.append(" real_server 10.0.1.").append(i + 1).append(" 80 {\n  weight 1\n");
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () -> {
            LoadResult r = parse(c.toString());
            assertTrue(r.hasErrors(), "unclosed blocks are an error");
        });
    }

    @Test
    void unknownKeywordIsAWarningWithPosition() {
        LoadResult r = parse("global_defs {\n   bogus_keyword 1\n}\n");
        Diagnostic d = find(r, Severity.WARNING, "unknown keyword 'bogus_keyword' in global_defs");
        assertEquals(new SourcePos("/tmp/jk-test/keepalived.conf", 2, 4), d.pos());
        assertNotNull(r.config(), "a warning keeps the config");
        assertTrue(d.format().startsWith("/tmp/jk-test/keepalived.conf:2:4: warning: unknown keyword"));
        assertTrue(d.format().endsWith("\n    bogus_keyword 1"));
    }

    @Test
    void unknownKeywordIsAnErrorWhenStrict() {
        LoadResult r = ConfigLoader.parse("frobnicate {\n}\n", "x.conf", LoadOptions.DEFAULT.withStrict(true));
        assertEquals(1, find(r, Severity.ERROR, "unknown keyword 'frobnicate' at top level").pos().line());
        assertNull(r.config());
    }

    @Test
    void missingCloseBraceIsReportedAtTheOpeningBrace() {
        LoadResult r = parse("global_defs {\n}\nvrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n"
                + " virtual_ipaddress {\n  10.0.0.1\n\n");
        assertEquals(2, r.errors().stream().filter(d -> d.message().startsWith("missing '}'")).count());
        Diagnostic inner = r.errors().get(0);
        assertEquals(6, inner.pos().line());
        assertEquals(20, inner.pos().column());
        assertEquals(3, r.errors().get(1).pos().line());
        assertEquals(20, r.errors().get(1).pos().column());
        assertEquals("missing '}': the block of 'vrrp_instance VI_1' opened here is never closed", r.errors().get(1).message());
        assertNull(r.config());
    }

    @Test
    void extraCloseBraceIsAnErrorAtIt() {
        LoadResult r = parse("global_defs {\n}\n  }\n");
        Diagnostic d = find(r, Severity.ERROR, "extra '}'");
        assertEquals(3, d.pos().line());
        assertEquals(3, d.pos().column());
    }

    @Test
    void braceWithoutKeyword() {
        LoadResult r = parse("global_defs {\n}\n{\n}\n");
        assertEquals(3, find(r, Severity.ERROR, "'{' without a keyword").pos().line());
    }

    @Test
    void blockGivenToAValueKeyword() {
        LoadResult r = parse(vi("VI_1", " virtual_router_id 1\n priority 10 {\n }\n"));
        assertEquals(4, find(r, Severity.ERROR, "'priority' does not take a block").pos().line());
    }

    @Test
    void duplicateInstanceNames() {
        LoadResult r = parse(vi("VI_1", " virtual_router_id 1\n") + vi("VI_1", " virtual_router_id 2\n"));
        Diagnostic d = find(r, Severity.ERROR, "vrrp_instance 'VI_1' is defined twice");
        assertEquals(5, d.pos().line());
        assertTrue(d.message().contains(":1:1"), d.message());
    }

    @Test
    void sameVridOnSameInterfaceAndFamily() {
        LoadResult r = parse(vi("A", " virtual_router_id 7\n") + vi("B", " virtual_router_id 7\n"));
        assertEquals(5, find(r, Severity.ERROR, "virtual_router_id 7 is already used by A").pos().line());
    }

    @Test
    void sameVridIsFineOnAnotherInterfaceFamilyOrDisjointUnicastPeers() {
        TestSupport.ok(vi("A", " virtual_router_id 7\n")
                + "vrrp_instance B {\n interface eth1\n virtual_router_id 7\n}\n"
                + vi("C", " virtual_router_id 7\n virtual_ipaddress {\n  2001:db8::1\n }\n")
                + vi("D", " virtual_router_id 8\n unicast_peer {\n  10.0.0.1\n }\n")
                + vi("E", " virtual_router_id 8\n unicast_peer {\n  10.0.0.2\n }\n"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "priority 0|'0' is outside the range [1, 255]",
            "priority 256|'256' is outside the range [1, 255]",
            "priority high|'high' is not a number",
            "advert_int 0|'0' is outside the range [0.01, 255] seconds",
            "advert_int 300|'300' is outside the range",
            "advert_int -1|'-1' is not a number of seconds",
            "preempt_delay 1001|'1001' is outside the range",
            "unicast_ttl 256|'256' is outside the range",
            "garp_master_repeat x|'x' is not a number",
            "state MAYBE|state must be MASTER or BACKUP, not 'MAYBE'",
            "mcast_src_ip 10.0.0.300|invalid IP address '10.0.0.300'",
            "unicast_src_ip ::g|invalid IP address '::g'",
            "strict_mode perhaps|'perhaps' is not one of on|off",
    })
    void outOfRangeInstanceValuesQuoteTheValue(String line, String message) {
        LoadResult r = parse(vi("VI_1", " virtual_router_id 1\n " + line + "\n"));
        Diagnostic d = find(r, Severity.ERROR, message);
        assertEquals(4, d.pos().line());
        assertNull(r.config());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "virtual_router_id 0|'0' is outside the range [1, 255]",
            "virtual_router_id 256|'256' is outside the range [1, 255]",
    })
    void vridRange(String line, String message) {
        LoadResult r = parse(vi("VI_1", " " + line + "\n"));
        assertEquals(3, find(r, Severity.ERROR, message).pos().line());
    }

    @Test
    void missingVrid() {
        assertEquals(1, find(parse(vi("VI_1", "")), Severity.ERROR, "virtual_router_id is missing").pos().line());
    }

    @Test
    void anInstanceNeedsAnInterfaceOtherThanLoopback() {
        // keepalived 2.2.7 refuses both (its VRRP process exits with a configuration error; -t exits 5),
        // with unicast peers too
        String unicast = " virtual_router_id 1\n unicast_peer {\n  192.0.2.2\n }\n";
        LoadResult none = parse("vrrp_instance VI_1 {\n" + unicast + "}\n");
        assertEquals(1, find(none, Severity.ERROR, "vrrp_instance VI_1 has no interface").pos().line());
        LoadResult lo = parse("vrrp_instance VI_1 {\n interface lo\n" + unicast + "}\n");
        assertEquals(2, find(lo, Severity.ERROR, "cannot use the loopback interface (lo)").pos().line());
        assertEquals(1, lo.diagnostics().stream().filter(x -> x.severity() != Severity.NOTICE).count(),
                "one error for lo, not a second one for the missing interface: " + lo.diagnostics());
        assertNotNull(TestSupport.ok(vi("VI_1", unicast)).vrrpInstances().get(0).iface());
    }

    @Test
    void preemptRulesAsKeepalived() {
        // keepalived 2.2.7 reports each (its -t exits 5) and runs with the setting cleared
        String vip = " virtual_router_id 1\n virtual_ipaddress {\n  10.0.0.1\n }\n";
        LoadResult master = parse(vi("VI_1", vip + " state MASTER\n priority 150\n nopreempt\n preempt_delay 4\n"));
        assertEquals(9, find(master, Severity.WARNING, "nopreempt does not work with state MASTER").pos().line());
        assertEquals(10, find(master, Severity.WARNING, "preempt_delay does not work with state MASTER").pos().line());
        VrrpInstance m = master.config().vrrpInstances().get(0);
        assertFalse(m.nopreempt());
        assertEquals(java.time.Duration.ZERO, m.preemptDelay());
        LoadResult owner = parse(vi("VI_1", vip + " priority 255\n nopreempt\n"));
        find(owner, Severity.WARNING, "nopreempt is incompatible with priority 255");
        LoadResult both = parse(vi("VI_1", vip + " state BACKUP\n nopreempt\n preempt_delay 4\n"));
        find(both, Severity.WARNING, "preempt_delay is incompatible with nopreempt");
        VrrpInstance b = both.config().vrrpInstances().get(0);
        assertTrue(b.nopreempt());
        assertEquals(java.time.Duration.ZERO, b.preemptDelay());
        LoadResult strictAuth = parse(vi("VI_1", vip + " strict_mode\n authentication {\n  auth_type PASS\n  auth_pass x\n }\n"));
        find(strictAuth, Severity.WARNING, "strict mode does not support authentication");
        assertEquals(org.jkeepalived.core.config.AuthType.NONE, strictAuth.config().vrrpInstances().get(0).authType());
        LoadResult mixed = parse(vi("VI_1", vip + " unicast_peer {\n  fd00::6\n  10.0.0.7\n }\n"));
        find(mixed, Severity.WARNING, "unicast peer fd00::6 is not of the instance's address family");
        assertEquals(1, mixed.config().vrrpInstances().get(0).unicastPeers().size());
        find(parse(vi("VI_1", vip + " unicast_src_ip 10.0.0.5\n")), Severity.WARNING, "unicast keywords without any unicast peer");
        find(parse("virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_algo rr\n lb_kind NAT\n sorry_server fd00::9 80\n"
                + " real_server 10.0.1.1 80 {\n }\n}\n"), Severity.WARNING, "sorry_server fd00::9 is not of");
        LoadResult vmac = parse(vi("VI_1", vip + " use_vmac vvvvvvvvvvvvvvvvvvvv\n"));
        find(vmac, Severity.WARNING, "is not a valid interface name");
        assertEquals("vrrp.1", vmac.config().vrrpInstances().get(0).useVmac());
        LoadResult scope = parse(vi("VI_1", " virtual_router_id 1\n virtual_ipaddress {\n  10.0.0.1/24 scope bogus\n"
                + "  10.0.0.2/24 scope 253\n  10.0.0.3/24 scope link\n }\n"));
        find(scope, Severity.WARNING, "invalid scope 'bogus'");
        assertEquals(1, scope.diagnostics().stream().filter(x -> x.severity() != Severity.NOTICE).count());
        LoadResult ttl = parse(vi("VI_1", vip + " unicast_ttl 5\n"));
        find(ttl, Severity.WARNING, "unicast_ttl without unicast_peer");
        assertNull(ttl.config().vrrpInstances().get(0).unicastTtl());
    }

    @Test
    void valueRangesAsKeepalived() {
        String vip = " virtual_router_id 1\n virtual_ipaddress {\n  10.0.0.1\n }\n";
        // keepalived 2.2.7 passes these (-t exits 0)
        LoadResult bigRepeat = parse("global_defs {\n vrrp_garp_interval 1000\n vrrp_gna_interval 2000\n"
                + " vrrp_garp_master_repeat 4294967295\n}\n" + vi("VI_1", vip));
        assertTrue(bigRepeat.diagnostics().stream().allMatch(x -> x.severity() == Severity.NOTICE),
                () -> TestSupport.formatAll(bigRepeat.diagnostics()));
        // a burst's schedule is built at once: capped, and said
        find(bigRepeat, Severity.NOTICE, "1000 used");
        assertEquals(1000, bigRepeat.config().vrrpInstances().get(0).garpMasterRepeat());
        LoadResult thresholds = parse("virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_algo rr\n lb_kind NAT\n"
                + " retry 4294967295\n"
                + " real_server 10.0.1.1 80 {\n  uthreshold 10\n  lthreshold 20\n  TCP_CHECK {\n  }\n }\n}\n");
        find(thresholds, Severity.NOTICE, "lthreshold 20 is above uthreshold 10");
        assertTrue(thresholds.diagnostics().stream().allMatch(x -> x.severity() == Severity.NOTICE),
                () -> TestSupport.formatAll(thresholds.diagnostics()));
        assertEquals(Integer.MAX_VALUE, thresholds.config().virtualServers().get(0).realServers().get(0).checkers().get(0)
                .common().retry());
        // and fails these
        find(parse("global_defs {\n vrrp_garp_interval 0\n}\n"), Severity.ERROR, "outside the range");
        find(parse("global_defs {\n vrrp_garp_master_repeat 0\n}\n"), Severity.ERROR, "outside the range");
        find(parse("global_defs {\n vrrp_mcast_group4 10.0.0.1\n}\n"), Severity.WARNING, "not a multicast address");
        find(parse("global_defs {\n vrrp_startup_delay 0\n}\n"), Severity.ERROR, "outside the range");
        find(parse("global_defs {\n max_auto_priority 100\n}\n"), Severity.ERROR, "outside the range");
        TestSupport.ok("global_defs {\n vrrp_startup_delay 5\n max_auto_priority -1\n}\n");
        LoadResult vsFlags = parse("virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_algo rr\n lb_kind NAT\n ops\n"
                + " sh-port\n real_server 10.0.1.1 80 {\n }\n}\n");
        find(vsFlags, Severity.WARNING, "ops (one-packet scheduling) needs protocol UDP");
        find(vsFlags, Severity.WARNING, "sh-port only applies to the sh and mh schedulers");
        assertFalse(vsFlags.config().virtualServers().get(0).ops());
        assertTrue(vsFlags.config().virtualServers().get(0).schedFlags().isEmpty());
        // an undefined group passes keepalived's -t silently: a notice, and no service to serve
        LoadResult noGroup = parse("virtual_server group NOPE {\n protocol TCP\n lb_algo rr\n lb_kind NAT\n"
                + " real_server 10.0.1.1 80 {\n }\n}\n");
        find(noGroup, Severity.NOTICE, "virtual_server_group 'NOPE' is not defined");
        assertTrue(noGroup.config().virtualServers().isEmpty());
        // no real_server: keepalived leaves the virtual server out
        LoadResult noRs = parse("virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_algo rr\n lb_kind NAT\n"
                + " sorry_server 10.0.9.9 80\n}\n");
        find(noRs, Severity.WARNING, "has no real_server; ignored");
        assertTrue(noRs.config().virtualServers().isEmpty());
        // DR cannot change the port
        LoadResult dr = parse("virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_algo rr\n lb_kind DR\n"
                + " real_server 10.0.1.1 81 {\n }\n}\n");
        find(dr, Severity.WARNING, "its port must be the virtual server's; using 80");
        assertEquals(80, dr.config().virtualServers().get(0).realServers().get(0).port());
        find(parse("virtual_server 10.0.0.1 80 {\n protocol TCP\n connect_timeout 4295\n"
                + " real_server 10.0.1.1 80 {\n }\n}\n"), Severity.ERROR, "outside the range");
        find(parse("virtual_server 10.0.0.1 80 {\n protocol TCP\n real_server 10.0.1.1 80 {\n  HTTP_GET {\n"
                + "   url {\n    path /\n    status_code 600\n   }\n  }\n }\n}\n"), Severity.ERROR, "status_code");
    }

    @Test
    void mixedVipFamilies() {
        find(parse(vi("VI_1", " virtual_router_id 1\n virtual_ipaddress {\n  10.0.0.1\n  2001:db8::1\n }\n")),
                Severity.ERROR, "mixes IPv4 and IPv6");
    }

    @Test
    void badAddresses() {
        LoadResult r = parse(vi("VI_1", " virtual_router_id 1\n virtual_ipaddress {\n  10.0.0.1/33\n  1.2.3\n"
                + "  10.0.0.2 bogus\n }\n"));
        assertEquals(5, find(r, Severity.ERROR, "invalid prefix length in '10.0.0.1/33'").pos().line());
        assertEquals(6, find(r, Severity.ERROR, "invalid IP address '1.2.3'").pos().line());
        assertEquals(7, find(r, Severity.ERROR, "unexpected 'bogus'").pos().line());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "virtual_server 10.0.0.1 0 {|'0' is outside the range [1, 65535]",
            "virtual_server 10.0.0.1 65536 {|'65536' is outside the range [1, 65535]",
            "virtual_server 10.0.0.256 80 {|invalid IP address '10.0.0.256'",
            "virtual_server fwmark 0 {|'0' is outside the range",
    })
    void badVirtualServerHeads(String head, String message) {
        LoadResult r = parse(head + "\n real_server 10.0.1.1 80 {\n }\n}\n");
        assertEquals(1, find(r, Severity.ERROR, message).pos().line());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "quorum 0|'0' is outside the range",
            "hysteresis -1|'-1' is outside the range",
            "delay_loop 0|'0' is outside the range",
            "lvs_method FNAT|lvs_method must be NAT, DR or TUN, not 'FNAT'",
            "lb_kind TUN type gue|a gue tunnel needs a port",
            "protocol ICMP|protocol must be TCP, UDP or SCTP, not 'ICMP'",
            "persistence_timeout soon|'soon' is not a number of seconds",
            "persistence_granularity 129|persistence_granularity must be a netmask",
            "ip_family inet4|ip_family must be inet or inet6",
            "sorry_server 10.0.0.x 80|invalid IP address",
    })
    void badVirtualServerValues(String line, String message) {
        LoadResult r = parse("virtual_server 10.0.0.1 80 {\n " + line + "\n}\n");
        assertEquals(2, find(r, Severity.ERROR, message).pos().line());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "weight 2147483648|'2147483648' is outside the range [0, 2147483647]",
            "weight -1|'-1' is outside the range",
            "uthreshold -5|'-5' is outside the range",
            "connect_timeout 0|'0' is outside the range",
            "retry many|'many' is not a number",
            "HTTP_GET {|connect_port: '70000' is outside the range [1, 65535]",
    })
    void badRealServerValues(String line, String message) {
        String extra = line.endsWith("{") ? "\n connect_port 70000\n url {\n path /\n }\n }" : "";
        LoadResult r = parse("virtual_server 10.0.0.1 80 {\n real_server 10.0.1.1 80 {\n " + line + extra + "\n }\n}\n");
        Diagnostic d = find(r, Severity.ERROR, message);
        assertTrue(d.pos().line() >= 3);
    }

    @Test
    void checkerWithoutAPort() {
        LoadResult r = parse("virtual_server fwmark 1 {\n persistence_timeout 60\n real_server 10.0.1.1 {\n"
                + "  TCP_CHECK {\n  }\n  PING_CHECK {\n  }\n  TCP_CHECK {\n   connect_port 22\n  }\n }\n}\n");
        assertEquals(java.util.List.of(4), r.errors().stream().map(d -> d.pos().line()).collect(java.util.stream.Collectors.toList()));
        find(r, Severity.ERROR, "TCP_CHECK needs connect_port");
    }

    @Test
    void realServerOfTheWrongFamilyOrListedTwice() {
        LoadResult r = parse("virtual_server 10.0.0.1 80 {\n real_server 2001:db8::1 80 {\n }\n"
                + " real_server 10.0.1.1 80 {\n }\n real_server 10.0.1.1 80 {\n }\n}\n");
        find(r, Severity.ERROR, "not of the virtual server's address family");
        assertEquals(6, find(r, Severity.ERROR, "listed twice").pos().line());
    }

    @Test
    void badCheckerValues() {
        LoadResult r = parse("virtual_server 10.0.0.1 80 {\n real_server 10.0.1.1 80 {\n  HTTP_GET {\n"
                + "   url {\n    digest xyz\n    status_code 2000 abc 300-200\n   }\n   url {\n    digest 00\n   }\n"
                + "   http_protocol 2\n  }\n  UDP_CHECK {\n   payload zz\n  }\n  MISC_CHECK {\n  }\n"
                + "  DNS_CHECK {\n   type SRV\n  }\n  FILE_CHECK {\n   track_file nope\n  }\n }\n}\n");
        assertEquals(5, find(r, Severity.ERROR, "digest must be 32 hex digits").pos().line());
        find(r, Severity.ERROR, "invalid code or range '2000'");
        find(r, Severity.ERROR, "invalid code or range 'abc'");
        find(r, Severity.ERROR, "invalid code or range '300-200'");
        assertEquals(java.util.List.of(4, 8), r.errors().stream().filter(d -> d.message().equals("url needs a path"))
                .map(d -> d.pos().line()).collect(java.util.stream.Collectors.toList()));
        find(r, Severity.ERROR, "http_protocol must be 1.0, 1.0C or 1.1");
        find(r, Severity.ERROR, "'zz' is not hex");
        find(r, Severity.ERROR, "MISC_CHECK needs misc_path");
        find(r, Severity.ERROR, "DNS_CHECK type must be");
        find(r, Severity.ERROR, "track_file 'nope' is not defined");
    }

    @Test
    void undefinedReferences() {
        LoadResult r = parse(vi("VI_1", " virtual_router_id 1\n track_script {\n  nosuch\n }\n track_file {\n  nofile\n }\n")
                + "vrrp_sync_group G {\n group {\n  VI_1\n  VI_9\n }\n}\n");
        // keepalived 2.2.7 reports a tracked name that is not defined and runs without it
        assertEquals(5, find(r, Severity.WARNING, "track script nosuch not found, ignoring").pos().line());
        assertEquals(8, find(r, Severity.WARNING, "track file nofile not found, ignoring").pos().line());
        assertTrue(r.errors().stream().noneMatch(d -> d.message().contains("nosuch") || d.message().contains("nofile")));
        assertEquals(14, find(r, Severity.ERROR, "vrrp_instance 'VI_9' is not defined").pos().line());
    }

    @Test
    void trackWeightsOutOfRange() {
        LoadResult r = parse("vrrp_script s {\n script /bin/true\n weight 254\n}\n"
                + vi("VI_1", " virtual_router_id 1\n track_interface {\n  eth1 weight 300\n }\n"));
        assertEquals(3, find(r, Severity.ERROR, "'254' is outside the range [-253, 253]").pos().line());
        assertEquals(9, find(r, Severity.ERROR, "'300' is outside the range [-253, 253]").pos().line());
    }

    @Test
    void missingValuesAndNames() {
        LoadResult r = parse("vrrp_instance {\n}\nvrrp_script x {\n}\nglobal_defs {\n router_id\n}\n");
        find(r, Severity.ERROR, "vrrp_instance needs a name");
        find(r, Severity.ERROR, "vrrp_script x: no script given");
        assertEquals(6, find(r, Severity.ERROR, "router_id: missing value").pos().line());
    }

    @Test
    void unterminatedQuoteIsAWarning() {
        LoadResult r = parse(vi("VI_1", " virtual_router_id 1\n notify_master \"/bin/x\n"));
        assertEquals(4, find(r, Severity.WARNING, "unterminated quoted string").pos().line());
    }

    @Test
    void badSeq() {
        LoadResult r = parse("~SEQ(X, 1, 0, 5) foo\n~SEQ(X, a, b) foo\n~SEQ X\n~LST(X) a\n");
        find(r, Severity.ERROR, "step 0 never goes");
        find(r, Severity.ERROR, "not a number");
        find(r, Severity.ERROR, "expected '('");
        find(r, Severity.ERROR, "~LST needs a variable");
    }

    @Test
    void missingTopFileIsAnIOException() {
        assertThrows(java.io.IOException.class, () -> ConfigLoader.load(Path.of("/nonexistent/jk.conf"), LoadOptions.DEFAULT));
    }

    @Test
    void pathologicalLinesStayPositioned() {
        StringBuilder include = new StringBuilder("global_defs {\n}\ninclude ");
        for (int i = 0; i < 20000; i++) include.append("{a,");
        LoadResult r = parse(include.append("\n").toString());
        assertTrue(r.diagnostics().stream().allMatch(d -> d.pos().line() == 3), TestSupport.formatAll(r.diagnostics()));
        LoadResult c = parse("global_defs {\n" + "@main ".repeat(50000) + "router_id X\n}\n");
        assertEquals("X", c.config().globalDefs().routerId());
    }

    @Test
    void deeplyNestedBracesDoNotOverflow() {
        LoadResult r = parse("a {\n".repeat(5000) + "}\n".repeat(5000));
        find(r, Severity.ERROR, "nested deeper");
    }

    @Test
    void invalidYamlIsAPositionedError(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path y = dir.resolve("k.yaml");
        java.nio.file.Files.writeString(y, "vrrpInstances:\n- name: X\n  priority: [1\n");
        LoadResult r = ConfigLoader.load(y, LoadOptions.DEFAULT);
        assertNull(r.config());
        assertEquals(y.toString(), r.errors().get(0).pos().file());
        assertTrue(r.errors().get(0).pos().line() >= 1);
    }
}
