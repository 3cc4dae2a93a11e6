package org.jkeepalived.ipvs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jkeepalived.core.table.ServiceKey;
import org.jkeepalived.ipvs.reconcile.ReconcileResult;

/**
 * LVS metrics under the names gen2brain/keepalived_exporter publishes, so existing dashboards keep
 * working: keepalived_lvs_vip_{conn,in_packets,out_packets,in_bytes,out_bytes} labelled
 * addr="10.0.0.1:80" proto="6" (the IP protocol number, as that exporter), and the same for
 * keepalived_lvs_rs_* with addr = the real server; rs series also carry vip= (the service's addr)
 * because one real server often sits behind several services and the series would collide
 * otherwise. They are gauges holding the kernel's absolute counters (a micrometer counter would be
 * renamed *_total). Our additions: keepalived_lvs_rs_active_conn / keepalived_lvs_rs_inactive_conn,
 * and jkeepalived_lvs_reconcile_operations / _errors / _runs counters. fwmark services use
 * addr="fwm:MARK" proto="0". Feed it with {@link #update(List)} after each LvsBackend.readStats().
 */
public final class IpvsMetrics {
    private static final String[] VIP = {"keepalived_lvs_vip_conn", "keepalived_lvs_vip_in_packets",
            "keepalived_lvs_vip_out_packets", "keepalived_lvs_vip_in_bytes", "keepalived_lvs_vip_out_bytes"};
    private static final String[] RS = {"keepalived_lvs_rs_conn", "keepalived_lvs_rs_in_packets",
            "keepalived_lvs_rs_out_packets", "keepalived_lvs_rs_in_bytes", "keepalived_lvs_rs_out_bytes",
            "keepalived_lvs_rs_active_conn", "keepalived_lvs_rs_inactive_conn"};

    private final MeterRegistry registry;
    private final Map<Tags, Values> vips = new ConcurrentHashMap<>();
    private final Map<Tags, Values> rss = new ConcurrentHashMap<>();
    private final Map<Tags, List<Meter>> meters = new HashMap<>();
    private final Counter runs;
    private final Counter errors;

    /** Latest absolute values of one service or real server. */
    private static final class Values {
        volatile long[] v = new long[7];
    }

    public IpvsMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.runs = Counter.builder("jkeepalived_lvs_reconcile_runs").description("LVS reconcile passes").register(registry);
        this.errors = Counter.builder("jkeepalived_lvs_reconcile_errors").description("LVS table writes that failed after retry").register(registry);
    }

    /** Label value for a service: "10.0.0.1:80", "[2001:db8::1]:80", "fwm:5". */
    public static String addr(ServiceKey k) {
        return k.isFwmark() ? "fwm:" + k.fwmark() : IpvsSemantics.hostPort(k.address(), k.port());
    }

    /** The IP protocol number, as the exporter labels it. */
    public static String proto(ServiceKey k) {
        if (k.isFwmark()) return "0";
        switch (k.protocol()) {
            case TCP: return "6";
            case UDP: return "17";
            default: return "132";
        }
    }

    /** Replace the values with a fresh readStats(); series of vanished services/servers are removed. */
    public synchronized void update(List<LvsBackend.ServiceStats> stats) {
        Set<Tags> seenVip = new HashSet<>();
        Set<Tags> seenRs = new HashSet<>();
        for (LvsBackend.ServiceStats s : stats) {
            String addr = addr(s.service());
            String proto = proto(s.service());
            Tags vt = Tags.of("addr", addr, "proto", proto);
            seenVip.add(vt);
            long[] v = values(s.counters(), 0, 0);
            values(vips, vt, VIP).v = v;
            for (LvsBackend.DestinationStats d : s.destinations()) {
                Tags rt = Tags.of("addr", IpvsSemantics.hostPort(d.destination().address(), d.destination().port()), "proto", proto, "vip", addr);
                seenRs.add(rt);
                values(rss, rt, RS).v = values(d.counters(), d.activeConns(), d.inactiveConns());
            }
        }
        retain(vips, seenVip);
        retain(rss, seenRs);
    }

    public void recordReconcile(ReconcileResult r) {
        runs.increment();
        for (var op : r.applied()) {
            registry.counter("jkeepalived_lvs_reconcile_operations", "op", opName(op)).increment();
        }
        if (!r.failures().isEmpty()) errors.increment(r.failures().size());
    }

    private static String opName(LvsOp op) {
        if (op instanceof LvsOp.AddService) return "add_service";
        if (op instanceof LvsOp.EditService) return "edit_service";
        if (op instanceof LvsOp.DeleteService) return "delete_service";
        if (op instanceof LvsOp.AddDestination) return "add_destination";
        if (op instanceof LvsOp.EditDestination) return "edit_destination";
        return "delete_destination";
    }

    private static long[] values(LvsBackend.Counters c, int active, int inactive) {
        return new long[] {c.conns(), c.inPackets(), c.outPackets(), c.inBytes(), c.outBytes(), active, inactive};
    }

    private Values values(Map<Tags, Values> map, Tags tags, String[] names) {
        Values existing = map.get(tags);
        if (existing != null) return existing;
        Values v = new Values();
        map.put(tags, v);
        List<Meter> ms = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            final int idx = i;
            ms.add(Gauge.builder(names[i], v, x -> x.v[idx]).tags(tags).strongReference(true).register(registry));
        }
        meters.put(tags, ms);
        return v;
    }

    private void retain(Map<Tags, Values> map, Set<Tags> seen) {
        for (Tags t : new ArrayList<>(map.keySet())) {
            if (seen.contains(t)) continue;
            map.remove(t);
            List<Meter> ms = meters.remove(t);
            if (ms != null) ms.forEach(registry::remove);
        }
    }
}
