package org.jkeepalived.vrrp.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.config.TrackProcess;
import org.jkeepalived.core.parse.ConfigLoader;
import org.jkeepalived.core.parse.LoadOptions;
import org.junit.jupiter.api.Test;

/** track_process results through TrackingState / PriorityCalculator, as keepalived applies them. */
class TrackingStateProcessTest {
    private static final String PROCESSES = """
            vrrp_track_process must {
              process haproxy
            }
            vrrp_track_process plus {
              process exporter
              weight 10
            }
            vrrp_track_process minus {
              process nginx
              weight -20
            }
            vrrp_track_process maint {
              process maintenance
              weight 0 reverse
            }
            """;

    private static KeepalivedConfig parse(String text) {
        KeepalivedConfig c = ConfigLoader.parse(text, "keepalived.conf", new LoadOptions(false, null, Map.of())).config();
        assertNotNull(c);
        return c;
    }

    private static String instance(String name, int vrid, int priority, String tracked) {
        return "vrrp_instance " + name + " {\n interface eth0\n virtual_router_id " + vrid + "\n priority " + priority
                + "\n virtual_ipaddress {\n  10.0.0." + vrid + "\n }\n track_process {\n" + tracked + " }\n}\n";
    }

    private static Map<String, TrackProcess> byName(KeepalivedConfig c) {
        return c.trackProcesses().stream().collect(Collectors.toMap(TrackProcess::name, Function.identity()));
    }

    private static TrackingState tracking(KeepalivedConfig c, String instance) {
        TrackingState t = TrackingState.forInstance(c.vrrpInstance(instance).orElseThrow(), Map.of(), Map.of(), Map.of(),
                byName(c));
        c.syncGroupOf(instance).ifPresent(g -> t.addSyncGroup(g, Map.of(), Map.of(), Map.of(), byName(c)));
        t.setInterface("eth0", true);
        return t;
    }

    @Test
    void unweightedIsAFaultWithoutQuorum() {
        TrackingState t = tracking(parse(PROCESSES + instance("VI_1", 1, 100, "  must\n")), "VI_1");
        assertFalse(t.evaluate().fault(), "not counted yet: neither way");
        t.setProcess("must", TrackStatus.DOWN);
        PriorityCalculator.Result r = t.evaluate();
        assertTrue(r.fault());
        assertEquals(List.of("track_process must quorum not achieved"), r.faultReasons());
        t.setProcess("must", TrackStatus.UP);
        assertEquals(new PriorityCalculator.Result(100, false, List.of()), t.evaluate());
    }

    @Test
    void weightZeroReverseIsAFaultWithQuorum() {
        TrackingState t = tracking(parse(PROCESSES + instance("VI_1", 1, 100, "  maint\n")), "VI_1");
        t.setProcess("maint", TrackStatus.DOWN);
        assertFalse(t.evaluate().fault());
        t.setProcess("maint", TrackStatus.UP);
        assertTrue(t.evaluate().fault(), "the maintenance process runs: down");
    }

    @Test
    void weightsMoveThePriority() {
        TrackingState t = tracking(parse(PROCESSES + instance("VI_1", 1, 100,
                "  plus\n  minus\n  must weight 5 reverse\n")), "VI_1");
        t.setProcess("plus", TrackStatus.UP);
        t.setProcess("minus", TrackStatus.UP);
        t.setProcess("must", TrackStatus.UP);
        assertEquals(100 + 10 - 5, t.evaluate().effectivePriority(), "+10 while up; reverse 5 while up: -5");
        t.setProcess("plus", TrackStatus.DOWN);
        t.setProcess("minus", TrackStatus.DOWN);
        t.setProcess("must", TrackStatus.DOWN);
        PriorityCalculator.Result r = t.evaluate();
        assertEquals(100 - 20, r.effectivePriority(), "-20 while down, the others nothing");
        assertFalse(r.fault(), "a reference's weight replaces the unweighted default");
    }

    @Test
    void aWeightedEntryKeepsTheDefinitionsReverse() {
        KeepalivedConfig c = parse(PROCESSES + "vrrp_track_process P {\n process p\n weight 5 reverse\n}\n"
                + "vrrp_script chk {\n script /bin/true\n weight 5 reverse\n}\n"
                + instance("VI_1", 1, 100, "  P weight 20\n").replace(" track_process {", " track_script {\n  chk weight 30\n }\n track_process {"));
        Map<String, org.jkeepalived.core.config.VrrpScript> scripts = c.vrrpScripts().stream()
                .collect(Collectors.toMap(org.jkeepalived.core.config.VrrpScript::name, Function.identity()));
        TrackingState t = TrackingState.forInstance(c.vrrpInstance("VI_1").orElseThrow(), scripts, Map.of(), Map.of(), byName(c));
        t.setInterface("eth0", true);
        t.setProcess("P", TrackStatus.UP);
        t.setScript("chk", TrackStatus.UP);
        assertEquals(100 - 20 - 30, t.evaluate().effectivePriority(), "reversed: decreased while up, as keepalived");
    }

    @Test
    void addressOwnerKeepsItsPriority() {
        TrackingState t = tracking(parse(PROCESSES + instance("VI_1", 1, 255, "  minus\n  must\n")), "VI_1");
        t.setProcess("minus", TrackStatus.DOWN);
        t.setProcess("must", TrackStatus.UP);
        assertEquals(255, t.evaluate().effectivePriority());
        t.setProcess("must", TrackStatus.DOWN);
        assertTrue(t.evaluate().fault(), "unweighted still faults the owner");
    }

    @Test
    void syncGroupAndInstanceTrackingTheSameProcessCountOnce() {
        KeepalivedConfig c = parse(PROCESSES + instance("VI_1", 1, 100, "  minus weight -5\n  must\n")
                + instance("VI_2", 2, 100, "") + "vrrp_sync_group G {\n group {\n  VI_1\n  VI_2\n }\n"
                + " sync_group_tracking_weight\n track_process {\n  minus\n  must weight -40\n }\n}\n");
        TrackingState t = tracking(c, "VI_1");
        assertEquals(1, t.items().stream().filter(i -> i.name().equals("minus")).count());
        t.setProcess("minus", TrackStatus.DOWN);
        t.setProcess("must", TrackStatus.DOWN);
        PriorityCalculator.Result r = t.evaluate();
        assertEquals(80, r.effectivePriority(), "the group's weight (-20) replaces the instance's -5");
        assertTrue(r.fault(), "the instance's unweighted entry stays unweighted");
        TrackingState other = tracking(c, "VI_2");
        other.setProcess("minus", TrackStatus.DOWN);
        other.setProcess("must", TrackStatus.UP);
        assertEquals(80, other.evaluate().effectivePriority(), "the group's entries apply to every member");
    }
}
