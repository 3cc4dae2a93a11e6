package org.jkeepalived.vrrp.engine;

import static org.jkeepalived.vrrp.engine.VrrpEngineReloadTest.await;
import static org.jkeepalived.vrrp.engine.VrrpEngineReloadTest.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.config.VrrpState;
import org.jkeepalived.core.parse.ConfigLoader;
import org.jkeepalived.core.parse.LoadOptions;
import org.jkeepalived.core.time.MonotonicClock;
import org.junit.jupiter.api.Test;

/** track_bfd: the sessions' states, as the daemon reports them, drive FAULT and the effective priority. */
class VrrpEngineTrackBfdTest {
    static final String CONF = """
            bfd_instance b1 {
              neighbor_ip 10.0.0.2
            }
            bfd_instance b2 {
              neighbor_ip 10.0.0.3
              weight -30
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
              track_bfd {
                b1
                b2
              }
            }
            """;

    @Test
    void unweightedSessionHoldsFaultUntilUpAndWeightedOneMovesThePriority() throws Exception {
        KeepalivedConfig cfg = ConfigLoader.parse(CONF, "keepalived.conf", new LoadOptions(false, null, Map.of())).config();
        assertNotNull(cfg);
        FakeNetIo a = new FakeNetIo("a", new FakeNetIo.Wire()).iface("eth0", 2, "10.0.0.1/24");
        VrrpEngine e = VrrpEngine.start(cfg, a, MonotonicClock.SYSTEM, EngineListener.NONE, null, null);
        try {
            Thread.sleep(300);
            assertEquals(VrrpState.FAULT, state(e, "VI_1"), "b1 (unweighted) starts Down");
            assertFalse(a.has("eth0", "10.0.0.100"));

            e.bfdStateChanged("b1", true);
            await(() -> state(e, "VI_1") == VrrpState.MASTER, "master once b1 is Up");
            assertTrue(a.has("eth0", "10.0.0.100"));
            assertEquals(120, e.status("VI_1").orElseThrow().effectivePriority(), "b2 Down: its weight -30");
            e.bfdStateChanged("b2", true);
            await(() -> e.status("VI_1").orElseThrow().effectivePriority() == 150, "b2 Up: priority 150");

            e.reload(cfg);
            Thread.sleep(200);
            assertEquals(VrrpState.MASTER, state(e, "VI_1"), "a reload keeps the sessions' known states");
            assertEquals(150, e.status("VI_1").orElseThrow().effectivePriority());

            e.bfdStateChanged("b1", false);
            await(() -> state(e, "VI_1") == VrrpState.FAULT, "FAULT when b1 goes Down");
            Thread.sleep(100);
            assertFalse(a.has("eth0", "10.0.0.100"), "VIP released");
        } finally {
            e.stop();
        }
    }
}
