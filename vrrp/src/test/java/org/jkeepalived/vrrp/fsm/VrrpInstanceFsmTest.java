package org.jkeepalived.vrrp.fsm;

import static org.jkeepalived.vrrp.fsm.Fixtures.MS;
import static org.jkeepalived.vrrp.fsm.Fixtures.S;
import static org.jkeepalived.vrrp.fsm.Fixtures.all;
import static org.jkeepalived.vrrp.fsm.Fixtures.has;
import static org.jkeepalived.vrrp.fsm.Fixtures.ip;
import static org.jkeepalived.vrrp.fsm.Fixtures.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.jkeepalived.core.config.VrrpState;
import org.jkeepalived.core.time.FakeClock;
import org.jkeepalived.vrrp.codec.RejectReason;
import org.jkeepalived.vrrp.codec.VrrpPacket;
import org.junit.jupiter.api.Test;

/** RFC 5798 section 6.4 state tables, row by row, plus keepalived's FAULT / STOP and options. */
class VrrpInstanceFsmTest {
    static final InetAddress PEER_HI = ip("10.0.0.2");   // higher than our 10.0.0.1
    static final InetAddress PEER_LO = ip("10.0.0.0");   // lower than ours
    static final List<InetAddress> VIPS = List.of(ip("10.0.0.100"));
    /** Skew_Time and Master_Down_Interval at priority 100, 1 s. */
    static final long SKEW_100 = 156L * S / 256;        // 609.375 ms
    static final long MDI_100 = 3 * S + SKEW_100;

    final FakeClock clock = new FakeClock();

    long now() {
        return clock.nanoTime();
    }

    static VrrpPacket adv3(int prio, int centis) {
        return VrrpPacket.v3(51, prio, centis, VIPS);
    }

    VrrpInstanceFsm backup(InstanceSettings s) {
        VrrpInstanceFsm f = new VrrpInstanceFsm(s);
        f.start(now());
        assertEquals(VrrpState.BACKUP, f.state());
        return f;
    }

    VrrpInstanceFsm master(InstanceSettings s) {
        VrrpInstanceFsm f = backup(s);
        clock.advanceNanos(f.masterDownNanos());
        f.onTimer(now());
        assertEquals(VrrpState.MASTER, f.state());
        return f;
    }

    // ----------------------------------------------------------- Initialize (6.4.1)

    @Test
    void initializeStartupAsAddressOwnerGoesStraightToMaster() {
        VrrpInstanceFsm f = new VrrpInstanceFsm(Fixtures.v3("VI_1", 255));
        List<Action> a = f.start(now());
        assertEquals(VrrpState.MASTER, f.state());
        assertEquals(new Action.SendAdvert(255), one(a, Action.SendAdvert.class));
        assertTrue(has(a, Action.ClaimVips.class));
        assertEquals(new Action.ScheduleTimer(now() + S), one(a, Action.ScheduleTimer.class));
        assertEquals(new Action.StateChanged("VI_1", VrrpState.INIT, VrrpState.MASTER, "init (address owner)"),
                one(a, Action.StateChanged.class));
        assertEquals(new Action.Notify(Action.Target.INSTANCE, "VI_1", VrrpState.MASTER, 255), one(a, Action.Notify.class));
        assertTrue(f.acceptMode());
    }

    @Test
    void becomingMasterClaimsTheVipsBeforeNotifying() {
        // keepalived: advert, addresses and GARPs, then notify_master / notify / the FIFO line, so a
        // script they start finds the VIPs in place; from INIT (owner) and from BACKUP alike
        List<Action> owner = new VrrpInstanceFsm(Fixtures.v3("VI_1", 255)).start(now());
        VrrpInstanceFsm f = backup(Fixtures.v3("VI_2", 100));
        clock.advanceNanos(f.masterDownNanos());
        List<Action> timeout = f.onTimer(now());
        for (List<Action> a : List.of(owner, timeout)) {
            int claim = a.indexOf(new Action.ClaimVips());
            int advert = a.indexOf(one(a, Action.SendAdvert.class));
            int changed = a.indexOf(one(a, Action.StateChanged.class));
            int notify = a.indexOf(one(a, Action.Notify.class));
            assertTrue(advert < claim && claim < changed && changed < notify, a.toString());
        }
    }

