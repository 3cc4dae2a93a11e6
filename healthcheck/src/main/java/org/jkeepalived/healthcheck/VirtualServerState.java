package org.jkeepalived.healthcheck;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jkeepalived.core.config.RealServer;
import org.jkeepalived.core.config.ScriptSpec;
import org.jkeepalived.core.config.VirtualServer;
import org.jkeepalived.core.table.Destination;
import org.jkeepalived.core.table.ServiceKey;
import org.jkeepalived.core.table.TableChange;
import org.jkeepalived.core.table.VirtualService;

/**
 * One virtual_server's real servers, quorum and sorry server, as keepalived decides them; pure:
 * it is told which real servers are alive and with which weight, and answers with table changes,
 * scripts to run and log lines through {@link Effects}.
 *
 * <p>Rules (keepalived 2.2.7): a real server is in the table while alive (at its effective
 * weight); when down it is removed, or kept at weight 0 with inhibit_on_failure. The live weight
 * sum decides quorum: lost when the sum is 0 or below quorum − hysteresis, regained at
 * quorum + hysteresis or more. With a sorry_server, losing quorum removes the real servers and adds
 * the sorry server; regaining quorum reverses that. quorum_up / quorum_down run on each change.
 */
public final class VirtualServerState {

    /** Where decisions go. */
    public interface Effects {
        void change(TableChange change);

        /** Run a notify / quorum script (argument-less as keepalived: the configured words only). */
        void script(ScriptSpec script, String why);

        void log(String line);

        default void quorumChanged(boolean up) {}

        /** A real server went up or down (rsLabel as keepalived prints it); when its notify_up/down would run. */
        default void realServerChanged(String rsLabel, boolean up) {}

        /** The virtual server's smtp_alert is due (quorum up or down) with keepalived's body for it. */
        default void quorumAlert(boolean up, String body) {}

        /** The smtp_alert of the real server at this index, taken down by a reload or an omega stop. */
        default void realServerAlert(int index, String body) {}
    }

    /** A real server's live state as the checkers report it. */
    public static final class Member {
        final RealServer rs;
        final Destination base;
        boolean alive;
        int weight;

        Member(RealServer rs, Destination base, boolean alive) {
            this.rs = rs;
            this.base = base;
            this.alive = alive;
            this.weight = rs.weight();
        }

        public RealServer realServer() { return rs; }

        public boolean alive() { return alive; }

        public int weight() { return weight; }
    }

    private final VirtualServer vs;
    private final List<ServiceKey> keys;
    private final VirtualService template;
    private final List<Member> members = new ArrayList<>();
    private final Member sorry;
    private final Effects fx;
    private final String protoLabel;
    private boolean quorumUp = true;
    /** A first start (no quorum state carried over from before a reload). */
    private final boolean fresh;
    private boolean started;
    /** What this virtual server's destinations currently are in the emitted table. */
    private final Map<Destination.DestinationKey, Destination> current = new LinkedHashMap<>();
    private final Map<Destination.DestinationKey, Member> byKey = new java.util.HashMap<>();
    private long live;

    public VirtualServerState(VirtualServer vs, List<ServiceKey> keys, List<Boolean> initiallyAlive, Effects fx) {
        this(vs, keys, initiallyAlive, null, fx);
    }

