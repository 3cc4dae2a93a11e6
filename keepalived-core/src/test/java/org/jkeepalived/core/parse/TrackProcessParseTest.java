package org.jkeepalived.core.parse;

import static org.jkeepalived.core.parse.TestSupport.find;
import static org.jkeepalived.core.parse.TestSupport.ok;
import static org.jkeepalived.core.parse.TestSupport.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.config.TrackProcess;
import org.jkeepalived.core.config.TrackProcess.ParamMatch;
import org.jkeepalived.core.config.TrackRef;
import org.jkeepalived.core.config.VrrpInstance;
import org.jkeepalived.core.parse.Diagnostic.Severity;
import org.junit.jupiter.api.Test;

/**
 * vrrp_track_process and track_process as keepalived 2.2.7 reads them; each invalid case was
 * checked against keepalived -t (which fails on all of them, as ours does).
 */
class TrackProcessParseTest {

    private static String instance(String name, int vrid, int priority, String track) {
        return "vrrp_instance " + name + " {\n interface eth0\n virtual_router_id " + vrid + "\n priority " + priority
                + "\n virtual_ipaddress {\n  10.0.0." + vrid + "\n }\n" + track + "}\n";
    }

    private static String tracking(String entries) {
        return " track_process {\n" + entries + " }\n";
    }

    @Test
    void defaultsAreKeepalivedsNotTheManPages() {
        TrackProcess p = ok("vrrp_track_process ha {\n process haproxy\n}\n").trackProcesses().get(0);
        assertEquals("haproxy", p.process());
        assertEquals(List.of(), p.params());
        assertEquals(ParamMatch.NONE, p.paramMatch());
        assertFalse(p.fullCommand());
        // keepalived.conf(5) says 1; keepalived 2.2.7 runs with 0, so a missing process is a FAULT
        assertEquals(0, p.weight());
        assertEquals(1, p.quorum());
        assertNull(p.quorumMax());
        assertEquals(Duration.ZERO, p.forkDelay());
        assertEquals(Duration.ZERO, p.terminateDelay());
    }

    @Test
    void everyKeyword() {
        KeepalivedConfig c = ok("vrrp_track_process p1 {\n process \"/tmp/a b\" param1 \"param 2\"\n param_match partial\n"
                + " weight -20 reverse\n quorum 2\n quorum_max 3\n fork_delay 0.5\n terminate_delay 1.25\n}\n"
                + "vrrp_track_process p2 {\n param_match initial\n process nginx -g\n delay 2\n}\n"
                + "vrrp_track_process p3 {\n process sshd\n full_command\n}\n"
                + "vrrp_track_process p4 {\n process worker\n param_match\n}\n");
        TrackProcess p1 = c.trackProcess("p1").orElseThrow();
        assertEquals("/tmp/a b", p1.process());
        assertEquals(List.of("param1", "param 2"), p1.params());
        assertEquals(ParamMatch.PARTIAL, p1.paramMatch());
        assertTrue(p1.fullCommand());
        assertEquals(-20, p1.weight());
        assertTrue(p1.weightReverse());
        assertEquals(2, p1.quorum());
        assertEquals(3, p1.quorumMax());
        assertEquals(Duration.ofMillis(500), p1.forkDelay());
        assertEquals(Duration.ofMillis(1250), p1.terminateDelay());
        // param_match given before the parameters is kept
        TrackProcess p2 = c.trackProcess("p2").orElseThrow();
        assertEquals(ParamMatch.INITIAL, p2.paramMatch());
        assertEquals(Duration.ofSeconds(2), p2.forkDelay());
        assertEquals(Duration.ofSeconds(2), p2.terminateDelay());
        TrackProcess p3 = c.trackProcess("p3").orElseThrow();
        assertTrue(p3.fullCommand());
        assertEquals(ParamMatch.NONE, p3.paramMatch());
        // param_match alone: the command must have no parameters
        TrackProcess p4 = c.trackProcess("p4").orElseThrow();
        assertEquals(ParamMatch.EXACT, p4.paramMatch());
        assertTrue(p4.fullCommand());
        // parameters without param_match: an exact match of the command line
        TrackProcess exact = ok("vrrp_track_process e {\n process sleep 1000\n}\n").trackProcesses().get(0);
        assertEquals(ParamMatch.EXACT, exact.paramMatch());
        assertTrue(exact.fullCommand());
    }

