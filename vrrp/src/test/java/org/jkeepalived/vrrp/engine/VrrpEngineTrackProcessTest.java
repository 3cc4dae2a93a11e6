package org.jkeepalived.vrrp.engine;

import static org.jkeepalived.vrrp.engine.VrrpEngineReloadTest.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.config.VrrpState;
import org.jkeepalived.core.parse.ConfigLoader;
import org.jkeepalived.core.parse.LoadOptions;
import org.jkeepalived.core.time.FakeClock;
import org.jkeepalived.vrrp.io.ProcInfo;
import org.junit.jupiter.api.Test;

/** track_process: the host's processes, as the monitor reports them, drive FAULT and the effective priority. */
class VrrpEngineTrackProcessTest {
    static final String CONF = """
            vrrp_track_process haproxy {
              process haproxy
            }
            vrrp_track_process workers {
              process nginx -g "daemon off;"
              weight -30
              quorum 2
              terminate_delay 0.3
            }
            vrrp_instance VI_1 {
              state MASTER
              interface eth0
              virtual_router_id 51
              priority 150
              version 3
              advert_int 0.05
              virtual_ipaddress {
                10.0.0.100/24
              }
              track_process {
                haproxy
                workers
              }
            }
            """;

    private static KeepalivedConfig parse(String text) {
        KeepalivedConfig cfg = ConfigLoader.parse(text, "keepalived.conf", new LoadOptions(false, null, Map.of())).config();
        assertNotNull(cfg);
        return cfg;
    }

    /**
     * Moves the fake clock, asking the VRRP thread for the status before and after: queued after
     * every event already delivered (and after every timer due), that returns once they have run,
     * and wakes the thread.
     */
    private static void advance(FakeClock clock, VrrpEngine e, Duration d) {
        e.status(); // events delivered so far are handled at the old time
        clock.advance(d);
        e.status();
    }

    /** Moves the fake clock 10 ms at a time (adverts, master-down timers) until {@code c} holds. */
    private static void until(FakeClock clock, VrrpEngine e, java.util.function.BooleanSupplier c, String what) {
        for (int i = 0; i < 1000; i++) {
            if (c.getAsBoolean()) return;
            advance(clock, e, Duration.ofMillis(10));
        }
        throw new AssertionError("not within 10 s (fake): " + what);
    }

    @Test
    void processesRunningDecideFaultAndPriority() throws Exception {
        FakeClock clock = new FakeClock();
        FakeNetIo a = new FakeNetIo("a", new FakeNetIo.Wire()).iface("eth0", 2, "10.0.0.1/24");
        ProcInfo nginx = new ProcInfo("nginx", java.util.List.of("nginx", "-g", "daemon off;"), false, 1);
        a.processes.exec(100, nginx);
        VrrpEngine e = VrrpEngine.start(parse(CONF), a, clock, EngineListener.NONE, null, null);
        try {
            // keepalived's default weight is 0: no haproxy, no quorum, FAULT from the start
            assertTrue(state(e, "VI_1") == VrrpState.FAULT, "haproxy (unweighted) is not running");
            assertFalse(a.has("eth0", "10.0.0.100"));

            a.processes.exec(200, ProcInfo.of("haproxy", "/usr/sbin/haproxy", "-f", "/etc/haproxy.cfg"));
            until(clock, e, () -> state(e, "VI_1") == VrrpState.MASTER, "master once haproxy runs");
            assertTrue(a.has("eth0", "10.0.0.100"));
            assertEquals(120, e.status("VI_1").orElseThrow().effectivePriority(), "one nginx of a quorum of 2: -30");

            a.processes.fork(100, 101);
            assertTrue(e.status("VI_1").orElseThrow().effectivePriority() == 150, "second nginx: priority 150");

            // an nginx worker restarting within terminate_delay moves nothing
            a.processes.exit(101);
            advance(clock, e, Duration.ofMillis(100));
            a.processes.fork(100, 102);
            advance(clock, e, Duration.ofMillis(500));
            assertEquals(150, e.status("VI_1").orElseThrow().effectivePriority());

            a.processes.exit(102);
            advance(clock, e, Duration.ofMillis(299));
            assertEquals(150, e.status("VI_1").orElseThrow().effectivePriority(), "terminate_delay 0.3 not over yet");
            advance(clock, e, Duration.ofMillis(1));
            assertTrue(e.status("VI_1").orElseThrow().effectivePriority() == 120, "quorum lost after terminate_delay");

            e.reload(parse(CONF));
            assertEquals(VrrpState.MASTER, state(e, "VI_1"), "a reload keeps the counts");
            assertEquals(120, e.status("VI_1").orElseThrow().effectivePriority());

            a.processes.exit(200);
            assertTrue(state(e, "VI_1") == VrrpState.FAULT, "FAULT when haproxy exits");
            e.status(); // the FAULT transition has released the VIP by now
            assertFalse(a.has("eth0", "10.0.0.100"), "VIP released");
        } finally {
            e.stop();
        }
    }

    @Test
    void aReloadChangingOnlyTheWeightKeepsCountingAndAppliesTheNewWeight() throws Exception {
        FakeClock clock = new FakeClock();
        FakeNetIo a = new FakeNetIo("a", new FakeNetIo.Wire()).iface("eth0", 2, "10.0.0.1/24");
        a.processes.exec(200, ProcInfo.of("haproxy"));
        a.processes.exec(100, new ProcInfo("nginx", java.util.List.of("nginx", "-g", "daemon off;"), false, 1));
        VrrpEngine e = VrrpEngine.start(parse(CONF), a, clock, EngineListener.NONE, null, null);
        try {
            until(clock, e, () -> e.status("VI_1").orElseThrow().effectivePriority() == 120, "one nginx of two: -30");
            int snapshots = a.processes.subscriptions;
            e.reload(parse(CONF.replace("weight -30", "weight -40")));
            assertEquals(110, e.status("VI_1").orElseThrow().effectivePriority());
            assertEquals(snapshots, a.processes.subscriptions, "no new subscription (nor full scan)");
        } finally {
            e.stop();
        }
    }

    @Test
    void reloadAddingATrackProcessCountsItBeforeUse() throws Exception {
        String none = CONF.replace("    haproxy\n    workers\n", "").replaceAll("(?s)vrrp_track_process.*?\n}\n", "");
        String reversed = """
                vrrp_track_process maint {
                  process maintenance
                  weight 0 reverse
                }
                """ + none.replace("virtual_ipaddress {", "track_process {\n    maint\n  }\n  virtual_ipaddress {");
        FakeNetIo a = new FakeNetIo("a", new FakeNetIo.Wire()).iface("eth0", 2, "10.0.0.1/24");
        FakeClock clock = new FakeClock();
        VrrpEngine e = VrrpEngine.start(parse(none), a, clock, EngineListener.NONE, null, null);
        try {
            until(clock, e, () -> state(e, "VI_1") == VrrpState.MASTER, "master without tracking");
            assertTrue(a.processes.listeners.isEmpty(), "nothing watched without vrrp_track_process");
            // 'weight 0 reverse': down while the process runs
            a.processes.exec(300, ProcInfo.of("maintenance"));
            e.reload(parse(reversed));
            assertTrue(state(e, "VI_1") == VrrpState.FAULT, "FAULT: maintenance runs");
            a.processes.exit(300);
            until(clock, e, () -> state(e, "VI_1") == VrrpState.MASTER, "back once it ends");
            e.reload(parse(none));
            assertTrue(a.processes.listeners.isEmpty(), "unsubscribed when no vrrp_track_process is left");
        } finally {
            e.stop();
        }
    }
}
