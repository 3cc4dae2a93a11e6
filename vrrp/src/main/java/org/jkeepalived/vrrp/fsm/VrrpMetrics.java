package org.jkeepalived.vrrp.fsm;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jkeepalived.core.config.VrrpState;
import org.jkeepalived.vrrp.codec.RejectReason;

/**
 * VRRP meters under the names the common keepalived exporters use, so dashboards and alerts keep
 * working. Counters are registered without the {@code _total} suffix, which the Prometheus registry
 * appends: {@code keepalived_advert_sent} is scraped as {@code keepalived_advert_sent_total}.
 * Every meter carries {@code iname}, {@code intf}, {@code vrid}.
 * <ul>
 * <li>gauges: {@code keepalived_vrrp_state} (0 INIT, 1 BACKUP, 2 MASTER, 3 FAULT; STOP shows 0), one
 *     series per VIP with {@code ip_address} and the VIP's interface as {@code intf}, as the exporter
 *     makes it (see {@link Instance#setVips}); {@code keepalived_vrrp_priority},
 *     {@code keepalived_vrrp_effective_priority}</li>
 * <li>counters: {@code keepalived_advert_rcvd}, {@code keepalived_advert_sent},
 *     {@code keepalived_become_master}, {@code keepalived_release_master},
 *     {@code keepalived_pri_zero_rcvd}, {@code keepalived_pri_zero_sent} and one per
 *     {@link RejectReason}: {@code keepalived_<statName>} (e.g. {@code keepalived_packet_len_err})</li>
 * </ul>
 * Packets rejected before they reach an instance (bad checksum, unknown VRID) are counted with
 * {@link #interfaceErrors(String)}: same names, {@code iname=""} and {@code vrid=""}.
 */
public final class VrrpMetrics {
    private final MeterRegistry registry;

    public VrrpMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The meters of one instance (call once per instance; registering twice returns the same meters). */
    public Instance instance(String iname, String intf, int vrid, int basePriority) {
        return new Instance(iname, Integer.toString(vrid),
                Tags.of("iname", iname, "intf", intf == null ? "" : intf, "vrid", Integer.toString(vrid)), basePriority);
    }

    /** Error counters for packets that could not be attributed to an instance on this interface. */
    public Instance interfaceErrors(String intf) {
        return new Instance("", "", Tags.of("iname", "", "intf", intf == null ? "" : intf, "vrid", ""), 0);
    }

    /** A VIP as keepalived_vrrp_state labels it: its address and the interface it is on. */
    public record VipLabel(String ipAddress, String intf) {}

    public final class Instance {
        private final AtomicInteger state = new AtomicInteger(VrrpState.INIT.number);
        private final String iname;
        private final String vrid;
        private final Map<VipLabel, Gauge> stateByVip = new java.util.LinkedHashMap<>();
        private final AtomicInteger priority = new AtomicInteger();
        private final AtomicInteger effectivePriority = new AtomicInteger();
        private final Counter advertRcvd;
        private final Counter advertSent;
        private final Counter becomeMaster;
        private final Counter releaseMaster;
        private final Counter priZeroRcvd;
        private final Counter priZeroSent;
        private final Map<RejectReason, Counter> errors = new EnumMap<>(RejectReason.class);
        /** Every meter registered here except the per-VIP state gauges (those are in stateByVip). */
        private final List<Meter> own = new java.util.ArrayList<>();

        private Instance(String iname, String vrid, Tags tags, int basePriority) {
            this.iname = iname;
            this.vrid = vrid;
            priority.set(basePriority);
            effectivePriority.set(basePriority);
            own.add(Gauge.builder("keepalived_vrrp_priority", priority, AtomicInteger::get)
                    .description("configured priority").tags(tags).register(registry));
            own.add(Gauge.builder("keepalived_vrrp_effective_priority", effectivePriority, AtomicInteger::get)
                    .description("priority after tracking").tags(tags).register(registry));
            advertRcvd = counter("keepalived_advert_rcvd", tags);
            advertSent = counter("keepalived_advert_sent", tags);
            becomeMaster = counter("keepalived_become_master", tags);
            releaseMaster = counter("keepalived_release_master", tags);
            priZeroRcvd = counter("keepalived_pri_zero_rcvd", tags);
            priZeroSent = counter("keepalived_pri_zero_sent", tags);
            for (RejectReason r : RejectReason.values()) errors.put(r, counter("keepalived_" + r.statName, tags));
        }

        /**
         * The instance's VIPs (at start and on reload): one keepalived_vrrp_state series per VIP,
         * labelled {@code iname, intf, vrid, ip_address} as mehdy/keepalived-exporter labels them;
         * series of VIPs no longer configured are removed.
         */
        public synchronized void setVips(List<VipLabel> vips) {
            for (var it = stateByVip.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (!vips.contains(e.getKey())) {
                    registry.remove(e.getValue());
                    it.remove();
                }
            }
            for (VipLabel v : vips) {
                stateByVip.computeIfAbsent(v, k -> Gauge.builder("keepalived_vrrp_state", state, AtomicInteger::get)
                        .description("VRRP state: 0 INIT, 1 BACKUP, 2 MASTER, 3 FAULT")
                        .tags(Tags.of("iname", iname, "intf", k.intf(), "vrid", vrid, "ip_address", k.ipAddress()))
                        .register(registry));
            }
        }

        private Counter counter(String name, Tags tags) {
            Counter c = Counter.builder(name).tags(tags).register(registry);
            own.add(c);
            return c;
        }

        /**
         * Takes every series of this instance out of the registry (an instance a reload removed or
         * renamed): the exporters stop showing an instance keepalived no longer runs, and a stale
         * keepalived_vrrp_state must not keep a MASTER alive on a dashboard.
         */
        public synchronized void remove() {
            for (Meter m : own) registry.remove(m);
            own.clear();
            setVips(List.of());
        }

        /** Counts what a batch of state-machine actions means (call with every returned list). */
        public void record(List<Action> actions) {
            for (Action a : actions) {
                if (a instanceof Action.SendAdvert) {
                    advertSent.increment();
                    if (((Action.SendAdvert) a).priority() == 0) priZeroSent.increment();
                } else if (a instanceof Action.AdvertReceived) {
                    advertRcvd.increment();
                    if (((Action.AdvertReceived) a).priority() == 0) priZeroRcvd.increment();
                } else if (a instanceof Action.StateChanged) {
                    Action.StateChanged sc = (Action.StateChanged) a;
                    setState(sc.to());
                    if (sc.to() == VrrpState.MASTER) becomeMaster.increment();
                    if (sc.from() == VrrpState.MASTER) releaseMaster.increment();
                } else if (a instanceof Action.PacketRejected) {
                    RejectReason r = ((Action.PacketRejected) a).reason();
                    errors.get(r).increment();
                    // keepalived 2.2.7 counts these adverts as received too (observed in its stats)
                    if (r == RejectReason.ADDR_LIST_ERR) advertRcvd.increment();
                }
            }
        }

        /** Sets the state and effective-priority gauges from the state machine. */
        public void update(VrrpInstanceFsm fsm) {
            setState(fsm.state());
            effectivePriority.set(fsm.effectivePriority());
        }

        /** A packet rejected by the codec (or the dispatcher) for this instance / interface. */
        public void packetError(RejectReason reason) {
            errors.get(reason).increment();
        }

        public void setState(VrrpState s) {
            state.set(s == VrrpState.STOP ? VrrpState.INIT.number : s.number);
        }

        public void setEffectivePriority(int p) {
            effectivePriority.set(p);
        }

        public void setPriority(int p) {
            priority.set(p);
        }
    }
}