    @Test
    void initializeStartupOtherwiseGoesToBackupAndArmsMasterDownTimer() {
        VrrpInstanceFsm f = new VrrpInstanceFsm(Fixtures.v3("VI_1", 100));
        List<Action> a = f.start(now());
        assertEquals(VrrpState.BACKUP, f.state());
        assertFalse(has(a, Action.SendAdvert.class));
        assertTrue(has(a, Action.ReleaseVips.class), "VIPs left by an earlier run are removed");
        assertEquals(new Action.ScheduleTimer(MDI_100), one(a, Action.ScheduleTimer.class));
        assertEquals(MDI_100, f.nextDeadline().getAsLong());
        assertEquals(new Action.Notify(Action.Target.INSTANCE, "VI_1", VrrpState.BACKUP, 100), one(a, Action.Notify.class));
    }

    @Test
    void stateMasterBelowPriority255StillStartsByListening() {
        InstanceSettings s = Fixtures.v3("VI_1", 200);
        s = new InstanceSettings(s.name(), s.iface(), s.vrid(), 3, false, 200, 100, VrrpState.MASTER, false,
                Duration.ZERO, true, s.authType(), null, s.virtualAddresses(), s.primaryAddress(), false, false, false, false, 3);
        VrrpInstanceFsm f = new VrrpInstanceFsm(s);
        f.start(now());
        assertEquals(VrrpState.BACKUP, f.state(), "keepalived 2.2.7: 'Entering BACKUP STATE (init)' then waits");
        assertEquals(3 * S + 56L * S / 256, f.nextDeadline().getAsLong());
    }

    // ----------------------------------------------------------- Backup (6.4.2)

    @Test
    void backupShutdownCancelsTimerWithoutAdvert() {
        VrrpInstanceFsm f = backup(Fixtures.v3("VI_1", 100));
        List<Action> a = f.shutdown(now());
        assertEquals(VrrpState.STOP, f.state());
        assertFalse(has(a, Action.SendAdvert.class));
        assertTrue(has(a, Action.CancelTimer.class));
        assertEquals(new Action.Notify(Action.Target.INSTANCE, "VI_1", VrrpState.STOP, 100), one(a, Action.Notify.class));
        assertTrue(f.nextDeadline().isEmpty());
    }

    @Test
    void backupMasterDownTimerFiresExactlyAtMasterDownInterval() {
        VrrpInstanceFsm f = backup(Fixtures.v3("VI_1", 100));
        clock.advanceNanos(MDI_100 - 1);
        assertTrue(f.onTimer(now()).isEmpty(), "early call does nothing");
        assertEquals(VrrpState.BACKUP, f.state());
        clock.advanceNanos(1);
        List<Action> a = f.onTimer(now());
        assertEquals(VrrpState.MASTER, f.state());
        assertEquals(new Action.SendAdvert(100), one(a, Action.SendAdvert.class));
        assertTrue(has(a, Action.ClaimVips.class));
        assertEquals(new Action.ScheduleTimer(now() + S), one(a, Action.ScheduleTimer.class));
    }

    @Test
    void backupPriorityZeroAdvertSetsTimerToSkewTime() {
        VrrpInstanceFsm f = backup(Fixtures.v3("VI_1", 100));
        clock.advance(Duration.ofMillis(500));
        List<Action> a = f.onAdvert(now(), adv3(0, 100), PEER_HI);
        assertEquals(new Action.AdvertReceived(0, PEER_HI), one(a, Action.AdvertReceived.class));
        long takeover = now() + SKEW_100;
        assertEquals(new Action.ScheduleTimer(takeover), one(a, Action.ScheduleTimer.class));
        clock.advanceNanos(SKEW_100 - 1);
        f.onTimer(now());
        assertEquals(VrrpState.BACKUP, f.state());
        clock.advanceNanos(1);
        f.onTimer(now());
        assertEquals(VrrpState.MASTER, f.state(), "fast takeover after Skew_Time (609.375 ms at priority 100)");
    }

