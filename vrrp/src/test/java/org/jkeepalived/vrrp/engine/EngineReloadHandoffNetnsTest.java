package org.jkeepalived.vrrp.engine;

import static org.jkeepalived.vrrp.engine.EngineNetns.await;
import static org.jkeepalived.vrrp.engine.EngineNetns.addrs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jkeepalived.vrrp.io.NetnsLab;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Reload without loss and ctl handoff on real sockets: two {@link VrrpEngine}s in two namespaces
 * (child JVMs, {@link EngineMain}) on one bridge.
 */
@Tag("netns")
class EngineReloadHandoffNetnsTest {
    NetnsLab lab;
    String a;
    String b;

    @BeforeEach
    void up() {
        NetnsLab.assumeAvailable();
        lab = new NetnsLab();
        a = lab.host("a", "02:00:00:00:01:0a", "10.9.0.1/24");
        b = lab.host("b", "02:00:00:00:01:0b", "10.9.0.2/24");
    }

    @AfterEach
    void down() {
        if (lab != null) {
            lab.close();
        }
    }

    private NetnsLab.Child engine(String ns, String... args) {
        return EngineNetns.engine(lab, ns, args);
    }

    private static List<String> args(String... more) {
        return new ArrayList<>(List.of(EngineNetns.args(more)));
    }

    private static long number(String reply) {
        return Long.parseLong(reply.substring(3).trim());
    }

    @Test
    void reloadingAMasterLosesNothing() throws Exception {
        List<String> cfgA = args("prio=150", "vip=10.9.0.100/24");
        NetnsLab.Child ea = engine(a, cfgA.toArray(new String[0]));
        NetnsLab.Child eb = engine(b, args("prio=100", "vip=10.9.0.100/24").toArray(new String[0]));
        ea.awaitPrefix("STATE VI_1 BACKUP MASTER", Duration.ofSeconds(5));
        await(() -> addrs(a).contains("10.9.0.100/24"), Duration.ofSeconds(2), "VIP on A");
        Thread.sleep(300);
        long garps = number(ea.call("garps"));
        assertEquals(5, garps, "garp_master_repeat 5 for one VIP");
        // watch every address change in A while reloading
        NetnsLab.Child monitor = lab.spawn(a, List.of("ip", "monitor", "address"));
        Thread.sleep(300);

        for (int k = 0; k < 20; k++) {
            ea.call("reload " + String.join(" ", cfgA));
        }
        Thread.sleep(1200); // longer than B's Master_Down_Interval (3 x 250 + 152 ms)
        String st = ea.call("status");
        assertTrue(st.contains("state=MASTER"), st);
        assertTrue(st.contains("become_master=1"), st);
        assertEquals(garps, number(ea.call("garps")), "no GARP after the first announce");
        assertTrue(eb.call("status").contains("state=BACKUP"));

        // a reload adding a VIP: the new one appears, announced alone; the old one never goes.
        // Both routers get it (a backup drops adverts whose address list differs from its own).
        eb.call("reload " + String.join(" ", args("prio=100", "vip=10.9.0.100/24", "vip=10.9.0.101/24")));
        ea.call("reload " + String.join(" ", cfgA) + " vip=10.9.0.101/24");
        await(() -> addrs(a).contains("10.9.0.101/24"), Duration.ofSeconds(2), "new VIP on A");
        Thread.sleep(300);
        assertEquals(garps + 5, number(ea.call("garps")), "only the new VIP announced");
        assertTrue(addrs(a).contains("10.9.0.100/24"));
        st = ea.call("status");
        assertTrue(st.contains("state=MASTER") && st.contains("become_master=1"), st);
        assertFalse(ea.transcript().contains("STATE VI_1 MASTER"), ea.transcript());
        String changes = monitor.transcript();
        assertFalse(changes.contains("Deleted"), "an address went away during the reloads:\n" + changes);
        assertTrue(changes.contains("10.9.0.101"), "the monitor saw the new VIP:\n" + changes);
        String bAddrs = addrs(b);
        assertFalse(bAddrs.contains("10.9.0.10"), bAddrs + "\n" + eb.transcript());
    }

    @Test
    void handoffMovesTheMasterAndHandbackBringsItBack() throws Exception {
        NetnsLab.Child ea = engine(a, args("prio=150", "vip=10.9.0.100/24").toArray(new String[0]));
        NetnsLab.Child eb = engine(b, args("prio=100", "vip=10.9.0.100/24").toArray(new String[0]));
        ea.awaitPrefix("STATE VI_1 BACKUP MASTER", Duration.ofSeconds(5));
        Thread.sleep(300);
        assertTrue(eb.call("status").contains("state=BACKUP"));

        long t0 = System.nanoTime();
        String r = ea.call("handoff 30");
        assertTrue(r.startsWith("OK HANDED_OFF"), r);
        eb.awaitPrefix("STATE VI_1 BACKUP MASTER", Duration.ofSeconds(3));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        // Skew_Time at priority 100, 0.25 s: 152 ms (Master_Down_Interval would be 902 ms);
        // the margin covers two JVMs' stdin/stdout round trips
        assertTrue(ms < 152 + 250, "B took over after " + ms + " ms");
        assertTrue(eb.call("status").contains("pri_zero_rcvd=1"), eb.transcript());
        await(() -> addrs(b).contains("10.9.0.100/24"), Duration.ofSeconds(2), "VIP on B");
        assertFalse(addrs(a).contains("10.9.0.100"));
        // held at priority 1: A does not preempt back
        Thread.sleep(1300); // longer than A's Master_Down_Interval at priority 150 (902 ms) or 1 (999 ms)
        String st = ea.call("status");
        assertTrue(st.contains("state=BACKUP") && st.contains("effectivePriority=1,"), st);

        r = ea.call("handback");
        assertTrue(r.startsWith("OK HANDED_BACK"), r);
        ea.awaitPrefix("STATE VI_1 BACKUP MASTER", Duration.ofSeconds(3));
        eb.awaitPrefix("STATE VI_1 MASTER BACKUP", Duration.ofSeconds(3));
        await(() -> addrs(a).contains("10.9.0.100/24"), Duration.ofSeconds(2), "VIP on A again");
        await(() -> !addrs(b).contains("10.9.0.100"), Duration.ofSeconds(2), "VIP gone from B");
    }
}
