package org.jkeepalived.ipvs.kernel;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.jkeepalived.ipvs.LvsBackend;
import org.jkeepalived.ipvs.LvsException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Timeouts and the sync daemon against the real kernel (inside ../shared/kernel-vm/run). */
@Tag("kernel-vm")
class KernelIpvsConfigTest {

    @Test
    void timeoutsSetAndGet() throws Exception {
        try (KernelIpvsBackend b = KernelIpvsBackend.open()) {
            LvsBackend.Timeouts before = b.readTimeouts();
            try {
                b.setTimeouts(new LvsBackend.Timeouts(1000, null, 200));
                assertEquals(new LvsBackend.Timeouts(1000, before.tcpFin(), 200), b.readTimeouts());
                assertEquals("Timeout (tcp tcpfin udp): 1000 " + before.tcpFin() + " 200\n", Ipvsadm.run("-Ln", "--timeout"));
            } finally {
                b.setTimeouts(before);
            }
            assertEquals(before, b.readTimeouts());
        }
    }

    @Test
    void syncDaemonStartsAndStops() throws Exception {
        try (KernelIpvsBackend b = KernelIpvsBackend.open()) {
            assertEquals(List.of(), b.readSyncDaemons());
            b.startSyncDaemon(SyncDaemon.of(SyncDaemon.State.MASTER, "lo", 7));
            try {
                List<SyncDaemon> ds = b.readSyncDaemons();
                assertEquals(1, ds.size());
                assertEquals(SyncDaemon.State.MASTER, ds.get(0).state());
                assertEquals("lo", ds.get(0).iface());
                assertEquals(7, ds.get(0).syncId());
                String shown = Ipvsadm.run("-L", "--daemon");
                assertTrue(shown.startsWith("master sync daemon (mcast=lo, syncid=7"), shown);
                assertEquals(shown.trim(), ds.get(0).describe());
                LvsException again = assertThrows(LvsException.class, () -> b.startSyncDaemon(SyncDaemon.of(SyncDaemon.State.MASTER, "lo", 7)));
                assertTrue(again.getMessage().startsWith("starting the master sync daemon on lo: "), again.getMessage());
            } finally {
                b.stopSyncDaemon(SyncDaemon.State.MASTER);
            }
            assertEquals(List.of(), b.readSyncDaemons());
            assertEquals("", Ipvsadm.run("-L", "--daemon"));
        }
    }
}
