package org.jkeepalived.vrrp.engine;

import static org.jkeepalived.vrrp.engine.VrrpEngineReloadTest.await;
import static org.jkeepalived.vrrp.engine.VrrpEngineReloadTest.config;
import static org.jkeepalived.vrrp.engine.VrrpEngineReloadTest.group;
import static org.jkeepalived.vrrp.engine.VrrpEngineReloadTest.state;
import static org.jkeepalived.vrrp.engine.VrrpEngineReloadTest.vi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.config.VrrpInstance;
import org.jkeepalived.core.config.VrrpState;
import org.jkeepalived.core.time.MonotonicClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link VrrpEngine#handoff} / {@link VrrpEngine#handback} over {@link FakeNetIo}. */
class VrrpEngineHandoffTest {
    final FakeNetIo.Wire wire = new FakeNetIo.Wire();
    final List<VrrpEngine> engines = new ArrayList<>();

    @AfterEach
    void stopAll() {
        for (VrrpEngine e : engines) {
            e.stop();
        }
    }

    private VrrpEngine start(FakeNetIo io, KeepalivedConfig cfg) throws Exception {
        VrrpEngine e = VrrpEngine.start(cfg, io, MonotonicClock.SYSTEM, EngineListener.NONE, null, null);
        engines.add(e);
        return e;
    }

    @Test
    void handoffSendsPriorityZeroHoldsAndPreemptsBackWhenTheHoldEnds() throws Exception {
        FakeNetIo a = new FakeNetIo("a", wire).iface("eth0", 2, "10.0.0.1/24");
        FakeNetIo b = new FakeNetIo("b", wire).iface("eth0", 2, "10.0.0.2/24");
        // advert_int 0.2 s: Skew_Time (122 ms) and Master_Down_Interval (722 ms) lie far enough apart
        // that a CI scheduling stall cannot blur which of the two the takeover waited for
        VrrpEngine ea = start(a, config(vi("prio=150", "int=0.2")));
        VrrpEngine eb = start(b, config(vi("prio=100", "int=0.2")));
        await(() -> state(ea, "VI_1") == VrrpState.MASTER, "A master");
        await(() -> state(eb, "VI_1") == VrrpState.BACKUP, "B backup");

        long t0 = System.nanoTime();
        HandoffResult r = ea.handoff("VI_1", Duration.ofMillis(1500));
        assertEquals(HandoffResult.Outcome.HANDED_OFF, r.outcome(), r.message());
        assertTrue(r.changed());
        assertEquals(VrrpState.BACKUP, r.state());
        assertEquals(1, r.effectivePriority());
        assertFalse(a.has("eth0", "10.0.0.100"), "VIP released at once");
        assertTrue(wire.sent.stream().anyMatch(s -> s.host() == a && s.vrrp()[2] == 0), "priority 0 sent");
        await(() -> state(eb, "VI_1") == VrrpState.MASTER, "B master");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        // Skew_Time at priority 100, 200 ms: 122 ms (Master_Down_Interval would be 722 ms)
        assertTrue(ms < 450, "B took over after " + ms + " ms");
        assertEquals(1L, eb.status("VI_1").orElseThrow().stats().get("pri_zero_rcvd"));
        // held: A stays BACKUP although its configured priority is higher
        Thread.sleep(300);
        assertEquals(VrrpState.BACKUP, state(ea, "VI_1"));
        assertEquals(1, ea.status("VI_1").orElseThrow().effectivePriority());
        assertEquals(150, ea.status("VI_1").orElseThrow().basePriority());
        // the hold ends: priority 150 again, A preempts
        await(() -> state(ea, "VI_1") == VrrpState.MASTER, "A master again");
        assertTrue((System.nanoTime() - t0) / 1_000_000 >= 1500, "not before the hold ended");
        assertEquals(150, ea.status("VI_1").orElseThrow().effectivePriority());
        await(() -> state(eb, "VI_1") == VrrpState.BACKUP, "B backup");
        assertTrue(a.has("eth0", "10.0.0.100"));
    }

