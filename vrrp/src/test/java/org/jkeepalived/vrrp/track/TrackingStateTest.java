package org.jkeepalived.vrrp.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jkeepalived.core.config.AuthType;
import org.jkeepalived.core.config.ScriptSpec;
import org.jkeepalived.core.config.TrackFile;
import org.jkeepalived.core.config.TrackRef;
import org.jkeepalived.core.config.VrrpInstance;
import org.jkeepalived.core.config.VrrpScript;
import org.jkeepalived.core.config.VrrpState;
import org.junit.jupiter.api.Test;

class TrackingStateTest {

    @Test
    void unweightedInterfaceDownIsFault() {
        TrackingState t = new TrackingState(100).trackInterface("eth1", 0, false);
        assertFalse(t.evaluate().fault(), "unknown link state faults nothing");
        t.setInterface("eth1", true);
        assertEquals(new PriorityCalculator.Result(100, false, List.of()), t.evaluate());
        t.setInterface("eth1", false);
        PriorityCalculator.Result r = t.evaluate();
        assertTrue(r.fault());
        assertEquals(List.of("track_interface eth1 down"), r.faultReasons());
    }

    @Test
    void weightedInterfacesAdjustPriority() {
        TrackingState t = new TrackingState(100)
                .trackInterface("eth1", 10, false)   // +10 while up
                .trackInterface("eth2", -20, false)  // -20 while down
                .trackInterface("eth3", 5, true)     // reverse: -5 while up
                .trackInterface("eth4", -7, true);   // reverse: +7 while down
        for (String i : List.of("eth1", "eth2", "eth3", "eth4")) t.setInterface(i, true);
        assertEquals(100 + 10 - 5, t.evaluate().effectivePriority());
        for (String i : List.of("eth1", "eth2", "eth3", "eth4")) t.setInterface(i, false);
        assertEquals(100 - 20 + 7, t.evaluate().effectivePriority());
        assertFalse(t.evaluate().fault());
    }

    @Test
    void unweightedReverseFaultsWhenUp() {
        TrackingState t = new TrackingState(100).trackScript("chk", 0, true, false);
        t.setScript("chk", TrackStatus.DOWN);
        assertFalse(t.evaluate().fault());
        t.setScript("chk", TrackStatus.UP);
        assertTrue(t.evaluate().fault());
    }

    @Test
    void scriptWeightsAndInitFail() {
        TrackingState t = new TrackingState(100)
                .trackScript("pos", 30, false, false)
                .trackScript("neg", -40, false, true)  // init_fail: counted as failed at once
                .trackScript("zero", 0, false, false);
        assertEquals(60, t.evaluate().effectivePriority());
        assertFalse(t.evaluate().fault(), "weight-0 script not run yet: no FAULT");
        t.setScript("pos", TrackStatus.UP);
        t.setScript("neg", TrackStatus.UP);
        assertEquals(130, t.evaluate().effectivePriority());
        t.setScript("zero", TrackStatus.DOWN);
        assertTrue(t.evaluate().fault());
    }

    @Test
    void effectivePriorityIsClampedAndOwnerKeeps255() {
        TrackingState t = new TrackingState(250).trackScript("a", 100, false, false);
        t.setScript("a", TrackStatus.UP);
        assertEquals(254, t.evaluate().effectivePriority());
        TrackingState low = new TrackingState(10).trackScript("a", -100, false, true);
        assertEquals(1, low.evaluate().effectivePriority());
        TrackingState owner = new TrackingState(255).trackScript("a", -100, false, true).trackInterface("eth0", 0, false);
        assertEquals(255, owner.evaluate().effectivePriority());
        owner.setInterface("eth0", false);
        assertTrue(owner.evaluate().fault(), "an owner still goes to FAULT");
    }

    @Test
    void trackFileRules() {
        TrackingState t = new TrackingState(100).trackFile("f0", 0, false).trackFile("f1", 2, false).trackFile("f2", -1, true);
        t.setFile("f0", 0);
        t.setFile("f1", 10);
        t.setFile("f2", 5);
        assertEquals(100 + 20 + 5, t.evaluate().effectivePriority());
        t.setFile("f0", 3);
        assertTrue(t.evaluate().fault(), "weight 0: non-zero value is a failure");
        t.setFile("f0", 0);
        t.setFile("f1", -127);
        assertTrue(t.evaluate().fault(), "-254 is below -253: FAULT");
        t.setFile("f1", -126);
        assertFalse(t.evaluate().fault());
        assertEquals(1, t.evaluate().effectivePriority());
        t.setFile("f1", 1_000_000);
        assertEquals(254, t.evaluate().effectivePriority());
        TrackingState rev = new TrackingState(100).trackFile("f", 0, true);
        rev.setFile("f", 0);
        assertTrue(rev.evaluate().fault(), "weight 0 reverse: zero is the failure");
        assertEquals(42, TrackingState.parseFileValue(" 42\n"));
        assertEquals(-7, TrackingState.parseFileValue("-7 apples"));
        assertEquals(0, TrackingState.parseFileValue("x"));
    }

