package org.jkeepalived.vrrp.fsm;

import static org.jkeepalived.vrrp.fsm.Fixtures.S;
import static org.jkeepalived.vrrp.fsm.Fixtures.has;
import static org.jkeepalived.vrrp.fsm.Fixtures.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.jkeepalived.core.config.VrrpState;
import org.jkeepalived.core.time.FakeClock;
import org.jkeepalived.vrrp.codec.VrrpPacket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VrrpSyncGroupFsmTest {
    static final InetAddress PEER = ip("10.0.0.2");
    final FakeClock clock = new FakeClock();
    VrrpInstanceFsm vi1;
    VrrpInstanceFsm vi2;
    VrrpSyncGroupFsm g;

    @BeforeEach
    void setUp() {
        vi1 = new VrrpInstanceFsm(Fixtures.withVrid(Fixtures.v3("VI_1", 100), 51, "10.0.0.100"));
        vi2 = new VrrpInstanceFsm(Fixtures.withVrid(Fixtures.v3("VI_2", 100), 52, "10.0.1.100"));
        g = new VrrpSyncGroupFsm("G1", List.of(vi1, vi2));
    }

    long now() {
        return clock.nanoTime();
    }

    static VrrpPacket adv(int vrid, String vip, int prio) {
        return VrrpPacket.v3(vrid, prio, 100, List.of(ip(vip)));
    }

    void startBothMaster() {
        g.start(now());
        clock.advanceNanos(vi1.masterDownNanos());
        g.onTimer("VI_1", now());
        g.onTimer("VI_2", now());
        assertEquals(VrrpState.MASTER, g.state());
    }

    @Test
    void startsBackupAndGoesMasterTogether() {
        VrrpSyncGroupFsm.GroupActions r = g.start(now());
        assertEquals(VrrpState.BACKUP, vi1.state());
        assertEquals(VrrpState.BACKUP, vi2.state());
        assertEquals(List.of(new Action.Notify(Action.Target.GROUP, "G1", VrrpState.BACKUP, 0)), r.group());

        clock.advanceNanos(vi1.masterDownNanos());
        r = g.onTimer("VI_1", now());
        assertEquals(VrrpState.BACKUP, vi1.state(), "VI_2 does not want MASTER yet: VI_1 waits");
        assertTrue(has(r.of("VI_1"), Action.ScheduleTimer.class));
        assertTrue(r.group().isEmpty());

        r = g.onTimer("VI_2", now());
        assertEquals(VrrpState.MASTER, vi1.state());
        assertEquals(VrrpState.MASTER, vi2.state());
        assertTrue(has(r.of("VI_1"), Action.ClaimVips.class));
        assertTrue(has(r.of("VI_2"), Action.ClaimVips.class));
        assertEquals(List.of(new Action.Notify(Action.Target.GROUP, "G1", VrrpState.MASTER, 0)), r.group());
    }

    @Test
    void memberWithLiveMasterHoldsTheGroupInBackup() {
        g.start(now());
        for (int i = 0; i < 20; i++) {
            clock.advance(java.time.Duration.ofSeconds(1));
            g.onAdvert("VI_2", now(), adv(52, "10.0.1.100", 150), PEER); // VI_2's master is alive
            g.onTimer("VI_1", now());
            g.onTimer("VI_2", now());
        }
        assertEquals(VrrpState.BACKUP, vi1.state());
        assertEquals(VrrpState.BACKUP, vi2.state());
    }

    @Test
    void oneFaultTakesTheGroupToFaultAndRecoveryBringsItBack() {
        startBothMaster();
        VrrpSyncGroupFsm.GroupActions r = g.onFault("VI_2", now());
        assertEquals(VrrpState.FAULT, vi1.state());
        assertEquals(VrrpState.FAULT, vi2.state());
        assertEquals(new Action.SendAdvert(0), r.of("VI_1").get(0), "the master leaving for FAULT says so");
        assertTrue(has(r.of("VI_1"), Action.ReleaseVips.class));
        assertTrue(has(r.of("VI_2"), Action.ReleaseVips.class));
        assertEquals(List.of(new Action.Notify(Action.Target.GROUP, "G1", VrrpState.FAULT, 0)), r.group());

        r = g.onFaultCleared("VI_2", now());
        assertEquals(VrrpState.BACKUP, vi1.state());
        assertEquals(VrrpState.BACKUP, vi2.state());
        assertEquals(List.of(new Action.Notify(Action.Target.GROUP, "G1", VrrpState.BACKUP, 0)), r.group());
    }

    @Test
    void groupStaysInFaultUntilEveryMembersOwnFaultIsCleared() {
        startBothMaster();
        g.onFault("VI_1", now());
        g.onFault("VI_2", now());
        VrrpSyncGroupFsm.GroupActions r = g.onFaultCleared("VI_1", now());
        assertEquals(VrrpState.FAULT, vi1.state(), "VI_2 still has its own fault");
        assertEquals(VrrpState.FAULT, vi2.state());
        assertTrue(r.group().isEmpty());
        g.onFaultCleared("VI_2", now());
        assertEquals(VrrpState.BACKUP, vi1.state());
        assertEquals(VrrpState.BACKUP, vi2.state());
    }

    @Test
    void faultBeforeStartStartsTheWholeGroupInFault() {
        vi1.onFault(now());
        VrrpSyncGroupFsm.GroupActions r = g.start(now());
        assertEquals(VrrpState.FAULT, vi1.state());
        assertEquals(VrrpState.FAULT, vi2.state());
        assertEquals(VrrpState.FAULT, g.state());
        assertTrue(r.group().contains(new Action.Notify(Action.Target.GROUP, "G1", VrrpState.FAULT, 0)));
        // the faulty member gets its own notify_fault; the healthy one only the group's
        assertTrue(r.of("VI_1").contains(new Action.Notify(Action.Target.INSTANCE, "VI_1", VrrpState.FAULT, 100)));
        assertFalse(has(r.of("VI_2"), Action.Notify.class), r.of("VI_2").toString());
    }

    @Test
    void oneMasterPreemptedTakesTheOthersToBackup() {
        startBothMaster();
        VrrpSyncGroupFsm.GroupActions r = g.onAdvert("VI_1", now(), adv(51, "10.0.0.100", 200), PEER);
        assertEquals(VrrpState.BACKUP, vi1.state());
        assertEquals(VrrpState.BACKUP, vi2.state());
        assertTrue(has(r.of("VI_2"), Action.ReleaseVips.class));
        assertFalse(has(r.of("VI_2"), Action.SendAdvert.class));
        assertEquals(List.of(new Action.Notify(Action.Target.GROUP, "G1", VrrpState.BACKUP, 0)), r.group());
    }

    @Test
    void priorityZeroFromBothPeersGivesFastTakeoverOfTheGroup() {
        g.start(now());
        clock.advance(java.time.Duration.ofSeconds(1));
        g.onAdvert("VI_1", now(), adv(51, "10.0.0.100", 200), PEER);
        g.onAdvert("VI_2", now(), adv(52, "10.0.1.100", 200), PEER);
        clock.advance(java.time.Duration.ofMillis(100));
        long t0 = now();
        g.onAdvert("VI_1", now(), adv(51, "10.0.0.100", 0), PEER);
        g.onAdvert("VI_2", now(), adv(52, "10.0.1.100", 0), PEER);
        clock.advanceNanos(vi1.skewNanos());
        g.onTimer("VI_1", now());
        g.onTimer("VI_2", now());
        assertEquals(VrrpState.MASTER, g.state());
        assertEquals(t0 + 156L * S / 256, vi1.lastTransitionNanos());
    }

    @Test
    void trackingUpdateThroughTheGroup() {
        startBothMaster();
        VrrpSyncGroupFsm.GroupActions r = g.onTracking("VI_1", now(), 90, true);
        assertEquals(new Action.SendAdvert(90), r.of("VI_1").get(0));
        assertEquals(VrrpState.FAULT, vi2.state());
        assertEquals(List.of(new Action.Notify(Action.Target.GROUP, "G1", VrrpState.FAULT, 0)), r.group());
        r = g.onTracking("VI_1", now(), 90, false);
        assertEquals(VrrpState.BACKUP, vi1.state());
        assertEquals(VrrpState.BACKUP, vi2.state());
    }

    @Test
    void shutdownStopsAll() {
        startBothMaster();
        VrrpSyncGroupFsm.GroupActions r = g.shutdown(now());
        assertEquals(new Action.SendAdvert(0), r.of("VI_1").get(0));
        assertEquals(new Action.SendAdvert(0), r.of("VI_2").get(0));
        assertEquals(List.of(new Action.Notify(Action.Target.GROUP, "G1", VrrpState.STOP, 0)), r.group());
    }

    @Test
    void anInstanceBelongsToOneGroupOnly() {
        assertThrows(IllegalArgumentException.class, () -> new VrrpSyncGroupFsm("G2", List.of(vi1)));
        assertThrows(IllegalArgumentException.class, () -> g.onTimer("VI_9", now()));
    }

    @Test
    void dissolvedMembersCanJoinANewGroupThatKeepsTheOldState() {
        startBothMaster();
        g.dissolve();
        assertTrue(g.members().isEmpty());
        VrrpSyncGroupFsm again = new VrrpSyncGroupFsm("G1", List.of(vi1, vi2), VrrpState.MASTER);
        assertEquals(VrrpState.MASTER, again.state());
        // a fault on one member still takes the other along, with no group notify for the rebuild itself
        VrrpSyncGroupFsm.GroupActions r = again.onFault("VI_2", now());
        assertEquals(VrrpState.FAULT, vi1.state());
        assertEquals(List.of(new Action.Notify(Action.Target.GROUP, "G1", VrrpState.FAULT, 0)), r.group());
    }

    @Test
    void aNewMemberStartsInFaultWhenTheGroupIsInFault() {
        g.start(now());
        g.onFault("VI_1", now());
        assertEquals(VrrpState.FAULT, vi2.state());
        g.dissolve();
        VrrpInstanceFsm vi3 = new VrrpInstanceFsm(Fixtures.withVrid(Fixtures.v3("VI_3", 100), 53, "10.0.2.100"));
        VrrpSyncGroupFsm g2 = new VrrpSyncGroupFsm("G1", List.of(vi1, vi2, vi3), VrrpState.FAULT);
        g2.startMember("VI_3", now());
        assertEquals(VrrpState.FAULT, vi3.state());
    }

    @Test
    void resignTakesEveryMasterMemberToBackupWithPriorityZero() {
        startBothMaster();
        VrrpSyncGroupFsm.GroupActions r = g.resign(now(), "handoff");
        assertEquals(VrrpState.BACKUP, vi1.state());
        assertEquals(VrrpState.BACKUP, vi2.state());
        assertTrue(r.of("VI_1").contains(new Action.SendAdvert(0)));
        assertTrue(r.of("VI_2").contains(new Action.SendAdvert(0)));
        assertEquals(List.of(new Action.Notify(Action.Target.GROUP, "G1", VrrpState.BACKUP, 0)), r.group());
    }
}