    @Test
    void quorumMaxZeroMeansNoneMayRun() {
        TrackProcess p = ok("vrrp_track_process p {\n process x\n quorum_max 0\n}\n").trackProcesses().get(0);
        assertEquals(0, p.quorum());
        assertEquals(0, p.quorumMax());
        assertTrue(p.inQuorum(0));
        assertFalse(p.inQuorum(1));
    }

    @Test
    void referencesInInstancesAndSyncGroups() {
        KeepalivedConfig c = ok("vrrp_track_process p1 {\n process x\n weight 10\n}\n"
                + "vrrp_track_process p2 {\n process y\n weight -5 reverse\n}\n"
                + instance("VI_1", 1, 100, tracking("  p1\n  p2 weight 30 noreverse\n"))
                + instance("VI_2", 2, 100, tracking("  p2 weight -7 reverse\n"))
                + "vrrp_sync_group G {\n group {\n  VI_1\n  VI_2\n }\n track_process {\n  p2\n }\n}\n");
        VrrpInstance v1 = c.vrrpInstance("VI_1").orElseThrow();
        assertEquals(List.of(new TrackRef("p1", null, false), new TrackRef("p2", 30, false)), v1.trackProcesses());
        assertEquals(List.of(new TrackRef("p2", -7, true)), c.vrrpInstance("VI_2").orElseThrow().trackProcesses());
        // the entry carries the definition's reverse (TrackingState ORs it in either way)
        assertEquals(List.of(new TrackRef("p2", null, true)), c.vrrpSyncGroups().get(0).trackProcesses());
    }

    @Test
    void aWeightedEntryKeepsTheDefinitionsReverseUnlessItSaysOtherwise() {
        // keepalived's alloc_track_process starts from the vrrp_track_process's weight_reverse
        KeepalivedConfig c = ok("vrrp_track_process P {\n process x\n weight 5 reverse\n}\n"
                + instance("VI_1", 1, 100, tracking("  P weight 20\n"))
                + instance("VI_2", 2, 100, tracking("  P weight 20 noreverse\n"))
                + "vrrp_sync_group G {\n group {\n  VI_1\n  VI_2\n }\n sync_group_tracking_weight\n"
                + " track_process {\n  P weight -3\n }\n}\n");
        assertEquals(List.of(new TrackRef("P", 20, true)), c.vrrpInstance("VI_1").orElseThrow().trackProcesses());
        assertEquals(List.of(new TrackRef("P", 20, false)), c.vrrpInstance("VI_2").orElseThrow().trackProcesses());
        assertEquals(List.of(new TrackRef("P", -3, true)), c.vrrpSyncGroups().get(0).trackProcesses());
    }

    @Test
    void aWeightedTrackScriptEntryKeepsTheScriptsReverseToo() {
        // alloc_track_script (and _file, _bfd) do the same; the vrrp_script may even come later here
        KeepalivedConfig c = ok(instance("VI_1", 1, 100, " track_script {\n  chk weight 20\n  plain weight 4\n }\n"
                        + " track_file {\n  tf weight 3\n }\n")
                + instance("VI_2", 2, 100, " track_script {\n  chk weight 20 noreverse\n }\n")
                + "vrrp_script chk {\n script /bin/true\n weight 5 reverse\n}\n"
                + "vrrp_script plain {\n script /bin/true\n weight 5\n}\n"
                + "vrrp_track_file tf {\n file /tmp/tf\n weight 2 reverse\n}\n");
        VrrpInstance v1 = c.vrrpInstance("VI_1").orElseThrow();
        assertEquals(List.of(new TrackRef("chk", 20, true), new TrackRef("plain", 4, false)), v1.trackScripts());
        assertEquals(List.of(new TrackRef("tf", 3, true)), v1.trackFiles());
        assertEquals(List.of(new TrackRef("chk", 20, false)), c.vrrpInstance("VI_2").orElseThrow().trackScripts());
    }

    @Test
    void weightedTrackProcessInASyncGroupMemberIsKeptAsKeepalivedDoes() {
        // keepalived.conf(5) asks for weight 0 here, but keepalived 2.2.7 neither reports nor drops it
        // (-t passes) and applies the weight: so do we
        KeepalivedConfig c = ok("vrrp_track_process p1 {\n process x\n weight 10\n}\n"
                + instance("VI_1", 1, 100, tracking("  p1\n")) + instance("VI_2", 2, 100, "")
                + "vrrp_sync_group G {\n group {\n  VI_1\n  VI_2\n }\n}\n");
        assertEquals(List.of(new TrackRef("p1", null, false)), c.vrrpInstance("VI_1").orElseThrow().trackProcesses());
    }