    @Test
    void priorityZeroTakeoverIsFasterForHigherPriority() {
        VrrpInstanceFsm hi = backup(Fixtures.v3("VI_1", 250));
        hi.onAdvert(now(), adv3(0, 100), PEER_HI);
        assertEquals(6L * S / 256, hi.nextDeadline().getAsLong() - now(), "Skew_Time at 250 = 23.4 ms");
    }

    @Test
    void backupHigherOrEqualPriorityAdvertResetsMasterDownTimer() {
        VrrpInstanceFsm f = backup(Fixtures.v3("VI_1", 100));
        clock.advance(Duration.ofSeconds(3));
        List<Action> a = f.onAdvert(now(), adv3(150, 100), PEER_HI);
        assertEquals(new Action.ScheduleTimer(now() + MDI_100), one(a, Action.ScheduleTimer.class));
        assertEquals(PEER_HI, f.masterAddress());
        assertEquals(150, f.masterPriority());
        clock.advance(Duration.ofSeconds(3));
        a = f.onAdvert(now(), adv3(100, 100), PEER_LO);
        assertEquals(new Action.ScheduleTimer(now() + MDI_100), one(a, Action.ScheduleTimer.class),
                "equal priority is accepted by a backup whatever the address");
        assertEquals(VrrpState.BACKUP, f.state());
    }

    @Test
    void backupLowerPriorityAdvertIsDiscardedWhenPreempting() {
        VrrpInstanceFsm f = backup(Fixtures.v3("VI_1", 100));
        long deadline = f.nextDeadline().getAsLong();
        clock.advance(Duration.ofSeconds(1));
        List<Action> a = f.onAdvert(now(), adv3(50, 100), PEER_HI);
        assertFalse(has(a, Action.ScheduleTimer.class));
        assertEquals(deadline, f.nextDeadline().getAsLong());
        clock.advanceNanos(deadline - now());
        f.onTimer(now());
        assertEquals(VrrpState.MASTER, f.state(), "preempts the lower-priority master");
    }

