package org.jkeepalived.vrrp.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.config.ScriptSpec;
import org.jkeepalived.core.config.VrrpInstance;
import org.jkeepalived.core.config.VrrpScript;
import org.jkeepalived.core.config.VrrpState;
import org.jkeepalived.core.config.VrrpSyncGroup;
import org.jkeepalived.core.time.MonotonicClock;
import org.jkeepalived.vrrp.codec.DecodeResult;
import org.jkeepalived.vrrp.codec.VrrpCodec;
import org.jkeepalived.vrrp.fsm.Action;
import org.jkeepalived.vrrp.track.ScriptRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link VrrpEngine#reload} over {@link FakeNetIo}: keepalived's SIGHUP semantics, case by case. */
class VrrpEngineReloadTest {
    final FakeNetIo.Wire wire = new FakeNetIo.Wire();
    final List<VrrpEngine> engines = new ArrayList<>();
    final List<String> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopAll() {
        for (VrrpEngine e : engines) {
            e.stop();
        }
    }

    private final EngineListener recorder = new EngineListener() {
        @Override
        public void onStateChanged(Action.StateChanged c) {
            events.add("STATE " + c.instance() + " " + c.from() + " " + c.to());
        }

        @Override
        public void onNotify(Action.Notify n) {
            events.add("NOTIFY " + n.target() + " " + n.name() + " " + n.state());
        }
    };

    private FakeNetIo host(String name, String ip) throws Exception {
        return new FakeNetIo(name, wire).iface("eth0", 2, ip + "/24");
    }

    static VrrpInstance vi(String... args) throws Exception {
        List<String> l = new ArrayList<>(List.of("version=3", "int=0.05", "garp_delay=0.1", "garp_repeat=2"));
        l.addAll(List.of(args));
        if (l.stream().noneMatch(a -> a.startsWith("vip="))) {
            l.add("vip=10.0.0.100/24");
        }
        return EngineMain.instance(l.toArray(new String[0]));
    }

    static KeepalivedConfig config(List<VrrpScript> scripts, List<VrrpSyncGroup> groups, VrrpInstance... vis) {
        return new KeepalivedConfig(null, List.of(), List.of(), List.of(), scripts, List.of(), groups, List.of(vis),
                List.of(), List.of());
    }

    static KeepalivedConfig config(VrrpInstance... vis) {
        return config(List.of(), List.of(), vis);
    }

    private VrrpEngine start(FakeNetIo io, KeepalivedConfig cfg, EngineListener l, ScriptRunner r) throws Exception {
        return start(io, cfg, l, r, null);
    }

    private VrrpEngine start(FakeNetIo io, KeepalivedConfig cfg, EngineListener l, ScriptRunner r, SimpleMeterRegistry reg)
            throws Exception {
        VrrpEngine e = VrrpEngine.start(cfg, io, MonotonicClock.SYSTEM, l, reg, r);
        engines.add(e);
        return e;
    }