    @Test
    void untimedHoldLastsUntilHandback() throws Exception {
        FakeNetIo a = new FakeNetIo("a", wire).iface("eth0", 2, "10.0.0.1/24");
        FakeNetIo b = new FakeNetIo("b", wire).iface("eth0", 2, "10.0.0.2/24");
        // advert_int 0.2 s: the held A (priority 1) must not take over because of a CI stall of
        // B's adverts (Master_Down_Interval 3 * 0.2 s + 0.2 s)
        VrrpEngine ea = start(a, config(vi("prio=150", "int=0.2")));
        VrrpEngine eb = start(b, config(vi("prio=100", "int=0.2")));
        await(() -> state(ea, "VI_1") == VrrpState.MASTER, "A master");

        assertEquals(HandoffResult.Outcome.NOT_MASTER, eb.handoff("VI_1", null).outcome());
        assertEquals(HandoffResult.Outcome.UNKNOWN_INSTANCE, ea.handoff("VI_9", null).outcome());
        assertEquals(HandoffResult.Outcome.NOT_HELD, ea.handback("VI_1").outcome());

        assertEquals(HandoffResult.Outcome.HANDED_OFF, ea.handoff("VI_1", null).outcome());
        await(() -> state(eb, "VI_1") == VrrpState.MASTER, "B master");
        Thread.sleep(500);
        assertEquals(VrrpState.BACKUP, state(ea, "VI_1"));
        // a handoff survives an unchanged reload
        ea.reload(config(vi("prio=150", "int=0.2")));
        Thread.sleep(200);
        assertEquals(VrrpState.BACKUP, state(ea, "VI_1"));
        assertEquals(1, ea.status("VI_1").orElseThrow().effectivePriority());

        HandoffResult back = ea.handback("VI_1");
        assertEquals(HandoffResult.Outcome.HANDED_BACK, back.outcome(), back.message());
        assertEquals(150, back.effectivePriority());
        await(() -> state(ea, "VI_1") == VrrpState.MASTER, "A preempts back");
        await(() -> state(eb, "VI_1") == VrrpState.BACKUP, "B backup");
    }

    @Test
    void aLoneMasterTakesItBackAfterMasterDownIntervalAndTheOwnerRefuses() throws Exception {
        FakeNetIo a = new FakeNetIo("a", wire).iface("eth0", 2, "10.0.0.1/24");
        VrrpEngine ea = start(a, config(vi("prio=150"), vi("name=OWN", "vrid=60", "prio=255",
                "vip=10.0.0.60/24")));
        await(() -> state(ea, "VI_1") == VrrpState.MASTER, "A master");
        assertEquals(HandoffResult.Outcome.ADDRESS_OWNER, ea.handoff("OWN", null).outcome());
        assertEquals(VrrpState.MASTER, state(ea, "OWN"));
        assertEquals(HandoffResult.Outcome.HANDED_OFF, ea.handoff("VI_1", Duration.ofSeconds(10)).outcome());
        // nobody else answers: at priority 1 it is still the only router, so it is master again
        await(() -> state(ea, "VI_1") == VrrpState.MASTER, "master again after Master_Down_Interval");
        assertEquals(1, ea.status("VI_1").orElseThrow().effectivePriority());
    }

    @Test
    void syncGroupMembersHandOverTogether() throws Exception {
        FakeNetIo a = new FakeNetIo("a", wire).iface("eth0", 2, "10.0.0.1/24").iface("eth1", 3, "10.1.0.1/24");
        FakeNetIo b = new FakeNetIo("b", wire).iface("eth0", 2, "10.0.0.2/24").iface("eth1", 3, "10.1.0.2/24");
        VrrpInstance a1 = vi("name=VI_1", "prio=150");
        VrrpInstance a2 = vi("name=VI_2", "iface=eth1", "vrid=52", "prio=150", "vip=10.1.0.100/24");
        VrrpInstance b1 = vi("name=VI_1", "prio=100");
        VrrpInstance b2 = vi("name=VI_2", "iface=eth1", "vrid=52", "prio=100", "vip=10.1.0.100/24");
        VrrpEngine ea = start(a, new KeepalivedConfig(null, List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(group("G", "VI_1", "VI_2")), List.of(a1, a2), List.of(), List.of()));
        VrrpEngine eb = start(b, new KeepalivedConfig(null, List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(group("G", "VI_1", "VI_2")), List.of(b1, b2), List.of(), List.of()));
        await(() -> ea.status().stream().allMatch(s -> s.state() == VrrpState.MASTER), "A group master");
        Thread.sleep(100);
        assertEquals(HandoffResult.Outcome.HANDED_OFF, ea.handoff("VI_1", null).outcome());
        await(() -> eb.status().stream().allMatch(s -> s.state() == VrrpState.MASTER), "B group master");
        assertTrue(ea.status().stream().allMatch(s -> s.state() == VrrpState.BACKUP && s.effectivePriority() == 1));
        assertFalse(a.has("eth1", "10.1.0.100"));
        ea.handback("VI_2");
        await(() -> ea.status().stream().allMatch(s -> s.state() == VrrpState.MASTER), "A group master again");
    }
}
