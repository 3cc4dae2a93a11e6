package org.jkeepalived.vrrp.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.config.VrrpInstance;
import org.jkeepalived.core.config.VrrpState;
import org.jkeepalived.core.time.MonotonicClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** When the engine programs the no_accept filter, over {@link FakeNetIo} (the nft side: NftVipFilterTest). */
class VrrpEngineNoAcceptTest {
    final FakeNetIo.Wire wire = new FakeNetIo.Wire();
    final List<VrrpEngine> engines = new ArrayList<>();

    @AfterEach
    void stopAll() {
        for (VrrpEngine e : engines) {
            e.stop();
        }
    }

    private VrrpEngine engine(FakeNetIo io, VrrpInstance vi) throws Exception {
        VrrpEngine e = VrrpEngine.start(List.of(vi), List.of(), null, io, MonotonicClock.SYSTEM, EngineListener.NONE,
                null);
        engines.add(e);
        return e;
    }

    private static VrrpInstance vi(String... args) throws Exception {
        List<String> l = new ArrayList<>(List.of("version=3", "int=0.05", "garp_delay=0.2", "vip=10.0.0.100/24",
                "evip=10.0.0.101/24"));
        l.addAll(List.of(args));
        return EngineMain.instance(l.toArray(new String[0]));
    }

    private static KeepalivedConfig config(VrrpInstance vi) {
        return new KeepalivedConfig(null, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(vi), List.of(), List.of(), List.of());
    }

    private static void await(BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    private static VrrpState state(VrrpEngine e) {
        return e.status().get(0).state();
    }

    @Test
    void noAcceptMasterBlocksBeforeAddingVipsAndUnblocksAfterRemovingThem() throws Exception {
        FakeNetIo a = new FakeNetIo("a", wire).iface("eth0", 2, "10.0.0.1/24");
        VrrpEngine e = engine(a, vi("prio=100", "no_accept"));
        await(() -> state(e) == VrrpState.MASTER, "master");
        await(() -> a.addressOps.size() == 2, "VIPs added");
        // the table a killed run may have left goes first (then the start-up release of stale VIPs
        // lifts a rule the instance does not have); the drop rule precedes both addresses
        assertEquals(List.of("clear @0", "unblock VI_1 @0", "block VI_1 10.0.0.100 10.0.0.101 @0"), a.filterOps);
        assertEquals(List.of("+10.0.0.100", "+10.0.0.101"), a.addressOps);

        // a higher-priority router takes over: VIPs go, then the rule
        FakeNetIo b = new FakeNetIo("b", wire).iface("eth0", 2, "10.0.0.2/24");
        VrrpEngine eb = engine(b, vi("prio=200", "no_accept"));
        await(() -> state(e) == VrrpState.BACKUP, "A backup");
        await(() -> a.filterOps.size() == 4, "unblock");
        assertEquals("unblock VI_1 @4", a.filterOps.get(3));
        assertEquals(List.of("+10.0.0.100", "+10.0.0.101", "-10.0.0.100", "-10.0.0.101"), a.addressOps);

        // B stops: A is master again and blocks again; on A's stop the rule goes and the table is cleared
        eb.stop();
        await(() -> state(e) == VrrpState.MASTER, "A master again");
        await(() -> a.filterOps.size() == 5, "block again");
        assertEquals("block VI_1 10.0.0.100 10.0.0.101 @4", a.filterOps.get(4));
        e.stop();
        assertEquals(List.of("unblock VI_1 @8", "clear @8"), a.filterOps.subList(5, 7));
    }

    @Test
    void acceptAndTheAddressOwnerNeverBlock() throws Exception {
        FakeNetIo a = new FakeNetIo("a", wire).iface("eth0", 2, "10.0.0.1/24");
        VrrpEngine ea = engine(a, vi("prio=100"));
        FakeNetIo o = new FakeNetIo("o", new FakeNetIo.Wire()).iface("eth0", 2, "10.0.0.3/24");
        VrrpEngine eo = engine(o, vi("prio=255", "no_accept"));
        await(() -> state(ea) == VrrpState.MASTER && state(eo) == VrrpState.MASTER, "both master");
        await(() -> a.addressOps.size() == 2 && o.addressOps.size() == 2, "VIPs added");
        assertTrue(a.filterOps.stream().noneMatch(s -> s.startsWith("block")), a.filterOps.toString());
        assertTrue(o.filterOps.stream().noneMatch(s -> s.startsWith("block")), o.filterOps.toString());
    }

    @Test
    void faultLiftsTheRule() throws Exception {
        FakeNetIo a = new FakeNetIo("a", wire).iface("eth0", 2, "10.0.0.1/24");
        VrrpEngine e = engine(a, vi("prio=100", "no_accept"));
        await(() -> state(e) == VrrpState.MASTER, "master");
        a.setLink("eth0", false);
        await(() -> state(e) == VrrpState.FAULT, "fault");
        assertEquals(List.of("clear @0", "unblock VI_1 @0", "block VI_1 10.0.0.100 10.0.0.101 @0", "unblock VI_1 @4"),
                a.filterOps);
    }

    @Test
    void reloadWhileMasterFollowsAcceptAndTheVips() throws Exception {
        FakeNetIo a = new FakeNetIo("a", wire).iface("eth0", 2, "10.0.0.1/24");
        VrrpEngine e = engine(a, vi("prio=100"));
        await(() -> state(e) == VrrpState.MASTER, "master");
        await(() -> a.addressOps.size() == 2, "VIPs added");
        // no_accept switched on: blocked before the new VIP is added
        e.reload(config(vi("prio=100", "no_accept", "vip=10.0.0.102/24")));
        assertEquals("block VI_1 10.0.0.100 10.0.0.102 10.0.0.101 @2", a.filterOps.get(a.filterOps.size() - 1));
        assertEquals("+10.0.0.102", a.addressOps.get(a.addressOps.size() - 1));
        // and off again (lifted before 10.0.0.102 goes)
        e.reload(config(vi("prio=100")));
        assertEquals("-10.0.0.102", a.addressOps.get(a.addressOps.size() - 1));
        assertEquals("unblock VI_1 @3", a.filterOps.get(a.filterOps.size() - 1));
        assertEquals(VrrpState.MASTER, state(e));
    }
}
