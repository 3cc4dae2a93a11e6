package org.jkeepalived.vrrp.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
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

/** use_vmac and virtual_rules wiring in the engine over {@link FakeNetIo}. */
class VrrpEngineVmacRulesTest {
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
        List<String> l = new ArrayList<>(List.of("version=3", "int=0.05", "garp_delay=0", "garp_repeat=1",
                "vip=10.0.0.100/24"));
        l.addAll(List.of(args));
        return EngineMain.instance(l.toArray(new String[0]));
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
    void vmacCarriesVipsAdvertsAndGarpsAndGoesOnStop() throws Exception {
        FakeNetIo a = new FakeNetIo("a", wire).iface("eth0", 2, "10.0.0.1/24");
        VrrpEngine e = engine(a, vi("prio=150", "vmac", "state=MASTER"));
        assertEquals(List.of("+vrrp.51@eth0 00:00:5e:00:01:33"), a.vmacOps);
        await(() -> state(e) == VrrpState.MASTER, "master");
        await(() -> a.announcements("10.0.0.100") > 0, "GARP");
        assertTrue(a.has("vrrp.51", "10.0.0.100"));
        assertFalse(a.has("eth0", "10.0.0.100"));
        assertTrue(a.announced.contains("vrrp.51 10.0.0.100"), "GARP from the VMAC: " + a.announced);
        FakeNetIo.FakeSocket s = (FakeNetIo.FakeSocket) wire.sockets.get(0);
        assertEquals("vrrp.51", s.config().iface(), "adverts on the VMAC");
        // the source is the base interface's address, as keepalived sends it
        await(() -> !wire.sent.isEmpty(), "an advert");
        assertEquals(InetAddress.getByName("10.0.0.1"), wire.sent.get(0).src());
        e.stop();
        assertEquals(List.of("+vrrp.51@eth0 00:00:5e:00:01:33", "-vrrp.51"), a.vmacOps);
    }

    @Test
    void xmitBaseKeepsTheSocketOnTheBase() throws Exception {
        FakeNetIo a = new FakeNetIo("a", wire).iface("eth0", 2, "10.0.0.1/24");
        VrrpEngine e = engine(a, vi("prio=150", "vmac=vmx", "xmit_base", "state=MASTER"));
        await(() -> state(e) == VrrpState.MASTER, "master");
        assertEquals("eth0", ((FakeNetIo.FakeSocket) wire.sockets.get(0)).config().iface());
        await(() -> a.addresses.get("vmx").stream().anyMatch(x -> x.address().getHostAddress().equals("10.0.0.100")),
                "VIP on the VMAC");
    }

    @Test
    void unicastImpliesXmitBase() throws Exception {
        FakeNetIo a = new FakeNetIo("a", wire).iface("eth0", 2, "10.0.0.1/24");
        VrrpEngine e = engine(a, vi("prio=150", "vmac", "src=10.0.0.1", "peer=10.0.0.2", "state=MASTER"));
        await(() -> state(e) == VrrpState.MASTER, "master");
        assertEquals("eth0", ((FakeNetIo.FakeSocket) wire.sockets.get(0)).config().iface());
        await(() -> a.addresses.get("vrrp.51").stream().anyMatch(x -> x.address().getHostAddress().equals("10.0.0.100")),
                "VIP on the VMAC");
    }

    @Test
    void rulesFollowMasterStateAndReloads() throws Exception {
        FakeNetIo a = new FakeNetIo("a", wire).iface("eth0", 2, "10.0.0.1/24");
        FakeNetIo b = new FakeNetIo("b", wire).iface("eth0", 2, "10.0.0.2/24");
        String r1 = "rule=from,10.0.0.100,table,100,priority,300";
        VrrpEngine ea = engine(a, vi("prio=150", r1));
        VrrpEngine eb = engine(b, vi("prio=100", r1));
        await(() -> state(ea) == VrrpState.MASTER && state(eb) == VrrpState.BACKUP, "A master, B backup");
        assertEquals(List.of("pref 300 from 10.0.0.100/32 lookup 100"), a.rules);
        assertEquals(List.of(), b.rules);
        // reload while master: the dropped rule goes, the new one comes
        ea.reload(new KeepalivedConfig(null, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(vi("prio=150", "rule=to,10.7.0.0/16,table,7")), List.of(), List.of()));
        await(() -> a.rules.equals(List.of("from all to 10.7.0.0/16 lookup 7")), "rules after reload: " + a.rules);
        // stop: B takes over and installs its rule, A's are gone
        ea.stop();
        assertEquals(List.of(), a.rules);
        await(() -> state(eb) == VrrpState.MASTER, "B master");
        await(() -> b.rules.equals(List.of("pref 300 from 10.0.0.100/32 lookup 100")), "B's rule");
    }
}
