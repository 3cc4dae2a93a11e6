package org.jkeepalived.core.parse;

import static org.jkeepalived.core.parse.TestSupport.find;
import static org.jkeepalived.core.parse.TestSupport.ok;
import static org.jkeepalived.core.parse.TestSupport.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jkeepalived.core.config.BfdInstance;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.config.TrackRef;
import org.jkeepalived.core.parse.Diagnostic.Severity;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BfdInstanceParseTest {

    private static String bfd(String body) {
        return "bfd_instance b1 {\n neighbor_ip 10.0.0.2\n" + body + "}\n";
    }

    @Test
    void everyKeywordIsTyped() throws Exception {
        KeepalivedConfig c = ok("bfd_instance b1 {\n neighbour_ip 10.0.0.2\n source_ip 10.0.0.1\n min_rx 100\n"
                + " min_tx 3.312\n idle_tx 2000\n multiplier 3\n passive\n ttl 254\n max_hops 1\n weight 10 reverse\n"
                + " checker\n}\n");
        BfdInstance b = c.bfdInstance("b1").orElseThrow();
        assertEquals(new BfdInstance("b1", InetAddress.getByName("10.0.0.2"), InetAddress.getByName("10.0.0.1"),
                Duration.ofMillis(100), Duration.ofNanos(3_312_000), Duration.ofMillis(2000), 3, true, 254, 1, 10, true,
                false, true), b);
        assertTrue(b.forChecker());
    }

    /**
     * keepalived 2.2.7's -t gives the same verdicts (checked by hand in a namespace with an eth0;
     * without sync_group_tracking_weight it drops VI_1's weighted track_bfd entries, see
     * ParserSectionsTest).
     */
    @Test
    void trackBfdInInstancesAndSyncGroups() {
        String vi = "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n virtual_ipaddress {\n  10.9.9.9\n }\n"
                + " track_bfd {\n  %s\n }\n}\n";
        KeepalivedConfig c = ok(bfd(" weight -20\n") + "bfd_instance b2 {\n neighbor_ip 10.0.0.3\n vrrp\n}\n"
                + String.format(vi, "b1\n  b2 weight 10 reverse")
                + "vrrp_instance VI_2 {\n interface eth0\n virtual_router_id 52\n virtual_ipaddress {\n  10.9.9.8\n }\n}\n"
                + "vrrp_sync_group G {\n group {\n  VI_1\n  VI_2\n }\n sync_group_tracking_weight\n"
                + " track_bfd {\n  b1 weight 5\n }\n}\n");
        assertEquals(List.of(new TrackRef("b1", null, false), new TrackRef("b2", 10, true)),
                c.vrrpInstances().get(0).trackBfds());
        assertEquals(List.of(new TrackRef("b1", 5, false)), c.vrrpSyncGroups().get(0).trackBfds());
        find(parse(String.format(vi, "nosuch")), Severity.WARNING, "track bfd nosuch not found, ignoring");
        find(parse(bfd(" checker\n") + String.format(vi, "b1")), Severity.ERROR, "sends its events to the checkers only");
        find(parse(bfd("") + String.format(vi, "b1 weight 254")), Severity.ERROR, "254");
        find(parse(bfd("") + String.format(vi, "b1 foo")), Severity.ERROR, "unexpected 'foo'");
    }

    @Test
    void defaultsFollowTheManPage() throws Exception {
        BfdInstance v4 = ok(bfd("")).bfdInstances().get(0);
        assertEquals(BfdInstance.of("b1", InetAddress.getByName("10.0.0.2"), null), v4);
        assertEquals(Duration.ofMillis(10), v4.minRx());
        assertEquals(Duration.ofMillis(1000), v4.idleTx());
        assertEquals(5, v4.multiplier());
        assertEquals(255, v4.ttl());
        assertEquals(0, v4.maxHops());
        assertNull(v4.sourceIp());
        BfdInstance v6 = ok("bfd_instance b6 {\n neighbor_ip fd00::2\n source_ip fd00::1\n}\n").bfdInstances().get(0);
        assertEquals(64, v6.ttl());
        BfdInstance vrrpOnly = ok(bfd(" vrrp\n")).bfdInstances().get(0);
        assertFalse(vrrpOnly.forChecker());
    }

    @Test
    void dumpsLoadBack() throws Exception {
        KeepalivedConfig c = ok(bfd(" source_ip 10.0.0.1\n min_tx 3.312\n weight -5 reverse\n")
                + "bfd_instance b6 {\n neighbor_ip fd00::2\n passive\n}\n");
        assertEquals(c, ConfigMapper.fromYaml(ConfigMapper.toYaml(c)));
        assertEquals(c, ConfigMapper.fromJson(ConfigMapper.toJson(c)));
    }

    @Test
    void badValuesAreErrorsAtTheirLine() {
        LoadResult r = parse(bfd(" multiplier 0\n"));
        assertEquals(3, find(r, Severity.ERROR, "multiplier").pos().line());
        r = parse(bfd(" min_rx abc\n"));
        assertEquals(3, find(r, Severity.ERROR, "min_rx").pos().line());
        find(parse(bfd(" idle_tx 999\n")), Severity.ERROR, "idle_tx");
        find(parse(bfd(" min_tx 0.5\n")), Severity.ERROR, "min_tx");
        find(parse(bfd(" ttl 256\n")), Severity.ERROR, "ttl");
        find(parse(bfd(" max_hops 256\n")), Severity.ERROR, "max_hops");
        find(parse(bfd(" weight 254\n")), Severity.ERROR, "weight");
        find(parse(bfd(" weight 5 foo\n")), Severity.ERROR, "reverse");
        find(parse("bfd_instance b1 {\n source_ip 10.0.0.1\n}\n"), Severity.ERROR, "no neighbor_ip");
        find(parse("bfd_instance b1 {\n neighbor_ip 10.0.0.x\n}\n"), Severity.ERROR, "10.0.0.x");
        find(parse(bfd(" source_ip fd00::1\n")), Severity.ERROR, "same family");
        LoadResult dup = parse(bfd("") + bfd(""));
        assertEquals(4, find(dup, Severity.ERROR, "defined twice").pos().line());
        find(parse(bfd("") + "bfd_instance b2 {\n neighbor_ip 10.0.0.2\n}\n"), Severity.ERROR, "already used");
        find(parse("bfd_instance abcdefghijabcdefghijabcdefghijabc {\n neighbor_ip 10.0.0.2\n}\n"), Severity.ERROR,
                "too long");
        assertTrue(parse(bfd(" foo 1\n")).diagnostics().stream().anyMatch(d -> d.severity() != Severity.NOTICE));
    }

    @Test
    void bfdCheckMustNameAnInstance() {
        String vs = "virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_algo rr\n lb_kind NAT\n real_server 10.0.0.2 80 {\n  BFD_CHECK {\n"
                + "   name %s\n  }\n }\n}\n";
        find(parse(String.format(vs, "nosuch")), Severity.ERROR, "bfd_instance 'nosuch' is not defined");
        find(parse(bfd(" vrrp\n") + String.format(vs, "b1")), Severity.ERROR, "vrrp only");
        find(parse(bfd(" ttl 10\n max_hops 11\n")), Severity.ERROR, "exceeds");
        KeepalivedConfig c = ok(bfd("") + String.format(vs, "b1"));
        assertEquals(1, c.bfdInstances().size());
    }

    /** The same texts through keepalived 2.2.7's own -t: we must pass and fail together. */
    @Test
    void agreesWithKeepalivedConfigTest(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(new File("/usr/sbin/keepalived").canExecute(), "keepalived 2.2.7 not installed");
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("full", "bfd_instance b1 {\n neighbor_ip 10.0.0.2\n source_ip 10.0.0.1\n min_rx 100\n min_tx 3.312\n"
                + " idle_tx 1000\n multiplier 3\n passive\n ttl 1\n max_hops 1\n weight -253 reverse\n vrrp\n checker\n}\n");
        cases.put("v6", "bfd_instance b1 {\n neighbor_ip fd00::2\n source_ip fd00::1\n hoplimit 64\n max_hops 64\n}\n");
        cases.put("v6hops", "bfd_instance b1 {\n neighbor_ip fd00::2\n max_hops -1\n}\n");
        cases.put("hopsOverTtl", bfd(" ttl 10\n max_hops 11\n"));
        cases.put("neighbour", "bfd_instance b1 {\n neighbour_ip 10.0.0.2\n}\n");
        String[] bad = {" multiplier 0\n", " multiplier 256\n", " multiplier x\n", " min_rx abc\n", " min_rx 0\n",
                " min_tx 0.5\n", " idle_tx 999\n", " idle_tx 4294968\n", " ttl 0\n", " ttl 256\n", " hoplimit 0\n",
                " max_hops 256\n", " weight 254\n", " weight 5 foo\n", " source_ip abc\n", " source_ip fd00::1\n",
                " foo 1\n"};
        for (int i = 0; i < bad.length; i++) cases.put("bad" + i, bfd(bad[i]));
        cases.put("noneighbor", "bfd_instance b1 {\n source_ip 10.0.0.1\n}\n");
        cases.put("dupname", bfd("") + "bfd_instance b1 {\n neighbor_ip 10.0.0.3\n}\n");
        cases.put("dupneighbor", bfd("") + "bfd_instance b2 {\n neighbor_ip 10.0.0.2\n}\n");
        cases.put("longname", "bfd_instance abcdefghijabcdefghijabcdefghijabc {\n neighbor_ip 10.0.0.2\n}\n");
        String vs = "virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_algo rr\n lb_kind NAT\n real_server 10.0.0.2 80 {\n  BFD_CHECK {\n"
                + "   name %s\n  }\n }\n}\n";
        cases.put("checkok", bfd("") + String.format(vs, "b1"));
        cases.put("checkmissing", String.format(vs, "nosuch"));
        cases.put("checkvrrponly", bfd(" vrrp\n") + String.format(vs, "b1"));
        List<String> disagree = new ArrayList<>();
        for (Map.Entry<String, String> e : cases.entrySet()) {
            Path f = dir.resolve(e.getKey() + ".conf");
            Files.writeString(f, e.getValue());
            Process p = new ProcessBuilder("/usr/sbin/keepalived", "-t", "-f", f.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "keepalived -t hangs");
            boolean theirs = p.exitValue() == 0;
            LoadResult r = ConfigLoader.load(f, TestSupport.OPTS);
            boolean ours = r.config() != null && r.diagnostics().stream().allMatch(d -> d.severity() == Severity.NOTICE);
            if (theirs != ours) disagree.add(e.getKey() + " keepalived=" + p.exitValue() + " ours=" + r.diagnostics());
        }
        assertTrue(disagree.isEmpty(), () -> String.join("\n", disagree));
    }
}