    @Test
    void backupWithNopreemptAcceptsLowerPriorityMaster() {
        VrrpInstanceFsm f = backup(Fixtures.with(Fixtures.v3("VI_1", 200), true, Duration.ZERO, 100));
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(1));
            List<Action> a = f.onAdvert(now(), adv3(50, 100), PEER_HI);
            assertTrue(has(a, Action.ScheduleTimer.class));
            f.onTimer(now());
        }
        assertEquals(VrrpState.BACKUP, f.state());
        // but takes over once the master is gone
        clock.advanceNanos(f.masterDownNanos());
        f.onTimer(now());
        assertEquals(VrrpState.MASTER, f.state());
    }

    /** Runs a backup against a lower-priority master advertising at 0.5 s, 1.5 s, ... and returns the takeover time. */
    long takeoverAgainstLowerMaster(Duration preemptDelay) {
        VrrpInstanceFsm f = backup(Fixtures.with(Fixtures.v3("VI_1", 128), false, preemptDelay, 100));
        long start = now();
        for (int step = 1; step <= 200 && f.state() == VrrpState.BACKUP; step++) {
            clock.advance(Duration.ofMillis(50));
            long deadline = f.nextDeadline().getAsLong();
            if (now() - deadline >= 0) {
                clock.advanceNanos(deadline - now()); // the caller fires the timer on time
                f.onTimer(now());
                break;
            }
            if ((now() - start) % S == 500 * MS) f.onAdvert(now(), adv3(50, 100), PEER_HI);
        }
        assertEquals(VrrpState.MASTER, f.state());
        return f.lastTransitionNanos() - start;
    }

    @Test
    void preemptDelayDelaysPreemptionOfLowerMasterAfterStartup() {
        long mdi = 3 * S + 128L * S / 256; // 3.5 s at priority 128 (the man page's example)
        assertEquals(mdi, takeoverAgainstLowerMaster(Duration.ZERO), "lower adverts discarded: takeover at 3.5 s");
        // preempt_delay 2: the adverts at 0.5 s and 1.5 s still count, the one at 2.5 s does not
        assertEquals(1500 * MS + mdi, takeoverAgainstLowerMaster(Duration.ofSeconds(2)));
    }

    @Test
    void preemptDelayStartsAtTheFirstLowerAdvertAfterAMasterAsGoodAsUs() {
        // keepalived: a master of our priority or higher stops the delay; the next lower-priority
        // advert starts it again, however long the equal or higher master had been there
        VrrpInstanceFsm f = backup(Fixtures.with(Fixtures.v3("VI_1", 128), false, Duration.ofSeconds(2), 100));
        for (int t = 0; t < 60; t++) {
            clock.advance(Duration.ofSeconds(1));
            f.onAdvert(now(), adv3(t < 30 ? 200 : 128, 100), PEER_HI); // higher, then equal, for a minute
        }
        clock.advance(Duration.ofSeconds(1));
        List<Action> a = f.onAdvert(now(), adv3(50, 100), PEER_HI); // t=61: its tracking lowered it
        assertTrue(has(a, Action.ScheduleTimer.class), "accepted: the 2 s delay starts now");
        clock.advance(Duration.ofSeconds(1));
        assertTrue(has(f.onAdvert(now(), adv3(50, 100), PEER_HI), Action.ScheduleTimer.class), "t=62: still accepted");
        clock.advance(Duration.ofSeconds(1));
        assertFalse(has(f.onAdvert(now(), adv3(50, 100), PEER_HI), Action.ScheduleTimer.class), "t=63: delay over");
        clock.advanceNanos(f.nextDeadline().getAsLong() - now());
        f.onTimer(now());
        assertEquals(VrrpState.MASTER, f.state());

        // back to BACKUP: the delay is forgotten, the next lower advert starts a new one
        f.onAdvert(now(), adv3(200, 100), PEER_HI);
        assertEquals(VrrpState.BACKUP, f.state());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(has(f.onAdvert(now(), adv3(50, 100), PEER_HI), Action.ScheduleTimer.class));
    }

    @Test
    void backupMasterDownTimerFollowsItsOwnPriority() {
        VrrpInstanceFsm f = backup(Fixtures.v3("VI_1", 100));
        assertEquals(MDI_100, f.nextDeadline().getAsLong());
        // Skew_Time is part of the running timer: priority 200 takes 100/256 of an interval off it
        List<Action> a = f.onPriorityChange(now(), 200);
        long mdi200 = 3 * S + 56L * S / 256;
        assertEquals(List.of(new Action.ScheduleTimer(mdi200)), a);
        assertEquals(mdi200, f.masterDownNanos());
        f.onPriorityChange(now(), 100);
        assertEquals(MDI_100, f.nextDeadline().getAsLong());
    }

    @Test
    void v2SkewTimeIsInSecondsWhateverTheAdvertInterval() {
        // RFC 3768 6.1: Skew_Time = (256 - Priority) / 256 seconds; only v3 scales it by the interval
        VrrpInstanceFsm f = backup(Fixtures.with(Fixtures.v2("VI_1", 100), false, Duration.ZERO, 500));
        assertEquals(15 * S + SKEW_100, f.masterDownNanos());
        assertEquals(SKEW_100, f.skewNanos());
        byte[] pw = "secret".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        clock.advance(Duration.ofSeconds(5));
        List<Action> a = f.onAdvert(now(), VrrpPacket.v2(51, 0, 5, 1, pw, VIPS), PEER_HI);
        assertEquals(new Action.ScheduleTimer(now() + SKEW_100), one(a, Action.ScheduleTimer.class),
                "priority 0: take over after 0.61 s, not 3.05 s");
        VrrpInstanceFsm v3 = backup(Fixtures.with(Fixtures.v3("VI_2", 100), false, Duration.ZERO, 500));
        assertEquals(15 * S + 5 * SKEW_100, v3.masterDownNanos(), "v3 scales it (RFC 5798)");
    }

    @Test
    void v3BackupLearnsMastersAdvertInterval() {
        VrrpInstanceFsm f = backup(Fixtures.v3("VI_1", 100));
        assertEquals(MDI_100, f.masterDownNanos());
        List<Action> a = f.onAdvert(now(), adv3(200, 50), PEER_HI);
        assertEquals(50, f.masterAdverIntervalCentis());
        long mdi = 3 * 500 * MS + 156L * 500 * MS / 256;
        assertEquals(mdi, f.masterDownNanos());
        assertEquals(new Action.ScheduleTimer(now() + mdi), one(a, Action.ScheduleTimer.class));
        // and forgets it when it becomes master (its own interval is what it sends)
        clock.advanceNanos(mdi);
        f.onTimer(now());
        assertEquals(VrrpState.MASTER, f.state());
        assertEquals(now() + S, f.nextDeadline().getAsLong());
    }

    @Test
    void v2UsesOwnIntervalAndDropsMismatchingAdverts() {
        VrrpInstanceFsm f = backup(Fixtures.v2("VI_1", 100));
        byte[] pw = "secret".getBytes(StandardCharsets.US_ASCII);
        List<Action> a = f.onAdvert(now(), VrrpPacket.v2(51, 200, 2, 1, pw, VIPS), PEER_HI);
        assertEquals(RejectReason.ADVERT_INTERVAL_ERR, one(a, Action.PacketRejected.class).reason());
        assertFalse(has(a, Action.ScheduleTimer.class));
        a = f.onAdvert(now(), VrrpPacket.v2(51, 200, 1, 1, pw, VIPS), PEER_HI);
        assertTrue(has(a, Action.AdvertReceived.class));
        assertEquals(MDI_100, f.masterDownNanos());
    }

    @Test
    void invalidAdvertsNeverChangeState() {
        VrrpInstanceFsm f = backup(Fixtures.v2("VI_1", 100));
        long deadline = f.nextDeadline().getAsLong();
        byte[] pw = "secret".getBytes(StandardCharsets.US_ASCII);
        byte[] bad = "Secret".getBytes(StandardCharsets.US_ASCII);
        Object[][] cases = {
            {VrrpPacket.v2(51, 0, 1, 1, bad, VIPS), RejectReason.AUTH_FAILURE},
            {VrrpPacket.v2(51, 0, 1, 0, null, VIPS), RejectReason.AUTHTYPE_MISMATCH},
            {VrrpPacket.v2(52, 0, 1, 1, pw, VIPS), RejectReason.VRID_ERR},
            {VrrpPacket.v2(51, 0, 1, 1, pw, List.of(ip("10.0.0.101"))), RejectReason.ADDR_LIST_ERR},
            {VrrpPacket.v2(51, 0, 1, 1, pw, List.of()), RejectReason.ADDR_LIST_ERR},
            {VrrpPacket.v3(51, 0, 100, VIPS), RejectReason.VERSION_ERR},
        };
        for (Object[] c : cases) {
            List<Action> a = f.onAdvert(now(), (VrrpPacket) c[0], PEER_HI);
            Action.PacketRejected r = one(a, Action.PacketRejected.class);
            assertEquals(c[1], r.reason());
            assertTrue(r.dropped());
            assertEquals(1, a.size());
        }
        assertEquals(VrrpState.BACKUP, f.state());
        assertEquals(deadline, f.nextDeadline().getAsLong(), "priority 0 adverts above were all rejected");
    }

    @Test
    void ownLoopedBackAdvertIsIgnored() {
        VrrpInstanceFsm f = master(Fixtures.v3("VI_1", 100));
        assertTrue(f.onAdvert(now(), adv3(200, 100), ip("10.0.0.1")).isEmpty());
        assertEquals(VrrpState.MASTER, f.state());
    }

    // ----------------------------------------------------------- Master (6.4.3)

    @Test
    void masterShutdownSendsPriorityZeroAndReleasesVips() {
        VrrpInstanceFsm f = master(Fixtures.v3("VI_1", 100));
        List<Action> a = f.shutdown(now());
        assertEquals(new Action.SendAdvert(0), a.get(0));
        assertTrue(has(a, Action.ReleaseVips.class));
        assertTrue(has(a, Action.CancelTimer.class));
        assertEquals(VrrpState.STOP, f.state());
        assertEquals(new Action.StateChanged("VI_1", VrrpState.MASTER, VrrpState.STOP, "shutdown"), one(a, Action.StateChanged.class));
    }

    @Test
    void masterAdverTimerSendsAdvertEveryInterval() {
        VrrpInstanceFsm f = master(Fixtures.with(Fixtures.v3("VI_1", 100), false, Duration.ZERO, 10));
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMillis(100));
            List<Action> a = f.onTimer(now());
            assertEquals(List.of(new Action.SendAdvert(100), new Action.ScheduleTimer(now() + 100 * MS)), a);
        }
    }

    @Test
    void masterPriorityZeroAdvertIsAnsweredAtOnce() {
        VrrpInstanceFsm f = master(Fixtures.v3("VI_1", 100));
        clock.advance(Duration.ofMillis(300));
        List<Action> a = f.onAdvert(now(), adv3(0, 100), PEER_HI);
        assertEquals(new Action.SendAdvert(100), one(a, Action.SendAdvert.class));
        assertEquals(new Action.ScheduleTimer(now() + S), one(a, Action.ScheduleTimer.class));
        assertEquals(VrrpState.MASTER, f.state());
    }

    @Test
    void masterHigherPriorityAdvertMakesItBackup() {
        VrrpInstanceFsm f = master(Fixtures.v3("VI_1", 100));
        List<Action> a = f.onAdvert(now(), adv3(150, 50), PEER_LO);
        assertEquals(VrrpState.BACKUP, f.state());
        assertTrue(has(a, Action.ReleaseVips.class));
        assertFalse(has(a, Action.SendAdvert.class));
        assertEquals(new Action.StateChanged("VI_1", VrrpState.MASTER, VrrpState.BACKUP, "higher priority advert"),
                one(a, Action.StateChanged.class));
        // Master_Down_Interval with the learned 0.5 s interval (v3)
        long mdi = 3 * 500 * MS + 156L * 500 * MS / 256;
        assertEquals(new Action.ScheduleTimer(now() + mdi), one(a, Action.ScheduleTimer.class));
    }

    @Test
    void higherPrioSendAdvertSendsOneLastAdvertBeforeYielding() {
        VrrpInstanceFsm f = master(Fixtures.higherPrioSendAdvert(Fixtures.v3("VI_1", 100)));
        List<Action> a = f.onAdvert(now(), adv3(150, 100), PEER_LO);
        assertEquals(new Action.SendAdvert(100), one(a, Action.SendAdvert.class));
        assertEquals(VrrpState.BACKUP, f.state());
    }

    @Test
    void masterEqualPriorityTieBrokenByHigherPrimaryAddress() {
        VrrpInstanceFsm f = master(Fixtures.v3("VI_1", 100));
        List<Action> a = f.onAdvert(now(), adv3(100, 100), PEER_LO);
        assertEquals(VrrpState.MASTER, f.state(), "10.0.0.0 < 10.0.0.1: we stay master");
        assertEquals(new Action.SendAdvert(100), one(a, Action.SendAdvert.class));
        a = f.onAdvert(now(), adv3(100, 100), PEER_HI);
        assertEquals(VrrpState.BACKUP, f.state(), "10.0.0.2 > 10.0.0.1: it wins");
    }

    @Test
    void masterLowerPriorityAdvertIsAnsweredWithOwnAdvertUnlessLowerPrioNoAdvert() {
        VrrpInstanceFsm f = master(Fixtures.v3("VI_1", 100));
        clock.advance(Duration.ofMillis(400));
        List<Action> a = f.onAdvert(now(), adv3(50, 100), PEER_HI);
        // keepalived 2.2.7 as observed: "forcing new election", GARPs again, advert timer restarted
        assertEquals(List.of(new Action.AdvertReceived(50, PEER_HI), new Action.SendAdvert(100), new Action.RefreshGarp(),
                new Action.ScheduleTimer(now() + S)), a);
        clock.advance(Duration.ofSeconds(5));
        // lower_prio_no_advert: no advert back and the timer runs on, but the VIPs are still
        // re-announced (garp_lower_prio_repeat) as keepalived does
        VrrpInstanceFsm g = master(Fixtures.lowerPrioNoAdvert(Fixtures.v3("VI_2", 100)));
        assertEquals(List.of(new Action.AdvertReceived(50, PEER_HI), new Action.RefreshGarp()),
                g.onAdvert(now(), adv3(50, 100), PEER_HI));
    }

    @Test
    void masterPriorityDropIsAdvertisedAtOnce() {
        VrrpInstanceFsm f = master(Fixtures.v3("VI_1", 100));
        List<Action> a = f.onPriorityChange(now(), 80);
        assertEquals(new Action.SendAdvert(80), one(a, Action.SendAdvert.class));
        assertEquals(80, f.effectivePriority());
        assertTrue(f.onPriorityChange(now(), 80).isEmpty());
        assertFalse(has(f.onPriorityChange(now(), 90), Action.SendAdvert.class));
        // effective priority never leaves 1..254 for a non-owner
        f.onPriorityChange(now(), 400);
        assertEquals(254, f.effectivePriority());
        f.onPriorityChange(now(), -20);
        assertEquals(1, f.effectivePriority());
    }

    @Test
    void backupSkewUsesEffectivePriority() {
        VrrpInstanceFsm f = backup(Fixtures.v3("VI_1", 100));
        f.onPriorityChange(now(), 200);
        assertEquals(3 * S + 56L * S / 256, f.masterDownNanos());
    }

    // ----------------------------------------------------------- FAULT (keepalived)

    @Test
    void masterFaultSendsPriorityZeroReleasesVipsAndStopsTimer() {
        VrrpInstanceFsm f = master(Fixtures.v3("VI_1", 100));
        List<Action> a = f.onFault(now(), "track_script chk_nginx");
        assertEquals(VrrpState.FAULT, f.state());
        assertEquals(new Action.SendAdvert(0), a.get(0));
        assertTrue(has(a, Action.ReleaseVips.class));
        assertTrue(has(a, Action.CancelTimer.class));
        assertEquals(new Action.Notify(Action.Target.INSTANCE, "VI_1", VrrpState.FAULT, 100), one(a, Action.Notify.class));
        // adverts and timers are ignored in FAULT
        assertTrue(f.onAdvert(now(), adv3(0, 100), PEER_HI).isEmpty());
        assertTrue(f.onTimer(now() + 100 * S).isEmpty());
        // recovery goes through BACKUP
        a = f.onFaultCleared(now());
        assertEquals(VrrpState.BACKUP, f.state());
        assertEquals(new Action.ScheduleTimer(now() + MDI_100), one(a, Action.ScheduleTimer.class));
    }

    @Test
    void backupFaultAndFaultBeforeStart() {
        VrrpInstanceFsm f = backup(Fixtures.v3("VI_1", 100));
        List<Action> a = f.onFault(now());
        assertFalse(has(a, Action.SendAdvert.class));
        assertEquals(VrrpState.FAULT, f.state());

        VrrpInstanceFsm g = new VrrpInstanceFsm(Fixtures.v3("VI_2", 255));
        assertTrue(g.onFault(now()).isEmpty());
        a = g.start(now());
        assertEquals(VrrpState.FAULT, g.state(), "an instance whose interface is down starts in FAULT");
        assertTrue(has(a, Action.ReleaseVips.class));
        a = g.onFaultCleared(now());
        assertEquals(VrrpState.MASTER, g.state(), "the owner goes straight back to MASTER");
    }

    @Test
    void onTrackingCombinesPriorityAndFault() {
        VrrpInstanceFsm f = master(Fixtures.v3("VI_1", 100));
        assertTrue(f.onTracking(now(), 100, false).isEmpty());
        List<Action> a = f.onTracking(now(), 70, true);
        assertEquals(List.of(new Action.SendAdvert(70), new Action.SendAdvert(0)), all(a, Action.SendAdvert.class));
        assertEquals(VrrpState.FAULT, f.state());
        assertTrue(f.onTracking(now(), 70, true).isEmpty());
        f.onTracking(now(), 120, false);
        assertEquals(VrrpState.BACKUP, f.state());
        assertEquals(120, f.effectivePriority());
    }

    @Test
    void restartAfterStop() {
        VrrpInstanceFsm f = master(Fixtures.v3("VI_1", 100));
        f.shutdown(now());
        assertTrue(f.onTimer(now() + 10 * S).isEmpty());
        f.start(now());
        assertEquals(VrrpState.BACKUP, f.state());
    }

    // ----------------------------------------------------------- handoff, reload

    @Test
    void resignFromMasterSendsPriorityZeroReleasesAndGoesBackup() {
        VrrpInstanceFsm f = master(Fixtures.v3("VI_1", 150));
        List<Action> a = f.resign(now(), "handoff");
        assertEquals(new Action.SendAdvert(0), one(a, Action.SendAdvert.class));
        assertTrue(has(a, Action.ReleaseVips.class));
        assertEquals(VrrpState.BACKUP, f.state());
        assertEquals(new Action.StateChanged("VI_1", VrrpState.MASTER, VrrpState.BACKUP, "handoff"),
                one(a, Action.StateChanged.class));
        // held at priority 1 by the caller: a peer's adverts keep it BACKUP
        f.onPriorityChange(now(), 1);
        clock.advanceNanos(100 * MS);
        f.onAdvert(now(), adv3(100, 100), PEER_HI);
        clock.advanceNanos(3 * S);
        f.onTimer(now());
        assertEquals(VrrpState.BACKUP, f.state());
        // a backup has nothing to resign
        assertTrue(f.resign(now(), "handoff").isEmpty());
    }

    @Test
    void reconfigureKeepsStateAndTimerAndAppliesTheNewAdvert() {
        VrrpInstanceFsm f = master(Fixtures.v3("VI_1", 150));
        f.setPrimaryAddress(ip("10.0.0.1"));
        long deadline = f.nextDeadline().getAsLong();
        f.reconfigure(Fixtures.with(Fixtures.v3("VI_1", 120), false, Duration.ZERO, 50));
        assertEquals(VrrpState.MASTER, f.state());
        assertEquals(deadline, f.nextDeadline().getAsLong(), "the running timer is kept");
        assertEquals(ip("10.0.0.1"), f.settings().primaryAddress(), "primary address kept");
        assertEquals(50, f.advert(150).advertIntervalCentis());
        assertEquals(150, f.effectivePriority(), "priority changes come through onPriorityChange");
        clock.advanceNanos(S);
        List<Action> a = f.onTimer(now());
        assertEquals(new Action.ScheduleTimer(now() + 500 * MS), one(a, Action.ScheduleTimer.class));
    }
}
