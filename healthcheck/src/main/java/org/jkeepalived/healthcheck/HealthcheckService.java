package org.jkeepalived.healthcheck;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jkeepalived.core.config.Checker;
import org.jkeepalived.core.config.CheckerCommon;
import org.jkeepalived.core.config.GlobalDefs;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.config.RealServer;
import org.jkeepalived.core.config.ScriptSpec;
import org.jkeepalived.core.config.VirtualServer;
import org.jkeepalived.core.smtp.SmtpAlerter;
import org.jkeepalived.core.table.DesiredTable;
import org.jkeepalived.core.table.ServiceKey;
import org.jkeepalived.core.table.TableChange;
import org.jkeepalived.core.time.MonotonicClock;
import org.jkeepalived.healthcheck.check.NettyProbeFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived's checker process: runs every real server's checkers, decides which real servers are
 * in each virtual service and publishes the result as {@link TableChange}s (and a current
 * {@link DesiredTable}). It never talks to IPVS.
 *
 * <p>Threading: all decisions run on one {@link Scheduler} (an event loop of the group handed in);
 * probes run on the group's loops, scripts on a small executor.
 */
public final class HealthcheckService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthcheckService.class);

    private final KeepalivedConfig config;
    private final Scheduler scheduler;
    private final MonotonicClock clock;
    private final Random random;
    private final ProbeFactory probeFactory;
    private final ScriptRunner scripts;
    private final boolean ownsScripts;
    private final boolean ownsProbes;
    private final Duration scriptTimeout;
    private final HealthcheckMetrics metrics;
    private final org.jkeepalived.healthcheck.bfd.BfdService bfd;
    /** smtp_alert: mails go through this (null: no mail from this set). */
    private final SmtpAlerter smtp;
    private final GlobalDefs.SmtpAlerts smtpSettings;
    private final List<HealthcheckListener> listeners = new CopyOnWriteArrayList<>();
    private final java.util.Set<CompletableFuture<Integer>> pendingScripts = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final List<VsRuntime> virtualServers = new ArrayList<>();
    private final Map<ServiceKey, VsRuntime> byKey = new HashMap<>();
    private volatile boolean started;
    private volatile boolean stopped;
    /** Set when a reload replaces this set: see {@link #closeReplacedBy}. */
    private volatile HealthcheckService successor;

    private HealthcheckService(Builder b) {
        this.config = Objects.requireNonNull(b.config, "config");
        this.clock = b.clock != null ? b.clock : MonotonicClock.SYSTEM;
        this.random = b.random != null ? b.random : new Random();
        this.scriptTimeout = b.scriptTimeout != null ? b.scriptTimeout : Duration.ofSeconds(30);
        this.ownsScripts = b.scriptRunner == null;
        this.scripts = b.scriptRunner != null ? b.scriptRunner : new ScriptRunner(4,
                org.jkeepalived.core.config.ScriptPolicy.of(config.globalDefs()));
        if (b.scheduler != null) this.scheduler = b.scheduler;
        else this.scheduler = new EventLoopScheduler(Objects.requireNonNull(b.group, "eventLoopGroup or scheduler").next());
        this.ownsProbes = b.probeFactory == null;
        this.probeFactory = b.probeFactory != null ? b.probeFactory
                : new NettyProbeFactory(Objects.requireNonNull(b.group, "eventLoopGroup"), scripts, config,
                        org.jkeepalived.healthcheck.check.HttpFetch.DEFAULT_BODY_LIMIT,
                        b.bfd != null ? b.bfd : inheritedBfd(b), b.bfd == null);
        this.metrics = new HealthcheckMetrics(b.registry != null ? b.registry : new SimpleMeterRegistry());
        this.smtp = b.smtp;
        this.smtpSettings = config.globalDefs() != null ? config.globalDefs().smtpAlerts() : GlobalDefs.SmtpAlerts.DEFAULT;
        if (b.listener != null) listeners.add(b.listener);
        // keepalived runs every bfd_instance, used by a BFD_CHECK or not: a peer may want the session
        this.bfd = b.bfd != null ? b.bfd
                : ownsProbes && probeFactory instanceof NettyProbeFactory f ? f.bfdSessions() : null;
        Inherited inherited = b.previous == null ? Inherited.NONE : Inherited.of(b.previous);
        for (VirtualServer vs : config.virtualServers()) {
            VsRuntime v = new VsRuntime(vs, ServiceKeys.of(vs, config), inherited);
            virtualServers.add(v);
            for (ServiceKey k : v.state.keys()) byKey.put(k, v);
        }
    }

    /** A reload keeps the BFD sessions running when the bfd_instances did not change. */
    private static org.jkeepalived.healthcheck.bfd.BfdService inheritedBfd(Builder b) {
        if (b.previous != null && b.previous.ownsProbes && b.previous.probeFactory instanceof NettyProbeFactory f) {
            return f.handOverBfd(b.config);
        }
        return null;
    }

    public static Builder builder(KeepalivedConfig config) {
        return new Builder(config);
    }

    /** The production service: probes on the group, decisions on one of its loops, system clock. */
    public static HealthcheckService create(KeepalivedConfig config, EventLoopGroup group, MeterRegistry registry) {
        return builder(config).eventLoopGroup(group).meterRegistry(registry).build();
    }

    /** The BFD sessions BFD_CHECK reads (states for status pages); null when the config has none. */
    public org.jkeepalived.healthcheck.bfd.BfdService bfd() {
        return bfd;
    }

    public void addListener(HealthcheckListener l) {
        listeners.add(l);
    }

    /** Publish the initial table and start every checker (after its warmup delay). */
    public void start() {
        onLoop(() -> {
            if (started) return;
            started = true;
            for (VsRuntime v : virtualServers) {
                v.state.start();
                v.quorumUp = v.state.quorumUp(); // a first start decides it (it may be down without a sorry server)
                for (RsRuntime r : v.servers) {
                    for (CheckerRuntime c : r.checkers) {
                        schedule(c, c.state.initialDelayNanos(random));
                    }
                }
            }
        });
    }

    /** Stop every checker; with omega, run the down notifiers of live servers and quorum_down. Waits for the loop. */
    public void stop() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        onLoop(() -> {
            try {
                doStop();
            } finally {
                done.complete(null);
            }
        });
        try {
            done.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("healthcheck loop did not confirm the stop: {}", e.toString());
        }
    }

    private void doStop() {
        if (stopped) return;
        stopped = true;
        for (VsRuntime v : virtualServers) {
            for (RsRuntime r : v.servers) {
                for (CheckerRuntime c : r.checkers) {
                    if (c.timer != null) c.timer.cancel();
                    c.probe.close();
                }
            }
            if (!started) continue;
            HealthcheckService next = successor;
            if (next == null) {
                v.state.shutdown();
            } else {
                v.state.retire(d -> next.has(v.vs.label(), d.address(), d.port()));
            }
        }
    }

    /**
     * A reload's end for this set: unlike a stop, omega's notifiers do not run (nothing went down);
     * a live real server that {@code next} no longer has is notified down, as keepalived does.
     */
    public void closeReplacedBy(HealthcheckService next) {
        successor = next;
        close();
    }

    private boolean has(String vsLabel, java.net.InetAddress address, int port) {
        for (VsRuntime v : virtualServers) {
            if (!v.vs.label().equals(vsLabel)) continue;
            for (RealServer rs : v.vs.realServers()) {
                if (rs.address().equals(address) && rs.portIn(v.vs) == port) return true;
            }
        }
        return false;
    }

    /** Stop, let running scripts (omega's notifiers included) finish within the script timeout, release all. */
    @Override public void close() {
        stop();
        CompletableFuture<?>[] running = pendingScripts.toArray(new CompletableFuture<?>[0]);
        try {
            CompletableFuture.allOf(running).get(scriptTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("scripts still running at shutdown: {}", running.length);
        }
        metrics.close();
        if (ownsScripts) scripts.close();
        if (ownsProbes && probeFactory instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                log.debug("closing probes", e);
            }
        }
    }

    /** ha_suspend: pause this virtual server's checks (VRRP is not master for its address). */
    public void suspend(ServiceKey key) {
        VsRuntime v = byKey.get(key);
        if (v == null) return;
        onLoop(() -> {
            if (!v.vs.haSuspend() || v.suspended) return;
            v.suspended = true;
            log.info("Suspending healthchecks of VS {}", v.vs.label());
        });
    }

    /** ha_suspend: resume the checks of this virtual server; checks that came due meanwhile run now. */
    public void resume(ServiceKey key) {
        VsRuntime v = byKey.get(key);
        if (v == null) return;
        onLoop(() -> {
            if (!v.suspended) return;
            v.suspended = false;
            log.info("Resuming healthchecks of VS {}", v.vs.label());
            for (RsRuntime r : v.servers) {
                for (CheckerRuntime c : r.checkers) {
                    if (c.pendingWhileSuspended) {
                        c.pendingWhileSuspended = false;
                        schedule(c, 0);
                    }
                }
            }
        });
    }

    /** Virtual services whose virtual_server has ha_suspend set. */
    public List<ServiceKey> haSuspendServices() {
        List<ServiceKey> out = new ArrayList<>();
        for (VsRuntime v : virtualServers) if (v.vs.haSuspend()) out.addAll(v.state.keys());
        return out;
    }

    /**
     * The table the checkers want now (built on demand: call it when you need it, e.g. once after a
     * burst of {@link HealthcheckListener#onChange} calls, rather than once per change).
     */
    public DesiredTable desiredTable() {
        if (scheduler.inScheduler()) return buildTable();
        CompletableFuture<DesiredTable> f = new CompletableFuture<>();
        scheduler.execute(() -> f.complete(buildTable()));
        try {
            return f.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("healthcheck loop did not answer", e);
        }
    }

    private DesiredTable buildTable() {
        if (!started) return DesiredTable.EMPTY;
        List<org.jkeepalived.core.table.VirtualService> all = new ArrayList<>();
        for (VsRuntime v : virtualServers) all.addAll(v.state.services());
        return new DesiredTable(all);
    }

    public boolean quorumUp(ServiceKey key) {
        VsRuntime v = byKey.get(key);
        return v != null && v.quorumUp;
    }

    /** Per real server (and sorry server) status. */
    public List<RealServerStatus> status() {
        if (scheduler.inScheduler()) return buildStatus();
        CompletableFuture<List<RealServerStatus>> f = new CompletableFuture<>();
        scheduler.execute(() -> f.complete(buildStatus()));
        try {
            return f.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("healthcheck loop did not answer", e);
        }
    }

    private List<RealServerStatus> buildStatus() {
        List<RealServerStatus> out = new ArrayList<>();
        for (VsRuntime v : virtualServers) {
            for (RsRuntime r : v.servers) {
                List<RealServerStatus.CheckerStatus> cs = new ArrayList<>();
                for (CheckerRuntime c : r.checkers) {
                    CheckResult last = c.state.last();
                    String state = c.state.up() ? "UP" : "DOWN";
                    cs.add(new RealServerStatus.CheckerStatus(c.checker.keyword(), state, c.state.retryIt(),
                            last == null ? null : last.reason(), last == null ? null : last.message(), c.weightDelta));
                }
                RealServer rs = r.rs;
                int port = rs.portIn(v.vs);
                boolean inTable = v.state.inTable(rs.address(), port);
                out.add(new RealServerStatus(v.vs.label(), v.state.keys(), rs.address(), port, r.alive, r.weight,
                        inTable, r.lastFailure, cs));
            }
            RealServer sorry = v.vs.sorryServer();
            if (sorry != null) {
                int port = sorry.portIn(v.vs);
                boolean inTable = v.state.inTable(sorry.address(), port);
                out.add(new RealServerStatus(v.vs.label(), v.state.keys(), sorry.address(), port, true, sorry.weight(),
                        inTable, null, List.of()));
            }
        }
        return out;
    }

    private void onLoop(Runnable r) {
        if (scheduler.inScheduler()) r.run();
        else scheduler.execute(r);
    }

    // ---------------------------------------------------------------- checker loop

    private void schedule(CheckerRuntime c, long delayNanos) {
        c.dueAt = clock.nanoTime() + delayNanos;
        c.timer = scheduler.schedule(delayNanos, () -> run(c));
    }

    private void run(CheckerRuntime c) {
        c.timer = null;
        if (stopped) return;
        if (c.rs.vs.suspended) {
            c.pendingWhileSuspended = true;
            return;
        }
        metrics.lateness(clock.nanoTime() - c.dueAt);
        long t0 = clock.nanoTime();
        CompletableFuture<CheckResult> f;
        try {
            f = c.probe.check();
        } catch (RuntimeException e) {
            f = CompletableFuture.completedFuture(CheckResult.fail("error", "Check on " + c.label + " failed: " + e));
        }
        f.whenComplete((r, e) -> {
            CheckResult res = r != null ? r : CheckResult.fail("error", "Check on " + c.label + " failed: " + e);
            long took = clock.nanoTime() - t0;
            onLoop(() -> onResult(c, res, took));
        });
    }

    private void onResult(CheckerRuntime c, CheckResult r, long tookNanos) {
        if (stopped) return;
        metrics.check(c.probe.type(), r, tookNanos);
        RsRuntime rs = c.rs;
        boolean wasUp = c.state.up();
        CheckerState.Step step = c.state.onResult(r);
        if (!r.ok()) {
            rs.lastFailure = r.message();
            if (wasUp || c.common.logAllFailures() || step.retrying()) log.info("{}", r.message());
            if (step.changed() && c.retry > 0) {
                log.info("Check on service {} failed after {} retries.", c.label, c.retry);
            }
        } else if (step.changed()) {
            log.info("{}", r.message());
        }
        if (r.ok() && r.weightDelta() != null) c.weightDelta = r.weightDelta();
        // keepalived: once a MISC_CHECK has used its retries and fails, its dynamic weight is dropped
        if (!r.ok() && step.changed() && !c.state.up() && c.probe.type().equals("MISC_CHECK")) c.weightDelta = null;
        boolean rsWasAlive = rs.alive;
        rs.recompute();
        if (step.changed()) checkerAlert(c, rsWasAlive);
        if (!stopped) schedule(c, nextDelay(c, step));
    }

    /**
     * keepalived mails a checker's change from the checker itself (so the body names the check), with
     * the real server's resulting state in the subject; no_checker_emails keeps only the changes that
     * moved the real server.
     */
    private void checkerAlert(CheckerRuntime c, boolean rsWasAlive) {
        RsRuntime rs = c.rs;
        if (!rs.smtpAlert || (rs.alive == rsWasAlive && smtpSettings.noCheckerEmails())) return;
        String body = CheckerAlerts.body(c.checker, c.state.up(), c.state.last());
        if (body != null) smtp.alert(CheckerAlerts.realServerSubject(rs.label, rs.vs.vs.label(), rs.alive), body);
    }

    /**
     * When the next check is due. keepalived waits delay_loop after each answer. Here checks keep the
     * phase their warmup gave them: the next check is due on the first multiple of delay_loop after the
     * previous due time that leaves at least half a delay_loop after the answer (a fast check: exactly
     * delay_loop after the previous one came due). Waiting from the answer instead lets the checks
     * answered in the same turn of the event loop come due together again, and with thousands of
     * servers they gather into bursts that start late (measured: p99 lateness 200-500 ms at 10,000
     * servers). A retry waits its full delay_before_retry after the answer, as keepalived does.
     */
    private long nextDelay(CheckerRuntime c, CheckerState.Step step) {
        long delay = step.nextDelayNanos();
        if (step.retrying() || delay <= 0) return delay;
        long now = clock.nanoTime();
        long earliest = now + delay / 2;
        long next = c.dueAt + delay;
        if (next < earliest) next += ((earliest - next + delay - 1) / delay) * delay;
        return next - now;
    }

    // ---------------------------------------------------------------- runtime holders

    private final class VsRuntime implements VirtualServerState.Effects {
        final VirtualServer vs;
        final VirtualServerState state;
        final List<RsRuntime> servers = new ArrayList<>();
        final boolean smtpAlert;
        boolean suspended;
        volatile boolean quorumUp;

        VsRuntime(VirtualServer vs, List<ServiceKey> keys, Inherited inherited) {
            this.vs = vs;
            this.smtpAlert = smtp != null && smtpSettings.forVirtualServer(vs.smtpAlert());
            List<Boolean> initial = new ArrayList<>();
            List<RealServerStatus> before = new ArrayList<>();
            for (RealServer rs : vs.realServers()) {
                int port = rs.portIn(vs);
                RealServerStatus old = inherited.servers.get(Inherited.key(vs.label(), rs.address(), port));
                before.add(old);
                boolean alive = true;
                for (Checker c : rs.checkers()) {
                    if (alpha(c, rs)) alive = false;
                }
                initial.add(old != null ? old.alive() : alive);
            }
            Boolean q = inherited.quorum.get(vs.label());
            this.quorumUp = q == null || q;
            this.state = new VirtualServerState(vs, keys, initial, q, this);
            for (int i = 0; i < vs.realServers().size(); i++) {
                RsRuntime r = new RsRuntime(this, i, initial.get(i));
                servers.add(r);
                RealServerStatus old = before.get(i);
                if (old == null) continue;
                for (int k = 0; k < r.checkers.size() && k < old.checkers().size(); k++) {
                    CheckerRuntime c = r.checkers.get(k);
                    RealServerStatus.CheckerStatus oc = old.checkers().get(k);
                    if (oc.type().equals(c.checker.keyword())) {
                        c.state.inherit("UP".equals(oc.state()));
                        c.weightDelta = oc.weightDelta(); // a drained misc_dynamic server stays drained (keepalived too)
                    }
                }
                // the real server's verdict must agree with its checkers' (a checker added on reload starts
                // per alpha), and its weight with their inherited dynamic weights
                if (r.settle()) state.initial(i, r.alive, r.weight);
            }
            metrics.virtualServer(vs.label(), () -> quorumUp);
        }

        @Override public void change(TableChange change) {
            tell(l -> l.onChange(change), change);
        }

        @Override public void realServerChanged(String rsLabel, boolean up) {
            tell(l -> l.onRealServer(vs.label(), rsLabel, up), rsLabel);
        }

        private void tell(java.util.function.Consumer<HealthcheckListener> event, Object what) {
            for (HealthcheckListener l : listeners) {
                try {
                    event.accept(l);
                } catch (RuntimeException e) {
                    log.warn("healthcheck listener failed on {}", what, e);
                }
            }
        }

        @Override public void script(ScriptSpec script, String why) {
            log.info("Executing [{}] ({})", script.command(), why);
            CompletableFuture<Integer> f = scripts.run(script, scriptTimeout);
            pendingScripts.add(f);
            f.whenComplete((rc, e) -> pendingScripts.remove(f));
            f.thenAccept(rc -> {
                if (rc == ScriptRunner.TIMED_OUT) log.warn("Script [{}] ({}) timed out, killed", script.command(), why);
                else if (rc != 0) log.warn("Script [{}] ({}) exited with status {}", script.command(), why, rc);
            });
        }

        @Override public void log(String line) {
            log.info("{}", line);
        }

        @Override public void quorumChanged(boolean up) {
            quorumUp = up;
            tell(l -> l.onQuorum(vs.label(), up), vs.label());
        }

        @Override public void quorumAlert(boolean up, String body) {
            if (smtpAlert) smtp.alert(CheckerAlerts.virtualServerSubject(vs.label(), up), body);
        }

        @Override public void realServerAlert(int index, String body) {
            RsRuntime r = servers.size() > index ? servers.get(index) : null;
            if (r != null && r.smtpAlert) smtp.alert(CheckerAlerts.realServerSubject(r.label, vs.label(), false), body);
        }
    }

    /** Verdicts taken from the service a reload replaces. */
    private record Inherited(Map<String, RealServerStatus> servers, Map<String, Boolean> quorum) {
        static final Inherited NONE = new Inherited(Map.of(), Map.of());

        static String key(String vs, java.net.InetAddress a, int port) {
            return vs + "|" + a.getHostAddress() + "|" + port;
        }

        static Inherited of(HealthcheckService prev) {
            Map<String, RealServerStatus> servers = new HashMap<>();
            Map<String, Boolean> quorum = new HashMap<>();
            for (RealServerStatus s : prev.status()) {
                if (!s.checkers().isEmpty() || !servers.containsKey(key(s.virtualServer(), s.address(), s.port()))) {
                    servers.put(key(s.virtualServer(), s.address(), s.port()), s);
                }
            }
            for (VsRuntime v : prev.virtualServers) quorum.put(v.vs.label(), v.quorumUp);
            return new Inherited(servers, quorum);
        }
    }

    private static boolean alpha(Checker c, RealServer rs) {
        if (c instanceof Checker.BfdCheck) return true; // a BFD session starts Down: so does its real server
        CheckerCommon cc = c.common();
        return cc != null ? cc.alpha() : rs.alpha();
    }

    private final class RsRuntime {
        final VsRuntime vs;
        final int index;
        final RealServer rs;
        final String label;
        final List<CheckerRuntime> checkers = new ArrayList<>();
        final boolean smtpAlert;
        volatile boolean alive;
        volatile int weight;
        volatile String lastFailure;

        RsRuntime(VsRuntime vs, int index, boolean alive) {
            this.vs = vs;
            this.index = index;
            this.rs = vs.vs.realServers().get(index);
            this.smtpAlert = smtp != null && smtpSettings.forRealServer(rs.smtpAlert());
            this.label = vs.state.rsLabel(index);
            this.alive = alive;
            this.weight = rs.weight();
            for (Checker c : rs.checkers()) checkers.add(new CheckerRuntime(this, c));
            metrics.realServer(vs.vs.label(), label, () -> this.alive, () -> this.weight);
        }

        void recompute() {
            if (settle()) vs.state.update(index, alive, weight);
        }

        /**
         * alive and weight from the checkers: alive when every one is up, the configured weight plus
         * their dynamic weights; true when either changed.
         */
        boolean settle() {
            boolean a = true;
            long w = rs.weight();
            for (CheckerRuntime c : checkers) {
                a &= c.state.up();
                if (c.weightDelta != null) w += c.weightDelta;
            }
            int nw = (int) Math.max(0, Math.min(65535, w));
            if (a == alive && nw == weight) return false;
            alive = a;
            weight = nw;
            return true;
        }
    }

    private final class CheckerRuntime {
        final RsRuntime rs;
        final Checker checker;
        final CheckerCommon common;
        final Probe probe;
        final CheckerState state;
        final String label;
        final int retry;
        Scheduler.Cancellable timer;
        boolean pendingWhileSuspended;
        Integer weightDelta;
        long dueAt;

        CheckerRuntime(RsRuntime rs, Checker checker) {
            this.rs = rs;
            this.checker = checker;
            CheckerCommon c = checker.common();
            // FILE_CHECK / BFD_CHECK carry no options: no retries, and the file is re-read at least every
            // second (keepalived watches it with inotify; a 1 s poll is the cheap equivalent)
            Duration vsLoop = rs.vs.vs.delayLoop() != null ? rs.vs.vs.delayLoop() : Duration.ofSeconds(60);
            boolean optionless = c == null || checker instanceof Checker.FileCheck || checker instanceof Checker.BfdCheck;
            this.common = !optionless ? c : new CheckerCommon(rs.rs.address(), rs.rs.port(), null, null, null, null,
                    Duration.ofSeconds(5), 0, Duration.ofSeconds(1), Duration.ZERO,
                    vsLoop.compareTo(Duration.ofSeconds(1)) < 0 ? vsLoop : Duration.ofSeconds(1),
                    alpha(checker, rs.rs), false);
            CheckTarget target = new CheckTarget(rs.vs.vs, rs.rs, checker);
            this.label = target.label();
            this.probe = probeFactory.create(target);
            probe.onWake(() -> onLoop(this::wake));
            this.retry = common.retry();
            this.state = new CheckerState(common.alpha(), common.retry(), common.delayLoop(),
                    common.delayBeforeRetry(), common.warmup());
            // keepalived's TCP_CHECK retries a server that is down too (its other checkers do not)
            if (checker instanceof Checker.TcpCheck) state.retryWhileDown();
        }

        /** The probe knows its answer changed: check now instead of at the next delay_loop. */
        void wake() {
            if (stopped || !started || timer == null || rs.vs.suspended) return;
            timer.cancel();
            schedule(this, 0);
        }
    }

    // ---------------------------------------------------------------- builder

    public static final class Builder {
        private final KeepalivedConfig config;
        private EventLoopGroup group;
        private MeterRegistry registry;
        private MonotonicClock clock;
        private Random random;
        private Scheduler scheduler;
        private ProbeFactory probeFactory;
        private ScriptRunner scriptRunner;
        private Duration scriptTimeout;
        private HealthcheckListener listener;
        private HealthcheckService previous;
        private org.jkeepalived.healthcheck.bfd.BfdService bfd;
        private SmtpAlerter smtp;

        private Builder(KeepalivedConfig config) {
            this.config = config;
        }

        /** The Netty group every probe runs on (required unless both scheduler and probeFactory are given). */
        public Builder eventLoopGroup(EventLoopGroup g) { this.group = g; return this; }

        public Builder meterRegistry(MeterRegistry r) { this.registry = r; return this; }

        public Builder clock(MonotonicClock c) { this.clock = c; return this; }

        /** Source of warmup delays. */
        public Builder random(Random r) { this.random = r; return this; }

        /** Where decisions and timers run (default: one loop of the group). */
        public Builder scheduler(Scheduler s) { this.scheduler = s; return this; }

        public Builder probeFactory(ProbeFactory f) { this.probeFactory = f; return this; }

        public Builder scriptRunner(ScriptRunner r) { this.scriptRunner = r; return this; }

        /** Timeout for notify_up/down and quorum_up/down scripts (default 30 s). */
        public Builder scriptTimeout(Duration d) { this.scriptTimeout = d; return this; }

        public Builder listener(HealthcheckListener l) { this.listener = l; return this; }

        /**
         * Mails real server and quorum changes (smtp_alert) through this alerter, which the caller
         * configures and closes; without it nothing is mailed.
         */
        public Builder smtpAlerter(SmtpAlerter a) { this.smtp = a; return this; }

        /**
         * The BFD sessions BFD_CHECK reads (the caller starts and closes them). Without it the default
         * probe factory runs the config's bfd_instances itself, from the first BFD_CHECK on.
         */
        public Builder bfd(org.jkeepalived.healthcheck.bfd.BfdService s) { this.bfd = s; return this; }

        /**
         * Reload: start from the verdicts of the service this one replaces. A real server found in the
         * same virtual server (by label, address and port) keeps its alive state and each checker at the
         * same position with the same keyword keeps its up/down (no alpha, no warmup flapping); quorum
         * state carries over. Read from {@code previous.status()}: call before closing it.
         */
        public Builder inheritFrom(HealthcheckService previous) { this.previous = previous; return this; }

        public HealthcheckService build() {
            return new HealthcheckService(this);
        }
    }
}