    static void await(BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    static VrrpState state(VrrpEngine e, String name) {
        return e.status(name).map(InstanceStatus::state).orElse(null);
    }

    static long stat(VrrpEngine e, String name, String stat) {
        return e.status(name).orElseThrow().stats().get(stat);
    }

    /** The last advert host {@code h} sent for this VRID. */
    private DecodeResult lastAdvert(FakeNetIo h, int vrid) {
        for (int k = wire.sent.size() - 1; k >= 0; k--) {
            FakeNetIo.Sent s = wire.sent.get(k);
            if (s.host() == h && (s.vrrp()[1] & 0xff) == vrid) {
                return VrrpCodec.decode(s.vrrp(), s.src(), s.dst(), 255);
            }
        }
        throw new AssertionError("no advert from " + h.name);
    }

    @Test
    void unchangedReloadKeepsStateTimersAndVipsWithoutGarpOrNotify() throws Exception {
        FakeNetIo a = host("a", "10.0.0.1");
        KeepalivedConfig cfg = config(vi("prio=150", "notify=/bin/true"));
        List<String> ran = new CopyOnWriteArrayList<>();
        VrrpEngine e = start(a, cfg, recorder, (spec, extra, t) -> {
            ran.add(spec.command());
            return CompletableFuture.completedFuture(0);
        });
        await(() -> state(e, "VI_1") == VrrpState.MASTER, "master");
        Thread.sleep(250); // both GARP bursts done
        StallGuard.retryOnceIfStalled(Duration.ofMillis(50), List.of(e), () -> {
            long garps = a.announced.size();
            int eventsBefore = events.size();
            int ranBefore = ran.size();
            for (int k = 0; k < 10; k++) {
                e.reload(cfg);
            }
            long sentBefore = stat(e, "VI_1", "advert_sent");
            Thread.sleep(300);
            assertEquals(VrrpState.MASTER, state(e, "VI_1"));
            assertEquals(1L, stat(e, "VI_1", "become_master"));
            assertEquals(garps, a.announced.size(), "no GARP on an unchanged reload");
            assertEquals(eventsBefore, events.size(), "no transition or notify: " + events);
            assertEquals(ranBefore, ran.size(), "no notify script run");
            assertEquals(List.of("+10.0.0.100"), a.addressOps, "the VIP never went away");
            // the advert timer kept running: about 6 adverts in 300 ms at 50 ms
            long sent = stat(e, "VI_1", "advert_sent") - sentBefore;
            assertTrue(sent >= 4, "adverts in 300 ms: " + sent);
        });
    }

    @Test
    void vipChangesOnAMasterAddOnlyTheNewOnesAndAnnounceOnlyThose() throws Exception {
        FakeNetIo a = host("a", "10.0.0.1");
        VrrpEngine e = start(a, config(vi("prio=150")), recorder, null);
        await(() -> state(e, "VI_1") == VrrpState.MASTER, "master");
        Thread.sleep(200);
        long old100 = a.announcements("10.0.0.100");
        e.reload(config(vi("prio=150", "vip=10.0.0.100/24", "vip=10.0.0.101/24")));
        assertTrue(a.has("eth0", "10.0.0.101"));
        await(() -> a.announcements("10.0.0.101") == 4, "2 + 2 announcements of the new VIP");
        Thread.sleep(150);
        assertEquals(4, a.announcements("10.0.0.101"));
        assertEquals(old100, a.announcements("10.0.0.100"), "the old VIP is not announced again");
        e.reload(config(vi("prio=150", "vip=10.0.0.101/24")));
        assertFalse(a.has("eth0", "10.0.0.100"));
        assertTrue(a.has("eth0", "10.0.0.101"));
        assertEquals(List.of("+10.0.0.100", "+10.0.0.101", "-10.0.0.100"), a.addressOps);
        assertEquals(VrrpState.MASTER, state(e, "VI_1"));
        assertEquals(1L, stat(e, "VI_1", "become_master"));
        assertEquals(List.of("10.0.0.101/24 dev eth0 scope global"), e.status("VI_1").orElseThrow().vips());
        // the adverts now carry the new address list
        await(() -> lastAdvert(a, 51).packet().addresses().size() == 1
                && lastAdvert(a, 51).packet().addresses().get(0).getHostAddress().equals("10.0.0.101"), "new list");
    }

    @Test
    void garpMasterRefreshChangesApplyToARunningMaster() throws Exception {
        FakeNetIo a = host("a", "10.0.0.1");
        VrrpEngine e = start(a, config(vi("prio=150", "garp_delay=0", "garp_repeat=1")), recorder, null);
        await(() -> state(e, "VI_1") == VrrpState.MASTER, "master");
        Thread.sleep(100);
        assertEquals(1, a.announcements("10.0.0.100"));
        e.reload(config(vi("prio=150", "garp_delay=0", "garp_repeat=1", "refresh=0.1")));
        StallGuard.retryOnceIfStalled(Duration.ofMillis(50), List.of(e), () -> {
            long n0 = a.announcements("10.0.0.100");
            Thread.sleep(450);
            long n = a.announcements("10.0.0.100") - n0;
            assertTrue(n >= 3 && n <= 5, "refresh rounds every 100 ms, in 450 ms: " + n);
        });
        e.reload(config(vi("prio=150", "garp_delay=0", "garp_repeat=1")));
        long stopped = a.announcements("10.0.0.100");
        Thread.sleep(300);
        assertEquals(stopped, a.announcements("10.0.0.100"), "no refresh any more");
        assertEquals(1L, stat(e, "VI_1", "become_master"));
    }

    @Test
    void vipChangesOnABackupTouchNoAddress() throws Exception {
        FakeNetIo a = host("a", "10.0.0.1");
        FakeNetIo b = host("b", "10.0.0.2");
        // advert_int 0.2 s: a CI stall shorter than Master_Down_Interval (722 ms) must not let B
        // take over, which would touch addresses legitimately
        VrrpEngine ea = start(a, config(vi("prio=150", "int=0.2")), EngineListener.NONE, null);
        VrrpEngine eb = start(b, config(vi("prio=100", "int=0.2")), EngineListener.NONE, null);
        await(() -> state(ea, "VI_1") == VrrpState.MASTER, "A master");
        assertEquals(VrrpState.BACKUP, state(eb, "VI_1"));
        eb.reload(config(vi("prio=100", "int=0.2", "vip=10.0.0.100/24", "vip=10.0.0.101/24")));
        Thread.sleep(100);
        assertEquals(VrrpState.BACKUP, state(eb, "VI_1"));
        assertTrue(b.addressOps.isEmpty(), b.addressOps.toString());
    }

    @Test
    void priorityChangeGoesThroughTheStateMachine() throws Exception {
        FakeNetIo a = host("a", "10.0.0.1");
        FakeNetIo b = host("b", "10.0.0.2");
        // advert_int 0.2 s, not 0.05: the nopreempt check below needs A's adverts to reach B within
        // Master_Down_Interval, and 160 ms is a common stall on a loaded 2-core CI machine
        VrrpEngine ea = start(a, config(vi("prio=150", "int=0.2")), EngineListener.NONE, null);
        VrrpEngine eb = start(b, config(vi("prio=100", "int=0.2")), EngineListener.NONE, null);
        await(() -> state(ea, "VI_1") == VrrpState.MASTER, "A master");
        await(() -> state(eb, "VI_1") == VrrpState.BACKUP, "B backup");
        // A drops below B: it says so at once, B preempts
        ea.reload(config(vi("prio=50", "int=0.2")));
        assertEquals(50, ea.status("VI_1").orElseThrow().basePriority());
        assertEquals(50, ea.status("VI_1").orElseThrow().effectivePriority());
        await(() -> state(eb, "VI_1") == VrrpState.MASTER, "B master");
        await(() -> state(ea, "VI_1") == VrrpState.BACKUP, "A backup");
        assertFalse(a.has("eth0", "10.0.0.100"));
        // and back above B: A preempts (preempt is on)
        ea.reload(config(vi("prio=150", "int=0.2")));
        await(() -> state(ea, "VI_1") == VrrpState.MASTER, "A master again");
        await(() -> state(eb, "VI_1") == VrrpState.BACKUP, "B backup again");
        // nopreempt through reload: B raised above A stays BACKUP for well over its
        // Master_Down_Interval (3 * 0.2 s + skew 0.04 s) as long as A's adverts keep coming
        long masterDown = Duration.ofMillis(3 * 200 + (256 - 200) * 200 / 256).toNanos();
        for (int attempt = 1; ; attempt++) {
            eb.reload(config(vi("prio=200", "int=0.2", "nopreempt")));
            long from = System.nanoTime();
            Thread.sleep(1000);
            VrrpState bState = state(eb, "VI_1");
            long gap = a.maxAdvertGapNanos(51, from);
            if (bState == VrrpState.BACKUP || gap < masterDown || attempt == 2) {
                assertEquals(VrrpState.BACKUP, bState,
                        "nopreempt through reload: B raised above A stays BACKUP (A's longest advert gap "
                                + gap / 1_000_000 + " ms, attempt " + attempt + ")");
                assertEquals(VrrpState.MASTER, state(ea, "VI_1"));
                break;
            }
            // A was starved past Master_Down_Interval, so B took over legitimately: put A back as
            // master (B below it) and check the window once more
            eb.reload(config(vi("prio=100", "int=0.2", "nopreempt")));
            await(() -> state(ea, "VI_1") == VrrpState.MASTER, "A master after a starved window");
            await(() -> state(eb, "VI_1") == VrrpState.BACKUP, "B backup after a starved window");
        }
    }

    @Test
    void advertIntervalAndAuthApplyFromTheNextAdvert() throws Exception {
        FakeNetIo a = host("a", "10.0.0.1");
        VrrpEngine e2 = start(a, config(vi("prio=150")), recorder, null);
        await(() -> state(e2, "VI_1") == VrrpState.MASTER, "master");
        assertEquals(5, lastAdvert(a, 51).packet().advertIntervalCentis());
        int before = events.size();
        e2.reload(config(vi("prio=150", "int=0.2")));
        await(() -> lastAdvert(a, 51).packet().advertIntervalCentis() == 20, "advert_int 0.2 in the adverts");
        assertEquals(20, e2.status("VI_1").orElseThrow().adverIntCentis());
        assertEquals(VrrpState.MASTER, state(e2, "VI_1"));
        assertEquals(before, events.size(), "no transition: " + events);
    }

    @Test
    void v2PasswordChangeAppliesFromTheNextAdvert() throws Exception {
        FakeNetIo a = host("a", "10.0.0.1");
        // the address owner (255) is MASTER at once, v2 adverts every second
        VrrpEngine e = start(a, config(vi("prio=255", "version=2", "int=1", "auth=PASS:one")), recorder, null);
        await(() -> state(e, "VI_1") == VrrpState.MASTER, "master");
        assertEquals("one", new String(lastAdvert(a, 51).packet().authData(), 0, 3,
                java.nio.charset.StandardCharsets.US_ASCII));
        e.reload(config(vi("prio=255", "version=2", "int=1", "auth=PASS:two")));
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (!new String(lastAdvert(a, 51).packet().authData(), 0, 3, java.nio.charset.StandardCharsets.US_ASCII)
                .equals("two") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals("two", new String(lastAdvert(a, 51).packet().authData(), 0, 3,
                java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(VrrpState.MASTER, state(e, "VI_1"));
        assertEquals(1L, stat(e, "VI_1", "become_master"));
    }

    @Test
    void unicastPeerChangeSendsToTheNewPeers() throws Exception {
        FakeNetIo a = host("a", "10.0.0.1");
        VrrpEngine e = start(a, config(vi("prio=150", "src=10.0.0.1", "peer=10.0.0.2")), recorder, null);
        await(() -> state(e, "VI_1") == VrrpState.MASTER, "master");
        e.reload(config(vi("prio=150", "src=10.0.0.1", "peer=10.0.0.3", "peer=10.0.0.4")));
        InetAddress p3 = InetAddress.getByName("10.0.0.3");
        InetAddress p4 = InetAddress.getByName("10.0.0.4");
        int mark = wire.sent.size();
        Thread.sleep(200);
        List<FakeNetIo.Sent> after = wire.sent.subList(mark, wire.sent.size());
        assertTrue(after.stream().anyMatch(s -> s.dst().equals(p3)));
        assertTrue(after.stream().anyMatch(s -> s.dst().equals(p4)));
        assertTrue(after.stream().noneMatch(s -> s.dst().getHostAddress().equals("10.0.0.2")));
        assertEquals(VrrpState.MASTER, state(e, "VI_1"));
        assertEquals(1L, stat(e, "VI_1", "become_master"));
    }

    @Test
    void vridChangeStopsTheOldInstanceAndStartsANewOne() throws Exception {
        FakeNetIo a = host("a", "10.0.0.1");
        FakeNetIo b = host("b", "10.0.0.2");
        VrrpEngine ea = start(a, config(vi("prio=150")), recorder, null);
        VrrpEngine eb = start(b, config(vi("prio=100")), EngineListener.NONE, null);
        await(() -> state(ea, "VI_1") == VrrpState.MASTER, "A master");
        Thread.sleep(100);
        events.clear();
        int mark = wire.sent.size();
        ea.reload(config(vi("prio=150", "vrid=52")));
        // the old VRID 51 said goodbye with priority 0, B takes 51 over after Skew_Time
        assertTrue(wire.sent.subList(mark, wire.sent.size()).stream()
                .anyMatch(s -> s.host() == a && (s.vrrp()[1] & 0xff) == 51 && s.vrrp()[2] == 0));
        await(() -> state(eb, "VI_1") == VrrpState.MASTER, "B master of VRID 51");
        assertEquals(1L, stat(eb, "VI_1", "pri_zero_rcvd"));
        assertEquals("STATE VI_1 MASTER STOP", events.get(0), events.toString());
        assertTrue(events.contains("STATE VI_1 INIT BACKUP"), events.toString());
        // the new VRID 52 has nobody else: A becomes its master after Master_Down_Interval
        await(() -> state(ea, "VI_1") == VrrpState.MASTER, "A master of VRID 52");
        assertEquals(52, ea.status("VI_1").orElseThrow().vrid());
        assertTrue(a.has("eth0", "10.0.0.100") && b.has("eth0", "10.0.0.100"), "same VIP, two VRIDs");
    }

    @Test
    void aRenamedInstanceKeepsItsStateAsKeepalivedMatchesByVrid() throws Exception {
        FakeNetIo a = host("a", "10.0.0.1");
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        VrrpEngine e = start(a, config(vi("prio=150")), recorder, null, reg);
        await(() -> state(e, "VI_1") == VrrpState.MASTER, "master");
        int mark = wire.sent.size();
        events.clear();
        e.reload(config(vi("name=VI_WEB", "prio=150")));
        assertEquals(List.of("VI_WEB"), e.status().stream().map(InstanceStatus::iname).toList());
        assertEquals(VrrpState.MASTER, state(e, "VI_WEB"), "same interface, VRID and family: the same instance");
        assertTrue(a.has("eth0", "10.0.0.100"));
        assertTrue(wire.sent.subList(mark, wire.sent.size()).stream().noneMatch(s -> s.vrrp()[2] == 0), "no priority 0");
        assertTrue(events.stream().noneMatch(x -> x.startsWith("STATE")), events.toString());
        // the series follow the new name; none stays under the old one
        assertEquals(2.0, reg.get("keepalived_vrrp_state").tag("iname", "VI_WEB").gauge().value());
        assertTrue(reg.find("keepalived_vrrp_state").tag("iname", "VI_1").gauges().isEmpty());
        assertTrue(reg.find("keepalived_advert_sent").tag("iname", "VI_1").counters().isEmpty());
    }

    @Test
    void removedInstancesStopAndNewOnesStart() throws Exception {
        FakeNetIo a = host("a", "10.0.0.1");
        VrrpEngine e = start(a, config(vi("prio=150")), recorder, null);
        await(() -> state(e, "VI_1") == VrrpState.MASTER, "master");
        VrrpInstance v2 = vi("name=VI_2", "vrid=52", "prio=150", "vip=10.0.0.102/24");
        e.reload(config(vi("prio=150"), v2));
        await(() -> state(e, "VI_2") == VrrpState.MASTER, "VI_2 master");
        assertEquals(VrrpState.MASTER, state(e, "VI_1"));
        assertEquals(1L, stat(e, "VI_1", "become_master"));
        assertTrue(a.has("eth0", "10.0.0.102"));
        e.reload(config(v2));
        assertFalse(a.has("eth0", "10.0.0.100"), "the removed master released its VIP");
        assertTrue(a.has("eth0", "10.0.0.102"));
        assertEquals(List.of("VI_2"), e.status().stream().map(InstanceStatus::iname).toList());
        assertTrue(events.contains("STATE VI_1 MASTER STOP"), events.toString());
        assertTrue(wire.sent.stream().anyMatch(s -> (s.vrrp()[1] & 0xff) == 51 && s.vrrp()[2] == 0));
        // keepalived: a deleted instance's generic notify and FIFO line say FAULT, and no STOP
        assertTrue(events.contains("NOTIFY INSTANCE VI_1 FAULT"), events.toString());
        assertFalse(events.contains("NOTIFY INSTANCE VI_1 STOP"), events.toString());
    }

    @Test
    void aRemovedInstanceLeavesNoSeriesAndComesBackLive() throws Exception {
        FakeNetIo a = host("a", "10.0.0.1");
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        VrrpEngine e = start(a, config(vi("prio=150")), recorder, null, reg);
        await(() -> state(e, "VI_1") == VrrpState.MASTER, "master");
        e.reload(config(vi("name=VI_2", "vrid=52", "prio=150", "vip=10.0.0.102/24")));
        // as the exporters show it: an instance keepalived no longer runs has no series (a frozen
        // "2" would keep a MASTER on the dashboards)
        assertTrue(reg.getMeters().stream().noneMatch(m -> "VI_1".equals(m.getId().getTag("iname"))),
                () -> reg.getMeters().stream().map(m -> m.getId().toString()).toList().toString());
        assertEquals(1, reg.find("keepalived_vrrp_state").tag("iname", "VI_2").gauges().size());
        e.reload(config(vi("prio=120")));
        await(() -> state(e, "VI_1") == VrrpState.MASTER, "master again");
        assertEquals(2.0, reg.get("keepalived_vrrp_state").tag("iname", "VI_1").gauge().value());
        assertEquals(120.0, reg.get("keepalived_vrrp_priority").tag("iname", "VI_1").gauge().value());
    }

    @Test
    void invalidReloadChangesNothing() throws Exception {
        FakeNetIo a = host("a", "10.0.0.1");
        VrrpEngine e = start(a, config(vi("prio=150")), recorder, null);
        await(() -> state(e, "VI_1") == VrrpState.MASTER, "master");
        assertThrows(IllegalArgumentException.class,
                () -> e.reload(config(vi("prio=120"), vi("name=VI_2", "prio=120"))), "VRID 51 twice on eth0");
        assertEquals(150, e.status("VI_1").orElseThrow().basePriority());
        assertEquals(1, e.status().size());
    }

    @Test
    void scriptTrackersOfUnchangedScriptsKeepTheirState() throws Exception {
        FakeNetIo a = host("a", "10.0.0.1");
        AtomicInteger runs = new AtomicInteger();
        ScriptRunner runner = (spec, extra, timeout) -> {
            if (spec.command().equals("chk")) {
                runs.incrementAndGet();
            }
            return CompletableFuture.completedFuture(0);
        };
        VrrpScript chk = script(Duration.ofMillis(50), 3, true);
        VrrpEngine e = start(a, config(List.of(chk), List.of(), vi("prio=100", "track_script=chk_lb")),
                EngineListener.NONE, runner);
        // init_fail, rise 3: UP after three successes, weight +20
        await(() -> e.status("VI_1").orElseThrow().effectivePriority() == 120, "script up");
        e.reload(config(List.of(chk), List.of(), vi("prio=110", "track_script=chk_lb")));
        assertEquals(130, e.status("VI_1").orElseThrow().effectivePriority(), "rise state kept over the reload");
        // a changed script starts afresh: not UP until it has risen again
        VrrpScript slower = script(Duration.ofMillis(60), 3, true);
        int before = runs.get();
        e.reload(config(List.of(slower), List.of(), vi("prio=110", "track_script=chk_lb")));
        assertEquals(110, e.status("VI_1").orElseThrow().effectivePriority());
        await(() -> e.status("VI_1").orElseThrow().effectivePriority() == 130, "new script up");
        assertTrue(runs.get() - before >= 3);
        // dropped from the config: it stops running
        e.reload(config(vi("prio=110")));
        assertEquals(110, e.status("VI_1").orElseThrow().effectivePriority());
        Thread.sleep(100);
        int after = runs.get();
        Thread.sleep(200);
        assertEquals(after, runs.get(), "the dropped script no longer runs");
    }

    private static VrrpScript script(Duration interval, int rise, boolean initFail) {
        return new VrrpScript("chk_lb", new ScriptSpec("chk", List.of("chk"), null, null), interval, null, 20, false,
                rise, 1, initFail);
    }

    @Test
    void syncGroupsAreKeptOrRebuiltWithoutSpuriousNotifies() throws Exception {
        FakeNetIo a = host("a", "10.0.0.1").iface("eth1", 3, "10.1.0.1/24");
        VrrpInstance v1 = vi("name=VI_1", "prio=150");
        VrrpInstance v2 = vi("name=VI_2", "iface=eth1", "vrid=52", "prio=150", "vip=10.1.0.100/24");
        VrrpSyncGroup g = group("G1", "VI_1", "VI_2");
        VrrpEngine e = start(a, config(List.of(), List.of(g), v1, v2), recorder, null);
        await(() -> e.status().stream().allMatch(s -> s.state() == VrrpState.MASTER), "group master");
        Thread.sleep(100);
        int before = events.size();
        e.reload(config(List.of(), List.of(g), v1, v2));
        Thread.sleep(100);
        assertEquals(before, events.size(), events.toString());
        // still a group: a fault on eth1 takes VI_1 along
        a.setLink("eth1", false);
        await(() -> e.status().stream().allMatch(s -> s.state() == VrrpState.FAULT), "group fault");
        a.setLink("eth1", true);
        await(() -> e.status().stream().allMatch(s -> s.state() == VrrpState.MASTER), "group master again");
        // group removed: the instances go on alone
        e.reload(config(v1, v2));
        a.setLink("eth1", false);
        await(() -> state(e, "VI_2") == VrrpState.FAULT, "VI_2 fault");
        Thread.sleep(150);
        assertEquals(VrrpState.MASTER, state(e, "VI_1"), "no group any more");
        assertTrue(a.has("eth0", "10.0.0.100"));
    }

    static VrrpSyncGroup group(String name, String... members) {
        return new VrrpSyncGroup(name, List.of(members), null, null, null, null, null, List.of(), List.of(),
                List.of(), List.of(), List.of(), false, false, null, null);
    }
}