    /**
     * With the quorum state carried over from before a reload (so its scripts do not run again), or
     * null for a first start: then, as keepalived, quorum is up when the live weight reaches
     * quorum + hysteresis, which runs quorum_up (and the FIFO's VS UP line); short of it, with a sorry
     * server, the start is "with quorum down" (quorum_down, sorry server in).
     */
    public VirtualServerState(VirtualServer vs, List<ServiceKey> keys, List<Boolean> initiallyAlive,
                              Boolean inheritedQuorumUp, Effects fx) {
        this.fresh = inheritedQuorumUp == null;
        this.quorumUp = inheritedQuorumUp == null || inheritedQuorumUp;
        this.vs = vs;
        this.keys = List.copyOf(keys);
        this.fx = fx;
        this.protoLabel = vs.protocol() == null ? "tcp" : vs.protocol().name().toLowerCase();
        for (int i = 0; i < vs.realServers().size(); i++) {
            RealServer rs = vs.realServers().get(i);
            Member m = new Member(rs, destination(rs), initiallyAlive.get(i));
            members.add(m);
            byKey.putIfAbsent(m.base.key(), m);
            if (m.alive) live += m.weight;
        }
        this.sorry = vs.sorryServer() == null ? null : new Member(vs.sorryServer(), destination(vs.sorryServer()), true);
        int timeout = vs.persistenceTimeout() == null ? 0 : (int) vs.persistenceTimeout().toSeconds();
        this.template = new VirtualService(keys.isEmpty() ? null : keys.get(0), vs.lvsSched() == null ? "wlc" : vs.lvsSched(),
                vs.schedFlags(), vs.ops(), timeout, vs.persistenceGranularity(), vs.persistenceEngine(), List.of());
    }

    private Destination destination(RealServer rs) {
        int port = rs.portIn(vs);
        return new Destination(rs.address(), port, rs.lvsMethod() != null ? rs.lvsMethod() : vs.lvsMethod(),
                rs.weight(), rs.uthreshold() == null ? 0 : rs.uthreshold(),
                rs.lthreshold() == null ? 0 : rs.lthreshold(), rs.tunnel() != null ? rs.tunnel() : vs.tunnel());
    }

    public VirtualServer virtualServer() { return vs; }

    public List<ServiceKey> keys() { return keys; }

    public List<Member> members() { return List.copyOf(members); }

    public boolean quorumUp() { return quorumUp; }

    /** Emit the services with their initial destinations, then settle quorum. */
    public void start() {
        if (started) return;
        started = true;
        int q = vs.quorum(), h = vs.hysteresis();
        if (fresh) quorumUp = live > 0 && live >= q + h;
        Map<Destination.DestinationKey, Destination> want = desired();
        current.putAll(want);
        for (ServiceKey k : keys) {
            fx.change(new TableChange.AddService(k, new VirtualService(k, template.scheduler(), template.schedFlags(),
                    template.ops(), template.persistenceTimeoutSeconds(), template.persistenceNetmask(),
                    template.persistenceEngine(), List.copyOf(want.values()))));
        }
        for (Destination d : want.values()) {
            Member m = byKey.get(d.key());
            boolean inhibited = m != null ? !m.alive : vs.sorryServerInhibit();
            boolean disabled = d.weight() == 0 && inhibited;
            fx.log((disabled ? "Disabling " : "Adding ") + (m == null ? "sorry server " : "service ")
                    + rsLabel(d) + (disabled ? " from VS " : " to VS ") + vs.label());
        }
        if (!fresh) {
            if (evaluateQuorum()) reconcileAll();
        } else if (quorumUp) {
            quorumNow(true, true, q + h, "Gained quorum " + q + "+" + h + "=" + (q + h) + " <= " + live);
        } else if (sorry != null) {
            quorumNow(false, true, q + h, "Starting with quorum down " + q + "+" + h + "=" + (q + h) + " > " + live);
        }
    }

    /**
     * Quorum is (now) up or down: keepalived's log line, quorum_up or quorum_down, the listeners, and
     * the mail, whose body keepalived writes as "q+h=threshold <= live weight" whichever way it went.
     */
    private void quorumNow(boolean up, boolean starting, long threshold, String why) {
        quorumUp = up;
        fx.log(why + " for VS " + vs.label());
        ScriptSpec s = up ? vs.quorumUp() : vs.quorumDown();
        if (s != null) fx.script(s, (up ? "quorum_up" : "quorum_down") + " for VS " + vs.label());
        fx.quorumChanged(up);
        String event = up ? (starting ? "Starting with quorum up" : "Gained quorum")
                : (starting ? "Starting with quorum down" : "Lost quorum");
        fx.quorumAlert(up, "=> " + event + " " + vs.quorum() + "+" + vs.hysteresis() + "=" + threshold + " <= " + live + " <=");
    }