    @Test
    void syncGroupWithAnAddressOwnerGetsUnweightedProcesses() {
        LoadResult r = parse("vrrp_track_process p1 {\n process x\n weight 10\n}\n"
                + "vrrp_track_process p0 {\n process y\n}\n"
                + "vrrp_sync_group G {\n group {\n  VI_1\n  VI_2\n }\n track_process {\n  p1\n  p0 weight 5 reverse\n }\n}\n"
                + instance("VI_1", 1, 100, "") + instance("VI_2", 2, 255, ""));
        assertNotNull(r.config());
        assertEquals(List.of(new TrackRef("p1", 0, false), new TrackRef("p0", 0, true)),
                r.config().vrrpSyncGroups().get(0).trackProcesses());
        assertEquals(8, find(r, Severity.WARNING,
                "(G) Cannot have weighted track process 'p1' with member having priority 255 - setting weight 0").pos().line());
        find(r, Severity.WARNING, "(G) Cannot have weighted track process 'p0'");
    }

    /** The diagnostic on {@code line}: keepalived -t reports each of these cases on the same line. */
    private static Diagnostic at(LoadResult r, Severity sev, int line, String text) {
        Diagnostic d = find(r, sev, text);
        assertEquals(line, d.pos().line(), d.format());
        return d;
    }

    @Test
    void valuesKeepalivedRefuses() {
        LoadResult r = parse("vrrp_track_process p1 {\n process x\n weight 300\n quorum 0\n fork_delay 0\n"
                + " terminate_delay 3601\n delay abc\n delay 0.0000001\n quorum_max 70000\n}\n");
        assertNull(r.config());
        at(r, Severity.ERROR, 3, "weight: '300' is outside the range [-254, 254]");
        at(r, Severity.ERROR, 4, "quorum: '0' is outside the range [1, 65535]");
        at(r, Severity.ERROR, 5, "fork_delay (0) for vrrp_track_process p1 must be between [0.000001..3600] seconds");
        at(r, Severity.ERROR, 6, "terminate_delay (3601) for vrrp_track_process p1");
        at(r, Severity.ERROR, 7, "delay (abc) for vrrp_track_process p1");
        at(r, Severity.ERROR, 8, "delay (0.0000001) for vrrp_track_process p1");
        at(r, Severity.ERROR, 9, "quorum_max: '70000' is outside the range [0, 65535]");
    }

    @Test
    void statementsKeepaliveIgnoresWithAReport() {
        LoadResult r = parse("vrrp_track_process p1 {\n process x\n process y\n weight 5 foo\n weight 6\n"
                + " param_match foo\n quorum 3\n quorum_max 2\n weight\n}\n"
                + "vrrp_track_process p2 {\n quorum_max 2\n quorum 3\n}\n");
        assertNotNull(r.config(), "keepalived runs on without these");
        at(r, Severity.WARNING, 3, "Process already set for track process p1 - ignoring y");
        at(r, Severity.WARNING, 4, "vrrp_track_process p1 unknown weight option foo");
        at(r, Severity.WARNING, 5, "Weight already set for track process p1 - ignoring 6");
        at(r, Severity.WARNING, 6, "Invalid param_match type foo - ignoring");
        at(r, Severity.WARNING, 8, "quorum_max is less than quorum - ignoring");
        at(r, Severity.WARNING, 9, "No weight specified for track process p1 - ignoring");
        at(r, Severity.WARNING, 13, "Quorum is greater than quorum_max - ignoring");
        at(r, Severity.WARNING, 11, "track process 'p2' process name not specified");
        TrackProcess p1 = r.config().trackProcess("p1").orElseThrow();
        assertEquals("x", p1.process());
        assertEquals(5, p1.weight());
        assertEquals(3, p1.quorum());
        assertNull(p1.quorumMax());
        assertTrue(r.config().trackProcess("p2").isEmpty(), "a vrrp_track_process without process is dropped");
        // a second weight after "weight 0" is taken, as keepalived does
        assertEquals(5, ok("vrrp_track_process p {\n process x\n weight 0\n weight 5\n}\n").trackProcesses().get(0).weight());
    }

