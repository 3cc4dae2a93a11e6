package org.jkeepalived.vrrp.fsm;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jkeepalived.core.config.VrrpState;
import org.jkeepalived.vrrp.codec.VrrpPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * vrrp_sync_group: its member instances move together, as keepalived does it.
 * <ul>
 * <li>One member in FAULT takes every member to FAULT; they leave FAULT (to BACKUP, or MASTER for
 *     an address owner) only when no member has a fault of its own any more.</li>
 * <li>A member whose Master_Down_Timer expires becomes MASTER only when every other member wants
 *     to as well (its own timer expired too) or already is; otherwise it stays BACKUP and waits
 *     another Master_Down_Interval (keepalived prefers backup to avoid thrashing). When one member
 *     becomes MASTER the others follow.</li>
 * <li>A member leaving MASTER for BACKUP (higher-priority advert) takes the other masters to BACKUP.</li>
 * </ul>
 * Drive member events through the group's methods instead of the member's. Each call returns the
 * actions per member (in order) plus the group's own {@link Action.Notify}
 * ({@code GROUP name state 0}) when the group's state changes.
 */
public final class VrrpSyncGroupFsm {
    private static final Logger log = LoggerFactory.getLogger(VrrpSyncGroupFsm.class);

    /** Actions of one call: per member instance name, in the order to execute, then the group's. */
    public record GroupActions(Map<String, List<Action>> byInstance, List<Action> group) {
        /** All actions of one member (empty if none). */
        public List<Action> of(String instance) {
            return byInstance.getOrDefault(instance, List.of());
        }
    }

    private final String name;
    private final Map<String, VrrpInstanceFsm> members = new LinkedHashMap<>();
    private VrrpState state = VrrpState.INIT;

    public VrrpSyncGroupFsm(String name, List<VrrpInstanceFsm> instances) {
        this.name = name;
        for (VrrpInstanceFsm m : instances) {
            if (m.group != null) throw new IllegalArgumentException(m.name() + " is already in sync group " + m.group.name);
            members.put(m.name(), m);
            m.group = this;
        }
    }

    /**
     * Reload: a group over members that are already running, starting from the group state it had
     * before (null: the state its members say), so rebuilding an unchanged group notifies nothing.
     */
    public VrrpSyncGroupFsm(String name, List<VrrpInstanceFsm> instances, VrrpState previous) {
        this(name, instances);
        boolean anyInit = members.values().stream().anyMatch(m -> m.state() == VrrpState.INIT);
        state = previous != null ? previous : anyInit ? VrrpState.INIT : aggregate();
    }

    /** Reload: the members leave the group (they can join a new one). */
    public void dissolve() {
        for (VrrpInstanceFsm m : members.values()) {
            if (m.group == this) m.group = null;
        }
        members.clear();
    }

    /**
     * Reload: starts one new member while the others run; it starts in FAULT if another member is
     * in FAULT, and its transition carries the others along as usual.
     */
    public GroupActions startMember(String member, long now) {
        VrrpInstanceFsm m = member(member);
        boolean othersFaulted = members.values().stream().anyMatch(o -> o != m && o.state() == VrrpState.FAULT);
        if (othersFaulted) m.setSyncFault(true);
        return run(member, now, x -> x.start(now));
    }

    /** ctl handoff on a member: every MASTER member resigns (priority 0, VIPs released, BACKUP). */
    public GroupActions resign(long now, String reason) {
        Map<String, List<Action>> out = new LinkedHashMap<>();
        for (VrrpInstanceFsm m : members.values()) add(out, m, m.resign(now, reason));
        return finish(out);
    }

    public String name() {
        return name;
    }

    /** INIT, BACKUP, MASTER, FAULT or STOP: FAULT if any member is, MASTER when all are, else BACKUP. */
    public VrrpState state() {
        return state;
    }

    public List<VrrpInstanceFsm> members() {
        return List.copyOf(members.values());
    }

    public GroupActions start(long now) {
        Map<String, List<Action>> out = new LinkedHashMap<>();
        boolean anyFault = members.values().stream().anyMatch(VrrpInstanceFsm::trackFault);
        for (VrrpInstanceFsm m : members.values()) {
            if (anyFault) m.setSyncFault(!m.trackFault());
            List<Action> a = m.start(now);
            if (anyFault && !m.trackFault()) {
                // keepalived: a member in FAULT only because of its group starts so silently; the
                // group's own notify says it (no notify_fault, no FIFO line for the healthy member)
                a = new ArrayList<>(a);
                a.removeIf(x -> x instanceof Action.Notify);
            }
            add(out, m, a);
            propagate(now, m, a, out);
        }
        return finish(out);
    }

    public GroupActions onAdvert(String member, long now, VrrpPacket p, InetAddress source) {
        return run(member, now, m -> m.onAdvert(now, p, source));
    }

    public GroupActions onTimer(String member, long now) {
        return run(member, now, m -> m.onTimer(now));
    }

    public GroupActions onFault(String member, long now) {
        return run(member, now, m -> m.onFault(now));
    }