    /** Before {@link #start()}: correct a real server's initial state (no scripts, nothing emitted). */
    public void initial(int index, boolean alive, int weight) {
        if (started) throw new IllegalStateException("already started");
        Member m = members.get(index);
        if (m.alive) live -= m.weight;
        m.alive = alive;
        m.weight = Math.max(0, weight);
        if (m.alive) live += m.weight;
    }

    /** A real server's checkers settled on alive/dead and an effective weight. */
    public void update(int index, boolean alive, int weight) {
        Member m = members.get(index);
        boolean wasAlive = m.alive;
        if (m.alive) live -= m.weight;
        m.alive = alive;
        m.weight = Math.max(0, weight);
        if (m.alive) live += m.weight;
        if (wasAlive != alive) {
            ScriptSpec s = alive ? m.rs.notifyUp() : m.rs.notifyDown();
            if (s != null) fx.script(s, (alive ? "notify_up" : "notify_down") + " for " + rsLabel(m.base));
            fx.realServerChanged(rsLabel(m.base), alive);
        }
        if (!started) return;
        // a quorum change moves every server (sorry server in or out); otherwise only this one moves
        if (evaluateQuorum()) reconcileAll();
        else reconcileOne(m);
    }

    /**
     * Reload: this set is replaced. keepalived notifies a live real server the new configuration no
     * longer has (notify_down and the FIFO line, omega or not) and leaves the others alone.
     */
    public void retire(java.util.function.Predicate<Destination> kept) {
        for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            if (!m.alive || kept.test(m.base)) continue;
            if (m.rs.notifyDown() != null) fx.script(m.rs.notifyDown(), "notify_down for " + rsLabel(m.base) + " (removed)");
            fx.realServerChanged(rsLabel(m.base), false);
            fx.realServerAlert(i, "=> Removing <=");
        }
    }

    /** On shutdown with omega: run the down notifiers of live servers and quorum_down, and mail them down. */
    public void shutdown() {
        if (!vs.omega()) return;
        for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            if (!m.alive) continue;
            if (m.rs.notifyDown() != null) fx.script(m.rs.notifyDown(), "notify_down (omega) for " + rsLabel(m.base));
            fx.realServerAlert(i, "=> Shutting down <=");
        }
        if (quorumUp && vs.quorumDown() != null) fx.script(vs.quorumDown(), "quorum_down (omega) for VS " + vs.label());
        // keepalived mails the virtual server down at an omega stop whatever its quorum was
        fx.quorumAlert(false, "=> Shutting down <=");
    }

    /** Sum of the weights of live real servers. */
    public long liveWeight() {
        return live;
    }

    /** Apply keepalived's quorum rule with hysteresis; true when the quorum state flipped. */
    private boolean evaluateQuorum() {
        long sum = live;
        int q = vs.quorum(), h = vs.hysteresis();
        if (quorumUp && (sum == 0 || sum < q - h)) {
            quorumNow(false, false, q - h, "Lost quorum " + q + "-" + h + "=" + (q - h) + " > " + sum);
            return true;
        }
        if (!quorumUp && sum >= q + h && sum > 0) {
            quorumNow(true, false, q + h, "Gained quorum " + q + "+" + h + "=" + (q + h) + " <= " + sum);
            return true;
        }
        return false;
    }

    private void reconcileAll() {
        Map<Destination.DestinationKey, Destination> want = desired();
        // additions and re-weights first, removals last: the service is never emptier than needed
        for (Destination d : want.values()) put(d);
        for (Destination had : List.copyOf(current.values())) {
            if (!want.containsKey(had.key())) remove(had);
        }
    }

    private void reconcileOne(Member m) {
        Destination d = desiredOf(m);
        if (d != null) put(d);
        else {
            Destination had = current.get(m.base.key());
            if (had != null) remove(had);
        }
    }

    private void put(Destination d) {
        Destination had = current.get(d.key());
        if (d.equals(had)) return;
        current.put(d.key(), d);
        String why = describe(had, d);
        fx.log(why);
        for (ServiceKey k : keys) fx.change(new TableChange.UpsertDestination(k, d, why));
    }

    private void remove(Destination had) {
        current.remove(had.key());
        String why = "Removing " + (isSorry(had) ? "sorry server " : "service ") + rsLabel(had) + " from VS " + vs.label();
        fx.log(why);
        for (ServiceKey k : keys) fx.change(new TableChange.RemoveDestination(k, had.key(), why));
    }

    private String describe(Destination had, Destination d) {
        String what = isSorry(d) ? "sorry server " : "service ";
        Member m = byKey.get(d.key());
        if (had == null) return "Adding " + what + rsLabel(d) + " to VS " + vs.label();
        if (had.weight() != 0 && d.weight() == 0 && m != null && !m.alive) {
            return "Disabling " + what + rsLabel(d) + " from VS " + vs.label();
        }
        if (had.weight() == 0 && d.weight() > 0) return "Enabling " + what + rsLabel(d) + " to VS " + vs.label();
        return "Changing weight from " + had.weight() + " to " + d.weight() + " for " + what + rsLabel(d) + " of VS " + vs.label();
    }

    private boolean isSorry(Destination d) {
        return sorry != null && sorry.base.key().equals(d.key()) && !byKey.containsKey(d.key());
    }

    /** What one real server should be in the table now (null: absent). */
    private Destination desiredOf(Member m) {
        // quorum lost with a sorry server: the real servers leave, but an inhibit_on_failure one is
        // set to weight 0 (keepalived's removal is a weight-0 edit for them): its connections go on
        if (sorry != null && !quorumUp) return m.rs.inhibitOnFailure() ? m.base.withWeight(0) : null;
        if (m.alive) return m.base.withWeight(m.weight);
        if (m.rs.inhibitOnFailure()) return m.base.withWeight(0);
        return null;
    }

    /** The destinations this virtual server should have now. */
    private Map<Destination.DestinationKey, Destination> desired() {
        Map<Destination.DestinationKey, Destination> want = new LinkedHashMap<>();
        for (Member m : members) {
            Destination d = desiredOf(m);
            if (d != null) want.put(d.key(), d);
        }
        if (sorry != null) {
            if (!quorumUp) want.put(sorry.base.key(), sorry.base);
            else if (vs.sorryServerInhibit()) want.putIfAbsent(sorry.base.key(), sorry.base.withWeight(0));
        }
        return want;
    }

    /** "[10.0.0.2]:tcp:80" as keepalived prints a real server. */
    public String rsLabel(Destination d) {
        return "[" + host(d) + "]:" + protoLabel + ":" + d.port();
    }

    public String rsLabel(int index) {
        return rsLabel(members.get(index).base);
    }

    private static String host(Destination d) {
        String h = d.address().getHostAddress();
        int pct = h.indexOf('%');
        return pct >= 0 ? h.substring(0, pct) : h;
    }

    /** The destinations currently emitted (for snapshots and tests). */
    public List<Destination> destinations() {
        return List.copyOf(current.values());
    }

    /** Is this address:port currently in this virtual server's table? */
    public boolean inTable(java.net.InetAddress address, int port) {
        return current.containsKey(new Destination.DestinationKey(address, port));
    }

    /** This virtual server's services as the table should hold them now. */
    public List<VirtualService> services() {
        List<Destination> ds = List.copyOf(current.values());
        List<VirtualService> out = new ArrayList<>(keys.size());
        for (ServiceKey k : keys) {
            out.add(new VirtualService(k, template.scheduler(), template.schedFlags(), template.ops(),
                    template.persistenceTimeoutSeconds(), template.persistenceNetmask(), template.persistenceEngine(), ds));
        }
        return out;
    }

    @Override public String toString() {
        return "VirtualServerState" + Objects.toString(vs.label());
    }
}