    @Test
    void badReferencesAreReportedAndSkipped() {
        LoadResult r = parse("vrrp_track_process p1 {\n process x\n}\n"
                + instance("VI_1", 1, 100, tracking("  p1\n  p1\n  nothere\n  later\n  p1 reverse\n")
                        + tracking("  p1 weight 3\n"))
                + instance("VI_2", 2, 100, tracking("  p1 weight\n")) + instance("VI_3", 3, 100, tracking("  p1 weight 5 bar\n"))
                + instance("VI_4", 4, 100, tracking("  p1 reverse\n"))
                + "vrrp_track_process later {\n process y\n}\n");
        assertNotNull(r.config());
        // keepalived looks for a duplicate before reading the options
        assertEquals(List.of(13, 16, 19), r.diagnostics().stream()
                .filter(d -> d.message().equals("(VI_1) duplicate track_process p1 - ignoring")).map(d -> d.pos().line()).toList());
        at(r, Severity.WARNING, 14, "(VI_1) track process nothere not found, ignoring...");
        Diagnostic later = at(r, Severity.WARNING, 15, "(VI_1) track process later not found, ignoring...");
        assertTrue(later.message().contains("must be defined before it is used"), later.message());
        find(r, Severity.WARNING, "(VI_4) unknown track process option reverse - ignoring");
        find(r, Severity.WARNING, "(VI_2) weight without value specified for track process p1 - ignoring");
        find(r, Severity.WARNING, "(VI_3) unknown track_process p1 weight option bar - ignoring");
        assertEquals(List.of(new TrackRef("p1", null, false)), r.config().vrrpInstance("VI_1").orElseThrow().trackProcesses());
        assertEquals(List.of(), r.config().vrrpInstance("VI_2").orElseThrow().trackProcesses());
        assertEquals(List.of(new TrackRef("p1", 5, false)), r.config().vrrpInstance("VI_3").orElseThrow().trackProcesses());
        // a reference's weight out of range is an error, as for the other track_* blocks
        LoadResult w = parse("vrrp_track_process p1 {\n process x\n}\n" + instance("VI_1", 1, 100, tracking("  p1 weight 300\n")));
        find(w, Severity.ERROR, "'300' is outside the range [-254, 254]");
    }

    @Test
    void dumpRoundTrips() throws Exception {
        KeepalivedConfig c = ok("vrrp_track_process p1 {\n process nginx -g \"daemon off;\"\n param_match initial\n"
                + " weight 10 reverse\n quorum 2\n quorum_max 4\n fork_delay 0.25\n}\n"
                + instance("VI_1", 1, 100, tracking("  p1 weight -3\n")));
        assertEquals(c, ConfigMapper.fromYaml(ConfigMapper.toYaml(c)));
        assertEquals(c, ConfigMapper.fromJson(ConfigMapper.toJson(c)));
    }

    @Test
    void processMonitorReceiveBuffersAsKeepalivedReadsThem() {
        KeepalivedConfig c = ok("global_defs {\n process_monitor_rcv_bufs 500000\n process_monitor_rcv_bufs_force\n}\n");
        assertEquals(List.of(List.of("500000")), c.globalDefs().options().get("process_monitor_rcv_bufs"));
        assertEquals(List.of(List.of("true")), c.globalDefs().options().get("process_monitor_rcv_bufs_force"));
        assertEquals(List.of(List.of("false")), ok("global_defs {\n process_monitor_rcv_bufs_force off\n}\n")
                .globalDefs().options().get("process_monitor_rcv_bufs_force"));
        assertNull(ok("global_defs {\n process_monitor_rcv_bufs 0\n}\n").globalDefs().options()
                .get("process_monitor_rcv_bufs"), "0 keeps the default, silently");
        assertTrue(KeywordSupport.isImplemented("global_defs", "process_monitor_rcv_bufs"));
        assertTrue(KeywordSupport.isImplemented("global_defs", "process_monitor_rcv_bufs_force"));
        // keepalived -t fails on each of these, with these words
        find(parse("global_defs {\n process_monitor_rcv_bufs\n}\n"), Severity.ERROR, "process_monitor_rcv_bufs size missing");
        for (String bad : List.of("abc", "-5", "4294967296", "1.5")) {
            find(parse("global_defs {\n process_monitor_rcv_bufs " + bad + "\n}\n"), Severity.ERROR,
                    "process_monitor_rcv_bufs size (" + bad + ") invalid");
        }
        find(parse("global_defs {\n process_monitor_rcv_bufs_force TRUE\n}\n"), Severity.ERROR,
                "Invalid value 'TRUE' for global process_monitor_rcv_bufs_force specified");
    }
}
