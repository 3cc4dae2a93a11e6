package org.jkeepalived.ipvs;

import static org.jkeepalived.ipvs.TestTables.*;
import static org.junit.jupiter.api.Assertions.*;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.jkeepalived.core.table.DesiredTable;
import org.jkeepalived.ipvs.reconcile.Reconciler;
import org.junit.jupiter.api.Test;

class IpvsMetricsTest {

    @Test
    void exporterNamesAndLabelsFollowTheStats() {
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        IpvsMetrics m = new IpvsMetrics(reg);
        LvsBackend.Counters c = new LvsBackend.Counters(10, 20, 30, 4000, 5000, 1, 2, 3, 4, 5);
        var web = tcp("10.0.0.1", 80);
        m.update(List.of(new LvsBackend.ServiceStats(web, c, List.of(
                new LvsBackend.DestinationStats(nat("10.0.1.1", 8080, 1).key(), 3, 4, c)))));
        assertEquals(10, reg.get("keepalived_lvs_vip_conn").tags("addr", "10.0.0.1:80", "proto", "6").gauge().value());
        assertEquals(5000, reg.get("keepalived_lvs_vip_out_bytes").tags("addr", "10.0.0.1:80").gauge().value());
        assertEquals(20, reg.get("keepalived_lvs_rs_in_packets").tags("addr", "10.0.1.1:8080", "vip", "10.0.0.1:80").gauge().value());
        assertEquals(3, reg.get("keepalived_lvs_rs_active_conn").tags("addr", "10.0.1.1:8080").gauge().value());
        assertEquals(4, reg.get("keepalived_lvs_rs_inactive_conn").tags("addr", "10.0.1.1:8080").gauge().value());

        // new values replace old ones; a vanished server's series go away
        LvsBackend.Counters c2 = new LvsBackend.Counters(11, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        m.update(List.of(new LvsBackend.ServiceStats(web, c2, List.of())));
        assertEquals(11, reg.get("keepalived_lvs_vip_conn").gauge().value());
        assertNull(reg.find("keepalived_lvs_rs_conn").gauge());
        m.update(List.of());
        assertNull(reg.find("keepalived_lvs_vip_conn").gauge());
    }

    @Test
    void reconcileCountersCountOpsAndErrors() {
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        InMemoryLvsBackend b = new InMemoryLvsBackend();
        Reconciler r = new Reconciler(b, new IpvsMetrics(reg));
        r.reconcile(new DesiredTable(List.of(svc(tcp("10.0.0.1", 80), "rr", nat("10.0.1.1", 80, 1)),
                svc(tcp("10.0.0.2", 80), "nosuch"))));
        assertEquals(1, reg.get("jkeepalived_lvs_reconcile_operations").tag("op", "add_service").counter().count());
        assertEquals(1, reg.get("jkeepalived_lvs_reconcile_operations").tag("op", "add_destination").counter().count());
        assertEquals(1, reg.get("jkeepalived_lvs_reconcile_errors").counter().count());
        assertEquals(1, reg.get("jkeepalived_lvs_reconcile_runs").counter().count());
    }
}