    @Test
    void builtFromConfigRecords() {
        VrrpScript chk = new VrrpScript("chk_nginx", new ScriptSpec("/bin/true", List.of("/bin/true"), null, null),
                Duration.ofSeconds(2), null, -30, false, 2, 3, false);
        VrrpScript chk0 = new VrrpScript("chk_zero", new ScriptSpec("/bin/true", List.of("/bin/true"), null, null),
                Duration.ofSeconds(2), null, 0, false, 1, 1, true);
        TrackFile tf = new TrackFile("tf", "/tmp/x", 3, false, null, false);
        VrrpInstance vi = instance(List.of(new TrackRef("eth1", 15, false)),
                List.of(new TrackRef("chk_nginx", null, false), new TrackRef("chk_zero", null, false)),
                List.of(new TrackRef("tf", -2, false)));
        TrackingState t = TrackingState.forInstance(vi, Map.of("chk_nginx", chk, "chk_zero", chk0), Map.of("tf", tf));
        assertEquals(List.of("eth0", "eth1"), List.copyOf(t.names(PriorityCalculator.Kind.INTERFACE)));
        assertTrue(t.evaluate().fault(), "init_fail weight-0 script");
        t.setScript("chk_zero", TrackStatus.UP);
        t.setInterface("eth0", true);
        t.setInterface("eth1", true);
        t.setScript("chk_nginx", TrackStatus.DOWN);
        t.setFile("tf", 4);
        assertEquals(100 + 15 - 30 - 8, t.evaluate().effectivePriority());
        t.setInterface("eth0", false);
        assertTrue(t.evaluate().fault(), "the instance's own interface is tracked");
    }

    @Test
    void trackBfdStartsDownAndTakesItsWeightFromTheBfdInstance() throws Exception {
        org.jkeepalived.core.config.BfdInstance plain = org.jkeepalived.core.config.BfdInstance.of("b0", ip("10.0.0.2"), null);
        org.jkeepalived.core.config.BfdInstance weighted = new org.jkeepalived.core.config.BfdInstance("bw",
                ip("10.0.0.3"), null, plain.minRx(), plain.minTx(), plain.idleTx(), 5, false, 255, 0, -20, false, true, false);
        VrrpInstance vi = instance(List.of(), List.of(), List.of(), List.of(new TrackRef("b0", null, false),
                new TrackRef("bw", null, false), new TrackRef("bw2", 10, true), new TrackRef("nosuch", null, false)));
        TrackingState t = TrackingState.forInstance(vi, Map.of(), Map.of(), Map.of("b0", plain, "bw", weighted,
                "bw2", weighted));
        t.setInterface("eth0", true);
        assertEquals(List.of("b0", "bw", "bw2"), List.copyOf(t.names(PriorityCalculator.Kind.BFD)));
        PriorityCalculator.Result r = t.evaluate();
        assertTrue(r.fault(), "an unweighted session starts Down: FAULT");
        assertEquals(List.of("track_bfd b0 down"), r.faultReasons());
        assertTrue(t.setBfd("b0", true));
        assertFalse(t.setBfd("other", true), "not tracked here");
        r = t.evaluate();
        assertFalse(r.fault());
        // bw Down: its own weight -20; bw2 Down with weight 10 reverse: +0 (reverse of "added while up")
        assertEquals(80, r.effectivePriority());
        t.setBfd("bw", true);
        t.setBfd("bw2", true);
        assertEquals(90, t.evaluate().effectivePriority(), "bw2 Up with weight 10 reverse subtracts 10");
    }

    static VrrpInstance instance(List<TrackRef> ifs, List<TrackRef> scripts, List<TrackRef> files) {
        return instance(ifs, scripts, files, List.of());
    }

    static VrrpInstance instance(List<TrackRef> ifs, List<TrackRef> scripts, List<TrackRef> files, List<TrackRef> bfds) {
        return new VrrpInstance("VI_1", VrrpState.BACKUP, "eth0", 51, 100, Duration.ofSeconds(1), 2, false, false,
                Duration.ZERO, true, AuthType.NONE, null, null, null, List.of(), List.of(), List.of(), List.of(),
                List.of(), ifs, scripts, files, bfds, false, null, false, Duration.ofSeconds(5), 5, Duration.ZERO, 1,
                Duration.ZERO, 1, null, null, null, null, null, false, null, false, false, Map.of());
    }

    static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