    public GroupActions onFaultCleared(String member, long now) {
        VrrpInstanceFsm m = member(member);
        boolean othersFaulted = members.values().stream().anyMatch(o -> o != m && o.trackFault());
        // Stay in FAULT while another member still has its own fault.
        m.setSyncFault(othersFaulted);
        GroupActions r = run(member, now, x -> x.onFaultCleared(now));
        if (!othersFaulted) {
            Map<String, List<Action>> out = new LinkedHashMap<>(r.byInstance());
            for (VrrpInstanceFsm o : members.values()) {
                if (o == m) continue;
                List<Action> a = o.syncFaultCleared(now);
                add(out, o, a);
            }
            return finish(out, r.group());
        }
        return r;
    }

    public GroupActions onPriorityChange(String member, long now, int effectivePriority) {
        return run(member, now, m -> m.onPriorityChange(now, effectivePriority));
    }

    /** See {@link VrrpInstanceFsm#onTracking}: priority, then FAULT entered or left, with group propagation. */
    public GroupActions onTracking(String member, long now, int effectivePriority, boolean fault) {
        VrrpInstanceFsm m = member(member);
        GroupActions prio = onPriorityChange(member, now, effectivePriority);
        GroupActions f;
        if (fault && !m.trackFault()) {
            f = onFault(member, now);
        } else if (!fault && m.trackFault()) {
            f = onFaultCleared(member, now);
        } else {
            return prio;
        }
        Map<String, List<Action>> out = new LinkedHashMap<>();
        prio.byInstance().forEach((k, v) -> out.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        f.byInstance().forEach((k, v) -> out.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        List<Action> g = new ArrayList<>(prio.group());
        g.addAll(f.group());
        Map<String, List<Action>> frozen = new LinkedHashMap<>();
        out.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return new GroupActions(Collections.unmodifiableMap(frozen), List.copyOf(g));
    }

    public GroupActions shutdown(long now) {
        Map<String, List<Action>> out = new LinkedHashMap<>();
        for (VrrpInstanceFsm m : members.values()) add(out, m, m.shutdown(now));
        return finish(out);
    }

    /** Called by a member before it becomes MASTER. */
    boolean mayBecomeMaster(VrrpInstanceFsm who) {
        for (VrrpInstanceFsm m : members.values()) {
            if (m == who) continue;
            if (m.state() == VrrpState.MASTER || m.wantsMaster()) continue;
            if (m.state() == VrrpState.INIT && m.settings().addressOwner()) continue; // starting owner
            return false;
        }
        return true;
    }

    private GroupActions run(String member, long now, Function<VrrpInstanceFsm, List<Action>> event) {
        VrrpInstanceFsm m = member(member);
        Map<String, List<Action>> out = new LinkedHashMap<>();
        List<Action> a = event.apply(m);
        add(out, m, a);
        propagate(now, m, a, out);
        return finish(out);
    }

    private void propagate(long now, VrrpInstanceFsm cause, List<Action> actions, Map<String, List<Action>> out) {
        for (Action a : actions) {
            if (!(a instanceof Action.StateChanged)) continue;
            Action.StateChanged sc = (Action.StateChanged) a;
            String why = "sync group " + name + " (" + cause.name() + ")";
            for (VrrpInstanceFsm o : members.values()) {
                if (o == cause) continue;
                if (sc.to() == VrrpState.FAULT) {
                    add(out, o, o.syncToFault(now, why));
                } else if (sc.to() == VrrpState.MASTER) {
                    add(out, o, o.syncToMaster(now, why));
                } else if (sc.to() == VrrpState.BACKUP && sc.from() == VrrpState.MASTER) {
                    add(out, o, o.syncToBackup(now, why));
                }
            }
        }
    }

    private GroupActions finish(Map<String, List<Action>> out) {
        return finish(out, List.of());
    }

    private GroupActions finish(Map<String, List<Action>> out, List<Action> earlier) {
        List<Action> g = new ArrayList<>(earlier);
        VrrpState now = aggregate();
        if (now != state) {
            log.info("({}) Syncing instances to {} state", name, now);
            state = now;
            g.add(new Action.Notify(Action.Target.GROUP, name, now, 0));
        }
        Map<String, List<Action>> frozen = new LinkedHashMap<>();
        out.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return new GroupActions(Collections.unmodifiableMap(frozen), List.copyOf(g));
    }

    private VrrpState aggregate() {
        boolean allMaster = true;
        boolean allStop = true;
        boolean anyInit = false;
        for (VrrpInstanceFsm m : members.values()) {
            if (m.state() == VrrpState.FAULT) return VrrpState.FAULT;
            allMaster &= m.state() == VrrpState.MASTER;
            allStop &= m.state() == VrrpState.STOP;
            anyInit |= m.state() == VrrpState.INIT;
        }
        if (allStop) return VrrpState.STOP;
        if (allMaster) return VrrpState.MASTER;
        if (anyInit) return state;
        return VrrpState.BACKUP;
    }

    private static void add(Map<String, List<Action>> out, VrrpInstanceFsm m, List<Action> a) {
        if (a.isEmpty()) return;
        out.computeIfAbsent(m.name(), k -> new ArrayList<>()).addAll(a);
    }

    private VrrpInstanceFsm member(String n) {
        VrrpInstanceFsm m = members.get(n);
        if (m == null) throw new IllegalArgumentException("no instance " + n + " in sync group " + name);
        return m;
    }
}
