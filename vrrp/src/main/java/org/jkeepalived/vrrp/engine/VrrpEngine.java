package org.jkeepalived.vrrp.engine;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jkeepalived.core.config.AuthType;
import org.jkeepalived.core.config.GlobalDefs;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.config.StaticAddress;
import org.jkeepalived.core.config.StaticRoute;
import org.jkeepalived.core.config.BfdInstance;
import org.jkeepalived.core.config.ScriptPolicy;
import org.jkeepalived.core.config.TrackFile;
import org.jkeepalived.core.config.TrackProcess;
import org.jkeepalived.core.config.UnicastPeer;
import org.jkeepalived.core.config.VrrpInstance;
import org.jkeepalived.core.config.VrrpScript;
import org.jkeepalived.core.config.VrrpState;
import org.jkeepalived.core.config.VrrpSyncGroup;
import org.jkeepalived.core.time.MonotonicClock;
import org.jkeepalived.vrrp.codec.AhSequence;
import org.jkeepalived.vrrp.codec.DecodeResult;
import org.jkeepalived.vrrp.codec.IpsecAh;
import org.jkeepalived.vrrp.codec.RejectReason;
import org.jkeepalived.vrrp.codec.VrrpCodec;
import org.jkeepalived.vrrp.codec.VrrpPacket;
import org.jkeepalived.vrrp.fsm.Action;
import org.jkeepalived.vrrp.fsm.InstanceSettings;
import org.jkeepalived.vrrp.fsm.VrrpInstanceFsm;
import org.jkeepalived.vrrp.fsm.VrrpMetrics;
import org.jkeepalived.vrrp.fsm.VrrpSyncGroupFsm;
import org.jkeepalived.vrrp.io.GarpSchedule;
import org.jkeepalived.vrrp.io.InterfaceAddress;
import org.jkeepalived.vrrp.io.ProcessEvent;
import org.jkeepalived.vrrp.io.ProcessMonitor;
import org.jkeepalived.vrrp.io.LinkInfo;
import org.jkeepalived.vrrp.io.NetIo;
import org.jkeepalived.vrrp.io.ReceivedPacket;
import org.jkeepalived.vrrp.io.VipAddress;
import org.jkeepalived.vrrp.io.VipFilterOptions;
import org.jkeepalived.vrrp.io.VirtualRoute;
import org.jkeepalived.vrrp.io.VrrpSocket;
import org.jkeepalived.vrrp.io.VrrpSocketConfig;
import org.jkeepalived.vrrp.track.NotifyDispatcher;
import org.jkeepalived.vrrp.track.PriorityCalculator;
import org.jkeepalived.vrrp.track.ProcessScriptRunner;
import org.jkeepalived.vrrp.track.ScriptRunner;
import org.jkeepalived.vrrp.track.ProcessTracker;
import org.jkeepalived.vrrp.track.ScriptTracker;
import org.jkeepalived.vrrp.track.TrackStatus;
import org.jkeepalived.vrrp.track.TrackingState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a set of vrrp_instances: one {@link VrrpScheduler} thread owns every state machine and
 * timer; one receiver thread per shared raw socket (interface × family × multicast/unicast)
 * decodes adverts and hands them to the scheduler; the machines' {@link Action}s are executed here
 * (send adverts, add/remove VIPs and virtual_routes and announce them, run notify scripts).
 * Tracking ({@link TrackingState}: the instance's interface, track_interface from link
 * notifications, track_script through {@link ScriptTracker}s run on a {@link ScriptRunner},
 * track_file polled every second, track_bfd as {@link #bfdStateChanged} reports it, track_process
 * through a {@link ProcessTracker} fed by the {@link NetIo#processes()} monitor) turns into
 * FAULT / effective-priority events for the machines.
 *
 * <p>On start every non-owner instance releases its VIPs first, which removes addresses a killed
 * earlier run left behind. {@link #stop()} (the SIGTERM path) makes each master send priority 0
 * and remove its VIPs before the sockets close. {@link #reload} applies a new configuration in
 * place (SIGHUP); {@link #handoff} / {@link #handback} drive a graceful master handover. An
 * instance whose interface does not exist (yet) is in FAULT until the link monitor reports it.
 */
public final class VrrpEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VrrpEngine.class);
    /** notify scripts are killed after this (keepalived lets them run; a stuck one must not pile up). */
    private static final Duration NOTIFY_TIMEOUT = Duration.ofSeconds(30);
    /** track_file is re-read this often (keepalived uses inotify; a poll keeps this portable). */
    private static final Duration FILE_POLL = Duration.ofSeconds(1);

    private final NetIo io;
    private final MonotonicClock clock;
    private final VrrpScheduler scheduler;
    private final EngineListener listener;
    private final VrrpMetrics metrics;
    private GlobalDefs global;
    private final Map<String, Instance> instances = new LinkedHashMap<>();
    private final Map<String, VrrpSyncGroup> groupConfigs = new LinkedHashMap<>();
    private final Map<String, VrrpSyncGroupFsm> groupOf = new HashMap<>();
    private final List<VrrpSyncGroupFsm> groups = new ArrayList<>();
    /** Starts waiting for the first result of an unweighted track_script: a sync group or an instance. */
    private final Set<Object> held = new LinkedHashSet<>();
    private final Map<SocketKey, SharedSocket> sockets = new ConcurrentHashMap<>();
    private final AtomicLong unknownVridPackets = new AtomicLong();
    private final Map<String, VrrpScript> scriptConfigs = new HashMap<>();
    private final Map<String, TrackFile> fileConfigs = new HashMap<>();
    private final Map<String, BfdInstance> bfdConfigs = new HashMap<>();
    /** BFD sessions Up now, as last told by {@link #bfdStateChanged} (all others count Down). */
    private final java.util.Set<String> bfdUp = new java.util.HashSet<>();
    private final Map<String, ScriptTracker> scriptTrackers = new LinkedHashMap<>();
    private final Map<String, TrackProcess> processConfigs = new LinkedHashMap<>();
    /** The vrrp_track_processes' counts and quorum; null while none is defined. */
    private ProcessTracker processTracker;
    private AutoCloseable processSubscription;
    /** Which subscription's events count (a replaced one's may still be queued). */
    private long processGeneration;
    private boolean processCmdline;
    private VrrpScheduler.Timer processTimer;
    private final Map<String, VrrpMetrics.Instance> meters = new HashMap<>();
    private ScriptRunner scriptRunner;
    private ProcessScriptRunner ownedRunner;
    private NotifyDispatcher notifier;
    private AutoCloseable linkSubscription;
    private volatile boolean stopped;
    private volatile boolean threadsStarted;
    private boolean filePolling;

    private VrrpEngine(NetIo io, MonotonicClock clock, GlobalDefs global, EngineListener listener,
                       MeterRegistry registry) {
        this.io = io;
        this.clock = clock;
        this.global = global;
        this.scheduler = new VrrpScheduler(clock);
        this.listener = listener == null ? EngineListener.NONE : listener;
        this.metrics = registry == null ? null : new VrrpMetrics(registry);
    }

    /**
     * Starts every vrrp_instance of {@code config} with its tracking (track_interface,
     * track_script through {@code scripts}, track_file, track_bfd) and notify scripts.
     *
     * @param scripts  runs vrrp_script and notify scripts (null: the engine makes its own
     *                 {@link ProcessScriptRunner} and closes it on stop)
     * @param registry where the per-instance meters go (null: none)
     */
    public static VrrpEngine start(KeepalivedConfig config, NetIo io, MonotonicClock clock, EngineListener listener,
                                   MeterRegistry registry, ScriptRunner scripts) throws IOException {
        VrrpEngine e = new VrrpEngine(io, clock, config.globalDefs(), listener, registry);
        // with our own process runner (the daemon's case) a script that cannot run is left out
        ScriptPolicy policy = scripts == null ? ScriptPolicy.of(config.globalDefs()) : null;
        for (VrrpScript s : config.vrrpScripts()) {
            if (runnable(s, policy)) e.scriptConfigs.put(s.name(), s);
        }
        for (TrackFile f : config.trackFiles()) {
            e.fileConfigs.put(f.name(), f);
        }
        for (BfdInstance b : config.bfdInstances()) {
            e.bfdConfigs.put(b.name(), b);
        }
        for (TrackProcess p : config.trackProcesses()) {
            e.processConfigs.put(p.name(), p);
        }
        e.scriptRunner = scripts;
        return e.launch(config.vrrpInstances(), config.vrrpSyncGroups());
    }

    /**
     * Whether a vrrp_script is tracked at all: keepalived disables one whose file is not there, or
     * that enable_script_security forbids to run as root ({@link ScriptPolicy#disabledReason}), and the instances tracking
     * it go on without it (rather than counting it as failed). {@code policy} null: scripts run through
     * a runner given from outside (tests), taken as they are.
     */
    private static boolean runnable(VrrpScript s, ScriptPolicy policy) {
        if (policy == null) return true;
        String why = policy.disabledReason(s.script());
        if (why == null) return true;
        LOG.warn("vrrp_script {}: {}; not tracked (as keepalived disables it)", s.name(), why);
        return false;
    }

    /**
     * Starts {@code instances} without vrrp_script / track_file definitions (their own interface and
     * unweighted track_interface still count).
     *
     * @param syncGroups vrrp_sync_groups over {@code instances} (may be empty)
     * @param registry   where the per-instance meters go (null: none)
     */
    public static VrrpEngine start(List<VrrpInstance> instances, List<VrrpSyncGroup> syncGroups, GlobalDefs global,
                                   NetIo io, MonotonicClock clock, EngineListener listener,
                                   MeterRegistry registry) throws IOException {
        return new VrrpEngine(io, clock, global, listener, registry).launch(instances,
                syncGroups == null ? List.of() : syncGroups);
    }

    private VrrpEngine launch(List<VrrpInstance> instances, List<VrrpSyncGroup> syncGroups) throws IOException {
        VrrpEngine e = this;
        try {
            e.validate(instances, e.global);
            e.open(instances, syncGroups);
        } catch (IOException | RuntimeException ex) {
            e.closeSockets();
            throw ex;
        }
        NetIo.ThreadPriority priority = threadPriority(global);
        e.scheduler.onThreadStart(() -> io.prioritizeCurrentThread(priority));
        e.scheduler.start();
        for (SharedSocket s : e.sockets.values()) {
            s.thread.start();
        }
        e.threadsStarted = true;
        CompletableFuture<Void> started = new CompletableFuture<>();
        e.scheduler.execute(() -> {
            try {
                e.startAll();
                started.complete(null);
            } catch (RuntimeException ex) {
                started.completeExceptionally(ex);
            }
        });
        try {
            started.get(10, TimeUnit.SECONDS);
        } catch (Exception ex) {
            e.stop();
            throw new IOException("VRRP start failed", ex);
        }
        return e;
    }

    // ------------------------------------------------------------------ setup

    /** Names, VRIDs and settings that cannot work, before anything is touched (start and reload). */
    private static void validate(List<VrrpInstance> configs, GlobalDefs global) {
        Map<String, String> seen = new HashMap<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (VrrpInstance vi : configs) {
            if (!names.add(vi.name())) {
                throw new IllegalArgumentException("vrrp_instance " + vi.name() + " defined twice");
            }
            InstanceSettings settings = InstanceSettings.from(vi, global);
            String k = socketKey(vi, settings) + "/" + settings.vrid();
            String other = seen.putIfAbsent(k, vi.name());
            if (other != null) {
                throw new IllegalArgumentException("(" + vi.name() + ") VRID " + settings.vrid()
                        + " is used twice on " + vi.iface() + " (also by " + other + ")");
            }
        }
    }

    private static SocketKey socketKey(VrrpInstance vi, InstanceSettings settings) {
        boolean unicast = !vi.unicastPeers().isEmpty();
        int ttl = unicast && vi.unicastTtl() != null ? vi.unicastTtl() : 255;
        // IPsec AH instances have their own protocol-51 socket: like keepalived, they do not hear
        // protocol-112 adverts and the others do not hear AH ones
        boolean ah = settings.version() == 2 && !settings.ipv6() && settings.authType() == AuthType.AH;
        return new SocketKey(InstanceNet.socketIface(vi), settings.ipv6(), unicast, ttl, ah);
    }

    private InetAddress multicastGroup(boolean ipv6) {
        if (global != null && !ipv6 && global.vrrpMcastGroup4() != null) {
            return global.vrrpMcastGroup4();
        } else if (global != null && ipv6 && global.vrrpMcastGroup6() != null) {
            return global.vrrpMcastGroup6();
        }
        return ipv6 ? VrrpSocketConfig.VRRP_GROUP6 : VrrpSocketConfig.VRRP_GROUP4;
    }

    /**
     * Puts the instance on the shared socket of its interface × family × cast (opening it if
     * needed). Only called when the interface exists; an open failure then is a real error.
     */
    private void attach(Instance i) throws IOException {
        SocketKey key = socketKey(i.config, i.fsm.settings());
        SharedSocket sock = sockets.get(key);
        if (sock == null) {
            InetAddress group = key.unicast() ? null : multicastGroup(key.ipv6());
            VrrpSocket s = io.openVrrpSocket(new VrrpSocketConfig(key.iface(), key.ipv6(), group, key.ttl(), false,
                    key.ah() ? VrrpSocketConfig.IPPROTO_AH : VrrpSocket.IPPROTO_VRRP));
            sock = new SharedSocket(key, s);
            sockets.put(key, sock);
            if (threadsStarted) {
                sock.thread.start();
            }
        }
        sock.byVrid.put(i.fsm.settings().vrid(), i);
        i.socket = sock;
    }

    /** Takes the instance off its socket, closing the socket when it was the last one on it. */
    private void detach(Instance i) {
        SharedSocket s = i.socket;
        if (s == null) {
            return;
        }
        i.socket = null;
        s.byVrid.remove(i.fsm.settings().vrid(), i);
        if (s.byVrid.isEmpty()) {
            sockets.remove(s.key, s);
            s.socket.close();
        }
    }

    /**
     * A new instance with its state machine, tracking and socket. A missing interface is not an
     * error (keepalived does the same): the instance stays in FAULT until the interface appears.
     */
    private Instance createInstance(VrrpInstance vi, boolean interfaceErrorsFatal) throws IOException {
        InstanceSettings settings = InstanceSettings.from(vi, global);
        Instance inst = new Instance(vi, new VrrpInstanceFsm(settings),
                TrackingState.forInstance(vi, scriptConfigs, fileConfigs, bfdConfigs, processConfigs));
        if (inst.net.ensureVmac(io) && io.links().link(InstanceNet.socketIface(vi)).isPresent()) {
            try {
                attach(inst);
            } catch (IOException | RuntimeException e) {
                if (interfaceErrorsFatal) {
                    throw e;
                }
                LOG.error("({}) cannot open a VRRP socket on {}: {} - FAULT", vi.name(), vi.iface(), e.getMessage());
            }
        } else {
            LOG.warn("({}) interface {} does not exist - FAULT until it appears", vi.name(), vi.iface());
        }
        instances.put(vi.name(), inst);
        bindMeters(inst, vi, settings);
        return inst;
    }

    /**
     * The instance's meters, by name, interface and VRID. A gauge registered twice stays bound to its
     * first value holder: an instance a reload restarts in place reuses its meters.
     */
    private void bindMeters(Instance inst, VrrpInstance vi, InstanceSettings settings) {
        if (metrics == null) {
            return;
        }
        inst.meters = meters.computeIfAbsent(meterKey(vi),
                k -> metrics.instance(vi.name(), vi.iface(), settings.vrid(), settings.basePriority()));
        inst.meters.setPriority(settings.basePriority());
        inst.meters.update(inst.fsm);
        labelVips(inst);
    }

    private static String meterKey(VrrpInstance vi) {
        return vi.name() + "\0" + vi.iface() + "\0" + vi.virtualRouterId();
    }

    /** Drops the series of instances a reload removed, renamed or moved (see VrrpMetrics.Instance#remove). */
    private void pruneMeters() {
        Set<String> live = new HashSet<>();
        for (Instance i : instances.values()) live.add(meterKey(i.config));
        for (var it = meters.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!live.contains(e.getKey())) {
                e.getValue().remove();
                it.remove();
            }
        }
    }

    /** keepalived_vrrp_state's series: one per advertised VIP, on the interface the VIP is on. */
    private static void labelVips(Instance inst) {
        if (inst.meters == null) {
            return;
        }
        List<VrrpMetrics.VipLabel> labels = new ArrayList<>();
        for (StaticAddress a : inst.config.virtualIpaddresses()) {
            VipAddress v = VipAddress.from(a, InstanceNet.vipIface(inst.config));
            labels.add(new VrrpMetrics.VipLabel(v.address().getHostAddress(), v.dev()));
        }
        inst.meters.setVips(labels);
    }

    private void open(List<VrrpInstance> configs, List<VrrpSyncGroup> syncGroups) throws IOException {
        for (VrrpInstance vi : configs) {
            createInstance(vi, true);
        }
        buildGroups(syncGroups, Map.of());
        for (Instance i : instances.values()) {
            addGroupTracking(i);
        }
        reconcileScriptTrackers(Map.of());
        setupNotifier();
    }

    /** The vrrp_sync_groups over the current instances (previous: group states before a reload). */
    private void buildGroups(List<VrrpSyncGroup> syncGroups, Map<String, VrrpState> previous) {
        groupConfigs.clear();
        for (VrrpSyncGroup g : syncGroups) {
            List<VrrpInstanceFsm> members = new ArrayList<>();
            for (String n : g.group()) {
                Instance i = instances.get(n);
                if (i == null) {
                    LOG.warn("vrrp_sync_group {}: unknown instance {} - ignoring", g.name(), n);
                    continue;
                }
                if (groupOf.containsKey(n)) {
                    LOG.warn("vrrp_sync_group {}: {} is already in sync group {} - ignoring", g.name(), n,
                            groupOf.get(n).name());
                    continue;
                }
                members.add(i.fsm);
            }
            if (members.isEmpty()) {
                continue;
            }
            VrrpSyncGroupFsm gf = previous.isEmpty() ? new VrrpSyncGroupFsm(g.name(), members)
                    : new VrrpSyncGroupFsm(g.name(), members, previous.get(g.name()));
            groups.add(gf);
            groupConfigs.put(g.name(), g);
            for (VrrpInstanceFsm m : members) {
                groupOf.put(m.name(), gf);
            }
        }
    }

    /** The sync group's track_* apply to each member too. */
    private void addGroupTracking(Instance i) {
        VrrpSyncGroupFsm g = groupOf.get(i.name());
        if (g != null) {
            i.tracking.addSyncGroup(groupConfigs.get(g.name()), scriptConfigs, fileConfigs, bfdConfigs, processConfigs);
        }
    }

    /**
     * One tracker per vrrp_script, shared by the instances that track it. A tracker whose script
     * is unchanged ({@code before} holds the definitions before a reload) keeps its rise/fall
     * state; a changed or new one starts afresh; unused ones stop.
     */
    private List<ScriptTracker> reconcileScriptTrackers(Map<String, VrrpScript> before) {
        java.util.Set<String> used = new java.util.LinkedHashSet<>();
        for (Instance i : instances.values()) {
            used.addAll(i.tracking.names(PriorityCalculator.Kind.SCRIPT));
        }
        List<ScriptTracker> fresh = new ArrayList<>();
        scriptTrackers.keySet().removeIf(n -> !used.contains(n) || !java.util.Objects.equals(before.get(n),
                scriptConfigs.get(n)));
        for (String n : used) {
            VrrpScript sc = scriptConfigs.get(n);
            if (sc != null && !scriptTrackers.containsKey(n)) {
                ScriptTracker t = ScriptTracker.from(sc);
                scriptTrackers.put(n, t);
                fresh.add(t);
            }
        }
        return fresh;
    }

    private void setupNotifier() {
        boolean notifies = false;
        for (Instance i : instances.values()) {
            notifies |= hasNotify(NotifyDispatcher.Scripts.of(i.config));
        }
        for (VrrpSyncGroup g : groupConfigs.values()) {
            notifies |= hasNotify(NotifyDispatcher.Scripts.of(g));
        }
        if (scriptRunner == null && (notifies || !scriptTrackers.isEmpty())) {
            ownedRunner = new ProcessScriptRunner(2, org.jkeepalived.core.config.ScriptPolicy.of(global));
            scriptRunner = ownedRunner;
        }
        if (notifies && notifier == null) {
            notifier = new NotifyDispatcher(scriptRunner, NOTIFY_TIMEOUT);
        }
        if (notifier != null) {
            for (Instance i : instances.values()) {
                notifier.register(Action.Target.INSTANCE, i.name(), NotifyDispatcher.Scripts.of(i.config));
            }
            for (VrrpSyncGroup g : groupConfigs.values()) {
                notifier.register(Action.Target.GROUP, g.name(), NotifyDispatcher.Scripts.of(g));
            }
        }
    }

    private static boolean hasNotify(NotifyDispatcher.Scripts s) {
        return s.master() != null || s.backup() != null || s.fault() != null || s.stop() != null
                || s.generic() != null;
    }

    /** On the scheduler thread: addresses, tracked state, then every state machine's start. */
    private void startAll() {
        long now = clock.nanoTime();
        // no_accept: a table left by a killed run must not keep dropping traffic to our VIPs
        io.vipFilter().configure(VipFilterOptions.from(global));
        io.vipFilter().clear();
        // process counts before any instance starts, as keepalived reads /proc before it does
        watchProcesses();
        for (Instance i : instances.values()) {
            prepare(i, now);
        }
        linkSubscription = io.links().subscribe(l -> scheduler.execute(() -> onLink(l)));
        startInitInstances(now);
        for (ScriptTracker t : scriptTrackers.values()) {
            t.start(now);
            runScript(t);
        }
        startFilePolling();
    }

    /**
     * Starts what is still in INIT: whole sync groups, then instances on their own or joining a
     * running group (reload). One that tracks an unweighted vrrp_script with no result yet is held
     * in INIT instead (no adverts, no VIPs, no notify), as keepalived holds it, and started by
     * {@link #startHeld} once every such script of it (of every member, for a group) has answered.
     */
    private void startInitInstances(long now) {
        held.clear();
        for (VrrpSyncGroupFsm g : groups) {
            if (g.members().stream().allMatch(m -> m.state() == VrrpState.INIT)) {
                held.add(g);
            }
        }
        for (Instance i : instances.values()) {
            VrrpSyncGroupFsm g = groupOf.get(i.name());
            if (i.fsm.state() == VrrpState.INIT && (g == null || !held.contains(g))) {
                held.add(i);
            }
        }
        startHeld(now);
    }

    private void startHeld(long now) {
        for (Iterator<Object> it = held.iterator(); it.hasNext(); ) {
            Object o = it.next();
            if (o instanceof VrrpSyncGroupFsm g) {
                boolean waiting = false;
                for (VrrpInstanceFsm m : g.members()) {
                    waiting |= awaitingScripts(instances.get(m.name()));
                }
                if (!waiting) {
                    it.remove();
                    apply(g.start(now));
                }
            } else if (o instanceof Instance i && !awaitingScripts(i)) {
                it.remove();
                VrrpSyncGroupFsm g = groupOf.get(i.name());
                if (i.fsm.state() != VrrpState.INIT) {
                    continue;
                }
                if (g == null) {
                    apply(i, i.fsm.start(now));
                } else {
                    apply(g.startMember(i.name(), now));
                }
            }
        }
    }

    private boolean awaitingScripts(Instance i) {
        boolean waiting = i.tracking.awaitingFirstScriptResult();
        if (waiting && !i.heldLogged) {
            i.heldLogged = true;
            LOG.info("({}) waiting for the first result of its track_script(s) before leaving INIT", i.name());
        }
        return waiting;
    }

    private void startFilePolling() {
        if (!fileConfigs.isEmpty() && !filePolling) {
            filePolling = true;
            scheduler.after(FILE_POLL.toNanos(), this::pollFiles);
        }
    }

    /**
     * Before an instance's start (its fsm still in INIT): source address, link states, track_files
     * and script states known so far; FAULT and the effective priority only set the fsm's flags,
     * start() then honours them.
     */
    private void prepare(Instance i, long now) {
        if (i.socket != null) {
            i.resolveSource();
        }
        refreshTracking(i);
        PriorityCalculator.Result r = i.tracking.evaluate();
        if (faulted(i, r)) {
            i.reportedFault = true;
            String why = faultReason(i, r);
            LOG.info("({}) {} - entering FAULT", i.name(), why);
            i.fsm.onFault(now, why);
        }
        int p = effectivePriority(i, r);
        if (p != i.fsm.effectivePriority()) {
            i.fsm.onPriorityChange(now, p);
        }
    }

    /** Link states, track_file values and the shared script trackers' states into the instance's tracking. */
    private void refreshTracking(Instance i) {
        for (String n : i.tracking.names(PriorityCalculator.Kind.INTERFACE)) {
            i.tracking.setInterface(n, io.links().link(n).map(LinkInfo::usable).orElse(false));
        }
        for (String n : i.tracking.names(PriorityCalculator.Kind.SCRIPT)) {
            ScriptTracker t = scriptTrackers.get(n);
            if (t != null && t.status() != org.jkeepalived.vrrp.track.TrackStatus.UNKNOWN) {
                i.tracking.setScript(n, t.status());
            }
        }
        for (String n : i.tracking.names(PriorityCalculator.Kind.BFD)) {
            i.tracking.setBfd(n, bfdUp.contains(n));
        }
        for (String n : i.tracking.names(PriorityCalculator.Kind.PROCESS)) {
            if (processTracker != null && processTracker.status(n) != TrackStatus.UNKNOWN) {
                i.tracking.setProcess(n, processTracker.status(n));
            }
        }
        i.fileValues.clear();
        readTrackFiles(i);
    }

    /**
     * track_bfd: a BFD session (run by the daemon, shared with the checkers) went Up or left Up.
     * Any thread; applied on the VRRP loop.
     */
    public void bfdStateChanged(String session, boolean up) {
        scheduler.execute(() -> {
            if (stopped || (up ? !bfdUp.add(session) : !bfdUp.remove(session))) {
                return;
            }
            for (Instance i : instances.values()) {
                if (i.tracking.setBfd(session, up)) {
                    reevaluate(i);
                }
            }
        });
    }

    /**
     * track_process: (re)subscribes to the host's processes when vrrp_track_process blocks exist
     * (the first snapshot is applied here, on the VRRP thread, before this returns, unless /proc
     * cannot be read: then it comes later, as events do), unsubscribes when none is left. A
     * subscription reading the right things and a tracker that knows every definition are kept as
     * they are. A new subscription is made before the old one is closed, so the monitor is not
     * closed and reopened in between; events of the old one are ignored from then on.
     */
    private void watchProcesses() {
        if (processConfigs.isEmpty()) {
            unwatchProcesses();
            processTracker = null;
            return;
        }
        if (processTracker == null) {
            processTracker = new ProcessTracker(processConfigs.values());
        } else {
            processTracker.reconfigure(processConfigs.values());
        }
        boolean cmdline = processTracker.needsCmdline();
        if (processSubscription != null && cmdline == processCmdline && !processTracker.awaitingSnapshot()) {
            io.processes(processMonitorSettings()); // new process_monitor_rcv_bufs, if any
            return;
        }
        AutoCloseable old = processSubscription;
        processSubscription = null;
        processCmdline = cmdline;
        long gen = ++processGeneration;
        try {
            processSubscription = io.processes(processMonitorSettings()).subscribe(cmdline, ev -> {
                if (scheduler.inSchedulerThread()) {
                    // the subscription's first snapshot: the statuses are read from the tracker by
                    // prepare() / refreshTracking(), so the returned changes are not needed here
                    if (gen == processGeneration && processTracker != null) {
                        processTracker.onEvent(ev, clock.nanoTime());
                        armProcessTimer();
                    }
                } else {
                    scheduler.execute(() -> onProcessEvent(gen, ev));
                }
            });
        } catch (RuntimeException e) {
            LOG.error("track_process: cannot watch processes: {} - vrrp_track_process not tracked", e.getMessage());
        }
        close(old);
    }

    private ProcessMonitor.Settings processMonitorSettings() {
        Map<String, List<List<String>>> o = global.options();
        List<List<String>> bufs = o.get("process_monitor_rcv_bufs");
        List<List<String>> force = o.get("process_monitor_rcv_bufs_force");
        return new ProcessMonitor.Settings(bufs == null ? 0 : Long.parseLong(bufs.get(bufs.size() - 1).get(0)),
                force == null ? null : Boolean.valueOf(force.get(force.size() - 1).get(0)));
    }

    private void unwatchProcesses() {
        processGeneration++;
        close(processSubscription);
        processSubscription = null;
    }

    private static void close(AutoCloseable subscription) {
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception ignored) {
                // nothing to undo
            }
        }
    }

    private void onProcessEvent(long gen, ProcessEvent ev) {
        if (stopped || processTracker == null || gen != processGeneration) {
            return;
        }
        applyProcessChanges(processTracker.onEvent(ev, clock.nanoTime()));
        armProcessTimer();
    }

    /** A fork_delay / terminate_delay ran out. */
    private void expireProcessDelays() {
        processTimer = null;
        if (stopped || processTracker == null) {
            return;
        }
        applyProcessChanges(processTracker.expire(clock.nanoTime()));
        armProcessTimer();
    }

    private void armProcessTimer() {
        java.util.OptionalLong next = processTracker == null ? java.util.OptionalLong.empty() : processTracker.nextDeadline();
        if (processTimer != null && (next.isEmpty() || processTimer.deadlineNanos() != next.getAsLong())) {
            processTimer.cancel();
            processTimer = null;
        }
        if (next.isPresent() && processTimer == null) {
            processTimer = scheduler.at(next.getAsLong(), this::expireProcessDelays);
        }
    }

    private void applyProcessChanges(List<ProcessTracker.Change> changes) {
        for (ProcessTracker.Change c : changes) {
            TrackStatus st = c.up() ? TrackStatus.UP : TrackStatus.DOWN;
            for (Instance i : instances.values()) {
                if (i.tracking.setProcess(c.name(), st)) {
                    reevaluate(i);
                }
            }
        }
    }

    private static boolean faulted(Instance i, PriorityCalculator.Result r) {
        return r.fault() || i.socket == null;
    }

    private static String faultReason(Instance i, PriorityCalculator.Result r) {
        List<String> why = new ArrayList<>(r.faultReasons());
        if (i.socket == null) {
            why.add(0, "interface " + i.config.iface() + " not available");
        }
        return String.join(", ", why);
    }

    /** Tracking's priority, or 1 while a handoff holds the instance back. */
    private static int effectivePriority(Instance i, PriorityCalculator.Result r) {
        return i.held ? 1 : r.effectivePriority();
    }

    // ------------------------------------------------------------------ events

    /** Runs one event through the instance's sync group when it has one, else through the instance. */
    private void fire(Instance i, Function<VrrpInstanceFsm, List<Action>> alone,
                      Function<VrrpSyncGroupFsm, VrrpSyncGroupFsm.GroupActions> grouped) {
        VrrpSyncGroupFsm g = groupOf.get(i.name());
        if (g == null) {
            apply(i, alone.apply(i.fsm));
        } else {
            apply(grouped.apply(g));
        }
    }

    private void apply(VrrpSyncGroupFsm.GroupActions ga) {
        for (Map.Entry<String, List<Action>> e : ga.byInstance().entrySet()) {
            apply(instances.get(e.getKey()), e.getValue());
        }
        for (Action a : ga.group()) {
            if (a instanceof Action.Notify) {
                notify((Action.Notify) a);
            } else if (a instanceof Action.StateChanged) {
                listener.onStateChanged((Action.StateChanged) a);
            }
        }
    }

    private void onTimer(Instance i) {
        if (stopped) {
            return;
        }
        long now = clock.nanoTime();
        fire(i, f -> f.onTimer(now), g -> g.onTimer(i.name(), now));
    }

    private void onAdvert(Instance i, VrrpPacket p, InetAddress source) {
        if (stopped) {
            return;
        }
        long now = clock.nanoTime();
        fire(i, f -> f.onAdvert(now, p, source), g -> g.onAdvert(i.name(), now, p, source));
    }

    private void onLink(LinkInfo l) {
        if (stopped) {
            return;
        }
        boolean exists = io.links().link(l.name()).isPresent();
        for (Instance i : new ArrayList<>(instances.values())) {
            boolean changed = false;
            i.net.onLink(io, l.name(), exists);
            if (l.name().equals(InstanceNet.socketIface(i.config))) {
                if (i.socket == null && exists) {
                    // the interface appeared (or came back after being deleted): open its socket now
                    try {
                        attach(i);
                        LOG.info("({}) interface {} is now present", i.name(), l.name());
                        i.resolveSource();
                        changed = true;
                    } catch (IOException | RuntimeException e) {
                        LOG.warn("({}) cannot open a VRRP socket on {}: {}", i.name(), l.name(), e.getMessage());
                    }
                } else if (i.socket != null && !exists) {
                    // deleted: a socket bound to the old ifindex hears nothing any more
                    LOG.info("({}) interface {} deleted", i.name(), l.name());
                    detach(i);
                    changed = true;
                }
            }
            if (i.tracking.setInterface(l.name(), l.usable())) {
                if (l.usable() && l.name().equals(InstanceNet.socketIface(i.config)) && i.socket != null) {
                    i.resolveSource();
                }
                changed = true;
            }
            if (changed) {
                reevaluate(i);
            }
        }
    }

    /** Runs one vrrp_script if due, and arms the timer for its next run. */
    private void runScript(ScriptTracker t) {
        if (stopped || scriptTrackers.get(t.name()) != t) {
            return; // stopped, or replaced / dropped by a reload
        }
        long now = clock.nanoTime();
        if (!t.due(now)) {
            if (!t.running()) {
                scheduler.at(t.nextRunNanos(), () -> runScript(t));
            }
            return;
        }
        t.started(now);
        scriptRunner.run(t.script(), t.timeout()).thenAccept(code -> scheduler.execute(() -> {
            if (stopped || scriptTrackers.get(t.name()) != t) {
                return;
            }
            if (t.onResult(code)) {
                for (Instance i : instances.values()) {
                    if (i.tracking.setScript(t.name(), t.status())) {
                        reevaluate(i);
                    }
                }
                startHeld(clock.nanoTime());
            }
            runScript(t);
        }));
    }

    private void pollFiles() {
        if (stopped) {
            return;
        }
        for (Instance i : instances.values()) {
            if (readTrackFiles(i)) {
                reevaluate(i);
            }
        }
        scheduler.after(FILE_POLL.toNanos(), this::pollFiles);
    }

    /** Reads the instance's track_files (a missing or unreadable file counts 0); true if a value changed. */
    private boolean readTrackFiles(Instance i) {
        boolean changed = false;
        for (String n : i.tracking.names(PriorityCalculator.Kind.FILE)) {
            TrackFile f = fileConfigs.get(n);
            if (f == null) {
                continue;
            }
            long v;
            try {
                v = TrackingState.parseFileValue(Files.readString(Path.of(f.file())));
            } catch (IOException | RuntimeException e) {
                v = 0;
            }
            Long old = i.fileValues.put(n, v);
            if (old == null || old != v) {
                i.tracking.setFile(n, v);
                changed = true;
            }
        }
        return changed;
    }

    /** Feeds a change of the tracking result (fault, effective priority) to the state machine. */
    private void reevaluate(Instance i) {
        long now = clock.nanoTime();
        PriorityCalculator.Result r = i.tracking.evaluate();
        boolean fault = faulted(i, r);
        if (fault && !i.reportedFault) {
            i.reportedFault = true;
            String why = faultReason(i, r);
            LOG.info("({}) {} - entering FAULT", i.name(), why);
            fire(i, f -> f.onFault(now, why), g -> g.onFault(i.name(), now));
        } else if (!fault && i.reportedFault) {
            i.reportedFault = false;
            fire(i, f -> f.onFaultCleared(now), g -> g.onFaultCleared(i.name(), now));
        }
        int p = effectivePriority(i, r);
        if (p != i.fsm.effectivePriority()) {
            fire(i, f -> f.onPriorityChange(now, p), g -> g.onPriorityChange(i.name(), now, p));
        }
    }

    // ------------------------------------------------------------------ actions

    private void apply(Instance i, List<Action> actions) {
        for (Action a : actions) {
            try {
                execute(i, a);
            } catch (RuntimeException e) {
                LOG.error("({}) failed to execute {}", i.name(), a, e);
            }
        }
        if (i.meters != null) {
            i.meters.record(actions);
            i.meters.update(i.fsm);
        }
    }

    private void execute(Instance i, Action a) {
        if (a instanceof Action.SendAdvert) {
            i.sendAdvert(((Action.SendAdvert) a).priority());
        } else if (a instanceof Action.ScheduleTimer) {
            i.cancelTimer();
            i.timer = scheduler.at(((Action.ScheduleTimer) a).deadlineNanos(), () -> onTimer(i));
        } else if (a instanceof Action.CancelTimer) {
            i.cancelTimer();
        } else if (a instanceof Action.ClaimVips) {
            i.claimVips();
        } else if (a instanceof Action.ReleaseVips) {
            i.releaseVips();
        } else if (a instanceof Action.RefreshGarp) {
            i.refreshGarp();
            // keepalived re-announces the other members of the sync group too, each by its own
            // garp_lower_prio_repeat (none when it is 0 or the member holds no VIPs)
            VrrpSyncGroupFsm g = groupOf.get(i.name());
            if (g != null) {
                for (VrrpInstanceFsm m : g.members()) {
                    Instance o = instances.get(m.name());
                    if (o != null && o != i) {
                        o.refreshGarp();
                    }
                }
            }
        } else if (a instanceof Action.AdvertReceived) {
            i.count("advert_rcvd");
            if (((Action.AdvertReceived) a).priority() == 0) {
                i.count("pri_zero_rcvd");
            }
        } else if (a instanceof Action.PacketRejected) {
            i.count(((Action.PacketRejected) a).reason().statName);
        } else if (a instanceof Action.StateChanged) {
            Action.StateChanged s = (Action.StateChanged) a;
            i.lastTransitionMillis = clock.currentTimeMillis();
            if (s.to() == VrrpState.MASTER) {
                i.count("become_master");
            } else if (s.from() == VrrpState.MASTER) {
                i.count("release_master");
            }
            listener.onStateChanged(s);
        } else if (a instanceof Action.Notify) {
            notify((Action.Notify) a);
        }
    }

    private void notify(Action.Notify n) {
        if (notifier != null) {
            notifier.dispatch(n);
        }
        listener.onNotify(n);
    }

    /**
     * global_defs' vrrp_rt_priority / vrrp_priority (the parser checked their ranges), as keepalived
     * applies them to its VRRP process: at start (a reload does not change a running thread's).
     */
    static NetIo.ThreadPriority threadPriority(GlobalDefs g) {
        if (g == null) return NetIo.ThreadPriority.DEFAULT;
        return new NetIo.ThreadPriority(
                InstanceSettings.intOption(g.options(), "vrrp_priority", NetIo.ThreadPriority.DEFAULT.nice()),
                InstanceSettings.intOption(g.options(), "vrrp_rt_priority", 0));
    }

    // ------------------------------------------------------------------ receive

    private void receiveLoop(SharedSocket s) {
        io.prioritizeCurrentThread(threadPriority(global));
        while (true) {
            ReceivedPacket p;
            try {
                p = s.socket.receive(null);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (stopped) {
                    return;
                }
                LOG.warn("VRRP receive on {}: {}", s.key.iface(), e.getMessage());
                continue;
            }
            if (p != null && p.source() != null && p.destination() != null) {
                dispatch(s, p);
            }
        }
    }

    /** On a receiver thread: decode, find the instance by VRID, hand over to the scheduler. */
    private void dispatch(SharedSocket s, ReceivedPacket p) {
        IpsecAh.Decoded ah = s.key.ah() ? IpsecAh.decodeIpv4(p.vrrp(), 0, p.vrrp().length, false) : null;
        DecodeResult r = ah != null ? ah.vrrp()
                : VrrpCodec.decode(p.vrrp(), p.source(), p.destination(), VrrpCodec.TTL_UNCHECKED);
        int vridAt = ah != null ? IpsecAh.IP_HEADER_LEN + IpsecAh.AH_LEN + 1 : 1;
        int vrid = r.ok() ? r.packet().vrid() : (p.vrrp().length > vridAt ? p.vrrp()[vridAt] & 0xff : -1);
        Instance i = s.byVrid.get(vrid);
        if (i == null) {
            unknownVridPackets.incrementAndGet();
            return;
        }
        if (!r.ok()) {
            LOG.debug("({}) invalid packet from {}: {}", i.name(), p.source().getHostAddress(), r.detail());
            scheduler.execute(() -> i.countRejected(r.reason()));
            return;
        }
        // vrrp_check_unicast_src / check_unicast_src / a peer's min_ttl or max_ttl: a unicast
        // instance hears only its unicast_peers
        if (i.unicast && i.checksUnicastSource() && i.peer(p.source()) == null) {
            LOG.info("({}) unicast source address {} not a unicast peer - ignoring", i.name(), p.source().getHostAddress());
            return;
        }
        if (!i.ttlOk(p.source(), p.ttl())) {
            LOG.info("({}) invalid TTL/HL {} from {}, expected {} - discarding", i.name(), p.ttl(),
                    p.source().getHostAddress(), i.unicast ? i.ttlRange(p.source()) : "255");
            scheduler.execute(() -> i.countRejected(RejectReason.IP_TTL_ERR));
            return;
        }
        VrrpPacket packet = r.packet();
        if (ah != null) {
            byte[] key = IpsecAh.key(i.fsm.settings().authPass());
            boolean icvOk = IpsecAh.verify(p.vrrp(), 0, p.vrrp().length, key);
            long seq = ah.header().sequence();
            scheduler.execute(() -> onAhAdvert(i, packet, p.source(), icvOk, seq));
            return;
        }
        scheduler.execute(() -> onAdvert(i, packet, p.source()));
    }

    /**
     * An advert that came in IPsec AH, in keepalived's order: an inner auth type other than AH is
     * left to the filter (authtype_mismatch); then the ICV and the sequence number
     * ({@link AhSequence}), both counted as auth_failure; then the usual checks. A MASTER that
     * answers a lower priority at once skips one sequence number first, as keepalived 2.2.7 does
     * ("Syncing seq_num"; observed: it answers 1000 with 1002).
     */
    private void onAhAdvert(Instance i, VrrpPacket p, InetAddress source, boolean icvOk, long seq) {
        VrrpState st = i.fsm.state();
        if (!stopped && p.version() == 2 && p.authType() == VrrpPacket.AUTH_AH
                && (st == VrrpState.BACKUP || st == VrrpState.MASTER)) {
            if (!icvOk) {
                LOG.info("({}) IPsec AH: bad ICV from {} (another auth_pass, or a changed packet) - discarding",
                        i.name(), source.getHostAddress());
                i.countRejected(RejectReason.AUTH_FAILURE);
                return;
            }
            long ours = i.ahSequence.current();
            if (!i.ahSequence.accept(seq)) {
                LOG.info("({}) IPsec AH: sequence number {} from {} is not after ours ({}): a replay - discarding",
                        i.name(), seq, source.getHostAddress(), ours);
                i.countRejected(RejectReason.AUTH_FAILURE);
                return;
            }
            if (st == VrrpState.MASTER && p.priority() > 0) {
                i.ahSkipBeforeAnswer = true;
            }
        }
        try {
            onAdvert(i, p, source);
        } finally {
            i.ahSkipBeforeAnswer = false;
        }
    }

    // ------------------------------------------------------------------ reload, handoff

    /**
     * keepalived's SIGHUP for the VRRP side, applied on the scheduler thread; returns when done.
     * <ul>
     * <li>An unchanged vrrp_instance keeps its state, timers and VIPs: no transition, no GARP, no
     *     notify.</li>
     * <li>A changed one is adjusted in place: priority and tracking give a new effective priority
     *     through the state machine (which may preempt or hand over as the rules say); a MASTER adds
     *     the new VIPs (and announces those only) and removes the dropped ones; advert_int,
     *     authentication, unicast peers and the like apply from the next advert.</li>
     * <li>A changed interface, VRID or address family stops the instance (priority 0 and VIPs
     *     released if MASTER) and starts it anew; removed instances are stopped the same way; new
     *     ones start.</li>
     * <li>vrrp_sync_groups are rebuilt over the instances (keeping their state); vrrp_script
     *     trackers of unchanged scripts keep their rise/fall state; track_files are re-read.</li>
     * </ul>
     *
     * @throws IllegalArgumentException when the new configuration cannot work (duplicate names or
     *                                  VRIDs, bad settings); nothing is changed then
     */
    public void reload(KeepalivedConfig newConfig) {
        if (stopped) {
            throw new IllegalStateException("VRRP engine is stopped");
        }
        validate(newConfig.vrrpInstances(), newConfig.globalDefs());
        onScheduler(() -> {
            applyReload(newConfig);
            return null;
        });
    }

    private void applyReload(KeepalivedConfig cfg) {
        long now = clock.nanoTime();
        LOG.info("Reloading VRRP configuration");
        global = cfg.globalDefs();
        if (ownedRunner != null) ownedRunner.policy(ScriptPolicy.of(global));
        io.vipFilter().configure(VipFilterOptions.from(global));
        Map<String, VrrpScript> scriptsBefore = new HashMap<>(scriptConfigs);
        scriptConfigs.clear();
        ScriptPolicy policy = ownedRunner != null ? ScriptPolicy.of(global) : null;
        for (VrrpScript s : cfg.vrrpScripts()) {
            if (runnable(s, policy)) scriptConfigs.put(s.name(), s);
        }
        fileConfigs.clear();
        for (TrackFile f : cfg.trackFiles()) {
            fileConfigs.put(f.name(), f);
        }
        bfdConfigs.clear();
        for (BfdInstance b : cfg.bfdInstances()) {
            bfdConfigs.put(b.name(), b);
        }
        processConfigs.clear();
        for (TrackProcess p : cfg.trackProcesses()) {
            processConfigs.put(p.name(), p);
        }
        // unchanged vrrp_track_processes keep their counts; new ones are counted before anything uses them
        watchProcesses();
        armProcessTimer();
        Map<String, VrrpInstance> wanted = new LinkedHashMap<>();
        for (VrrpInstance vi : cfg.vrrpInstances()) {
            wanted.put(vi.name(), vi);
        }
        // groups are rebuilt at the end; members leave them first so they can stop or move alone
        Map<String, VrrpState> groupStates = new HashMap<>();
        for (VrrpSyncGroupFsm g : groups) {
            groupStates.put(g.name(), g.state());
            g.dissolve();
        }
        groups.clear();
        groupOf.clear();

        // keepalived matches instances across a reload by interface, VRID and family, not by name: a
        // renamed instance keeps its state (a renamed MASTER stays MASTER, no failover)
        Map<String, String> renamedTo = new HashMap<>();
        for (Instance i : instances.values()) {
            if (wanted.containsKey(i.name())) {
                continue;
            }
            for (VrrpInstance vi : wanted.values()) {
                if (!instances.containsKey(vi.name()) && !renamedTo.containsValue(vi.name()) && sameRouter(vi, i.config)) {
                    LOG.info("({}) renamed {} - kept", i.name(), vi.name());
                    renamedTo.put(i.name(), vi.name());
                    break;
                }
            }
        }
        List<Instance> kept = new ArrayList<>();
        for (Instance i : new ArrayList<>(instances.values())) {
            VrrpInstance n = wanted.get(renamedTo.getOrDefault(i.name(), i.name()));
            if (n == null) {
                stopInstance(i, now, "removed from the configuration");
            } else if (!sameRouter(n, i.config)) {
                stopInstance(i, now, "interface, VRID, family or VMAC changed - restarting");
            } else {
                kept.add(i);
            }
        }
        List<Instance> fresh = new ArrayList<>();
        // in the new order: kept instances are re-inserted so status() follows the file
        Map<String, Instance> keptByName = new HashMap<>();
        for (Instance i : kept) {
            keptByName.put(renamedTo.getOrDefault(i.name(), i.name()), i);
        }
        instances.clear();
        for (VrrpInstance vi : wanted.values()) {
            Instance i = keptByName.get(vi.name());
            if (i != null) {
                instances.put(vi.name(), i);
                boolean renamed = !i.name().equals(vi.name());
                updateInstance(i, vi, now);
                if (renamed) {
                    bindMeters(i, vi, i.fsm.settings());
                }
            } else {
                try {
                    fresh.add(createInstance(vi, false));
                } catch (IOException | RuntimeException e) {
                    LOG.error("({}) cannot start: {}", vi.name(), e.getMessage());
                    instances.remove(vi.name());
                }
            }
        }
        pruneMeters();
        buildGroups(cfg.vrrpSyncGroups(), groupStates);
        for (Instance i : kept) {
            // tracking rebuilt from the new config; known states carried over below
            i.tracking = TrackingState.forInstance(i.config, scriptConfigs, fileConfigs, bfdConfigs, processConfigs);
            addGroupTracking(i);
        }
        for (Instance i : fresh) {
            addGroupTracking(i);
        }
        List<ScriptTracker> newTrackers = reconcileScriptTrackers(scriptsBefore);
        setupNotifier();

        for (Instance i : kept) {
            refreshTracking(i);
            reevaluate(i);
        }
        for (Instance i : fresh) {
            prepare(i, now);
        }
        startInitInstances(now);
        for (ScriptTracker t : newTrackers) {
            t.start(now);
            runScript(t);
        }
        startFilePolling();
        LOG.info("VRRP configuration reloaded: {} kept, {} started", kept.size(), fresh.size());
    }

    /** The same virtual router across a reload: interface, VRID, family and VMAC (keepalived ignores the name). */
    private static boolean sameRouter(VrrpInstance a, VrrpInstance b) {
        return a.iface().equals(b.iface()) && a.virtualRouterId() == b.virtualRouterId() && a.ipv6() == b.ipv6()
                && !InstanceNet.vmacChanged(a, b);
    }

    /** Reload: stops an instance for good (priority 0 and VIPs released if MASTER). */
    private void stopInstance(Instance i, long now, String why) {
        LOG.info("({}) {}", i.name(), why);
        // keepalived on a reload that deletes an instance: a MASTER sends priority 0 and releases its
        // VIPs; the generic notify and the FIFO say FAULT (unless it was in FAULT already), and neither
        // notify_stop nor notify_fault runs
        VrrpState before = i.fsm.state();
        List<Action> actions = new ArrayList<>(i.fsm.shutdown(now));
        actions.removeIf(a -> a instanceof Action.Notify);
        apply(i, actions);
        if (before != VrrpState.FAULT && before != VrrpState.INIT) {
            Action.Notify n = new Action.Notify(Action.Target.INSTANCE, i.name(), VrrpState.FAULT, i.fsm.effectivePriority());
            if (notifier != null) {
                notifier.dispatchGeneric(n);
            }
            listener.onNotify(n);
        }
        i.cancelTimer();
        i.cancelGarp();
        i.cancelHold();
        if (i.vipsClaimed) {
            i.releaseVips();
        }
        detach(i);
        i.net.removeVmac(io);
        instances.remove(i.name());
    }

    /** Reload: same interface, VRID and family; everything else is taken in place. */
    private void updateInstance(Instance i, VrrpInstance n, long now) {
        VrrpInstance old = i.config;
        InstanceSettings settings = InstanceSettings.from(n, global);
        boolean sourceChanged = !java.util.Objects.equals(old.unicastSrcIp(), n.unicastSrcIp())
                || !java.util.Objects.equals(old.mcastSrcIp(), n.mcastSrcIp())
                || old.unicastPeers().isEmpty() != n.unicastPeers().isEmpty();
        i.fsm.reconfigure(settings);
        if (sourceChanged) {
            i.source = null; // resolveSource below (or on attach) sets the new primary address
        }
        List<VipAddress> oldVips = i.vips;
        List<VirtualRoute> oldRoutes = i.routes;
        GarpSchedule oldGarp = i.garp;
        i.configure(n);
        if (i.socket != null && !i.socket.key.equals(socketKey(n, i.fsm.settings()))) {
            detach(i);
            try {
                attach(i);
            } catch (IOException | RuntimeException e) {
                LOG.error("({}) cannot open a VRRP socket on {}: {}", i.name(), n.iface(), e.getMessage());
            }
        }
        if (sourceChanged && i.socket != null) {
            i.resolveSource();
        }
        if (i.vipsClaimed) {
            i.changeVips(oldVips, oldRoutes, now);
            if (!oldGarp.masterRefresh().equals(i.garp.masterRefresh())
                    || oldGarp.refreshRepeat() != i.garp.refreshRepeat()) {
                i.restartRefresh(now);
            }
        }
        if (i.meters != null) {
            i.meters.setPriority(settings.basePriority());
            labelVips(i);
        }
        if (!old.equals(n)) {
            LOG.info("({}) configuration changed - applied in place", i.name());
        }
    }

    /**
     * ctl handoff: a MASTER instance sends priority 0, releases its VIPs and goes BACKUP, then
     * holds an effective priority of 1 (so it does not preempt back) until {@code hold} elapses or
     * {@link #handback} is called. Members of a vrrp_sync_group hand over together.
     *
     * @param hold null, zero or negative: until {@link #handback}
     */
    public HandoffResult handoff(String instance, Duration hold) {
        return onScheduler(() -> {
            Instance i = instances.get(instance);
            if (i == null) {
                return new HandoffResult(HandoffResult.Outcome.UNKNOWN_INSTANCE, instance, null, 0,
                        "no vrrp_instance " + instance);
            }
            if (i.fsm.settings().addressOwner()) {
                return result(i, HandoffResult.Outcome.ADDRESS_OWNER, "(" + instance
                        + ") is the address owner (priority 255) and cannot hand over");
            }
            if (i.fsm.state() != VrrpState.MASTER) {
                return result(i, HandoffResult.Outcome.NOT_MASTER, "(" + instance + ") is not master ("
                        + i.fsm.state() + ") - nothing to hand over");
            }
            long now = clock.nanoTime();
            boolean timed = hold != null && !hold.isZero() && !hold.isNegative();
            List<Instance> affected = withGroup(i);
            for (Instance m : affected) {
                m.hold(timed ? now + hold.toNanos() : Long.MIN_VALUE);
            }
            LOG.info("({}) handoff requested: sending priority 0 and holding priority 1 {}", instance,
                    timed ? "for " + hold.toMillis() / 1000.0 + " s" : "until handback");
            VrrpSyncGroupFsm g = groupOf.get(i.name());
            if (g == null) {
                apply(i, i.fsm.resign(now, "handoff"));
            } else {
                apply(g.resign(now, "handoff"));
            }
            for (Instance m : affected) {
                reevaluate(m);
            }
            return result(i, HandoffResult.Outcome.HANDED_OFF, "(" + instance + ") handed over; holding priority 1 "
                    + (timed ? "for " + hold.toMillis() / 1000.0 + " s" : "until handback"));
        });
    }

    /** Ends a handoff hold early: the configured priority returns (and preemption rules apply). */
    public HandoffResult handback(String instance) {
        return onScheduler(() -> {
            Instance i = instances.get(instance);
            if (i == null) {
                return new HandoffResult(HandoffResult.Outcome.UNKNOWN_INSTANCE, instance, null, 0,
                        "no vrrp_instance " + instance);
            }
            if (!i.held) {
                return result(i, HandoffResult.Outcome.NOT_HELD, "(" + instance + ") holds no handoff");
            }
            for (Instance m : withGroup(i)) {
                endHold(m);
            }
            return result(i, HandoffResult.Outcome.HANDED_BACK, "(" + instance + ") handoff hold lifted; priority "
                    + i.fsm.effectivePriority());
        });
    }

    private List<Instance> withGroup(Instance i) {
        VrrpSyncGroupFsm g = groupOf.get(i.name());
        if (g == null) {
            return List.of(i);
        }
        List<Instance> out = new ArrayList<>();
        for (VrrpInstanceFsm m : g.members()) {
            out.add(instances.get(m.name()));
        }
        return out;
    }

    private void endHold(Instance i) {
        if (!i.held || stopped) {
            return;
        }
        i.cancelHold();
        LOG.info("({}) handoff hold ended", i.name());
        reevaluate(i);
    }

    private static HandoffResult result(Instance i, HandoffResult.Outcome o, String message) {
        return new HandoffResult(o, i.name(), i.fsm.state(), i.fsm.effectivePriority(), message);
    }

    /** Runs on the scheduler thread and waits for the answer (directly when already on it). */
    private <T> T onScheduler(java.util.function.Supplier<T> task) {
        if (scheduler.inSchedulerThread()) {
            return task.get();
        }
        if (stopped) {
            throw new IllegalStateException("VRRP engine is stopped");
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        scheduler.execute(() -> {
            try {
                f.complete(task.get());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        try {
            return f.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("VRRP scheduler did not answer", e);
        }
    }

    // ------------------------------------------------------------------ stop, status

    /**
     * The SIGTERM path: masters send priority 0 and remove their VIPs, every instance goes to STOP,
     * then sockets and threads close. Blocks up to a few seconds; idempotent.
     */
    public void stop() {
        stop(true);
    }

    /**
     * Stops. With {@code release} false (keepalived's -V, --dont-release-vrrp) no priority-0 advert
     * goes out and the VIPs, their no_accept filter and the VMAC interfaces they sit on stay as they
     * are: the peer takes over only after Master_Down_Interval, as after a crash.
     */
    public void stop(boolean release) {
        if (stopped) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        scheduler.execute(() -> {
            try {
                long now = clock.nanoTime();
                if (release) {
                    for (VrrpSyncGroupFsm g : groups) {
                        apply(g.shutdown(now));
                    }
                }
                for (Instance i : instances.values()) {
                    if (release && !groupOf.containsKey(i.name())) {
                        apply(i, i.fsm.shutdown(now));
                    }
                    i.cancelTimer();
                    i.cancelGarp();
                    i.cancelHold();
                }
            } finally {
                stopped = true;
                done.complete(null);
            }
        });
        try {
            done.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("VRRP shutdown did not finish cleanly: {}", e.toString());
            stopped = true;
        }
        if (release) {
            io.vipFilter().clear();
        }
        if (linkSubscription != null) {
            try {
                linkSubscription.close();
            } catch (Exception ignored) {
                // nothing to undo
            }
        }
        unwatchProcesses();
        scheduler.stop();
        closeSockets();
        if (release) {
            for (Instance i : instances.values()) {
                i.net.removeVmac(io);
            }
        }
        if (ownedRunner != null) {
            ownedRunner.close();
        }
        for (SharedSocket s : sockets.values()) {
            try {
                s.thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void closeSockets() {
        for (SharedSocket s : sockets.values()) {
            s.socket.close();
        }
    }

    /** A consistent snapshot of every instance (taken on the scheduler thread). */
    public List<InstanceStatus> status() {
        if (stopped || scheduler.inSchedulerThread()) {
            List<InstanceStatus> out = new ArrayList<>();
            for (Instance i : instances.values()) {
                out.add(i.status());
            }
            return out;
        }
        CompletableFuture<List<InstanceStatus>> f = new CompletableFuture<>();
        scheduler.execute(() -> {
            List<InstanceStatus> out = new ArrayList<>();
            for (Instance i : instances.values()) {
                out.add(i.status());
            }
            f.complete(out);
        });
        try {
            return f.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("VRRP scheduler did not answer", e);
        }
    }

    public Optional<InstanceStatus> status(String instance) {
        return status().stream().filter(s -> s.iname().equals(instance)).findFirst();
    }

    /**
     * How late the scheduler ran its tasks (timers: adverts, master-down): {max ns, count later than
     * 10 ms, tasks run} since start or the last {@code reset}.
     */
    public long[] schedulerLateness(boolean reset) {
        long[] l = scheduler.lateness();
        if (reset) {
            scheduler.resetLateness();
        }
        return l;
    }

    /** Packets whose VRID matched no instance on the socket they arrived on. */
    public long unknownVridPackets() {
        return unknownVridPackets.get();
    }

    // ------------------------------------------------------------------ parts

    private record SocketKey(String iface, boolean ipv6, boolean unicast, int ttl, boolean ah) {}

    private final class SharedSocket {
        final SocketKey key;
        final VrrpSocket socket;
        final Map<Integer, Instance> byVrid = new ConcurrentHashMap<>();
        final Thread thread;

        SharedSocket(SocketKey key, VrrpSocket socket) {
            this.key = key;
            this.socket = socket;
            this.thread = new Thread(() -> receiveLoop(this),
                    "vrrp-recv-" + key.iface() + (key.ipv6() ? "-v6" : "-v4") + (key.unicast() ? "-ucast" : "")
                            + (key.ah() ? "-ah" : ""));
            this.thread.setDaemon(true);
            this.thread.setPriority(Thread.MAX_PRIORITY);
        }
    }

    /** One vrrp_instance: its state machine and everything the engine keeps for it. */
    private final class Instance {
        VrrpInstance config;
        final VrrpInstanceFsm fsm;
        final InstanceNet net;
        SharedSocket socket;
        TrackingState tracking;
        final Map<String, Long> fileValues = new HashMap<>();
        boolean unicast;
        List<InetAddress> destinations = List.of();
        List<VipAddress> vips = List.of();
        List<VirtualRoute> routes = List.of();
        GarpSchedule garp;
        final Map<String, AtomicLong> stats = new ConcurrentHashMap<>();
        final List<VrrpScheduler.Timer> garpTimers = new ArrayList<>();
        VrrpScheduler.Timer timer;
        VrrpScheduler.Timer holdTimer;
        VrrpMetrics.Instance meters;
        /** IPsec AH: the sequence number (sent and received) and the IPv4 identification of our adverts. */
        final AhSequence ahSequence = new AhSequence();
        int ahIpId;
        /** Set while a MASTER handles an AH advert: an advert sent in answer skips one number. */
        boolean ahSkipBeforeAnswer;
        InetAddress source;
        boolean reportedFault;
        boolean heldLogged;
        boolean vipsClaimed;
        /** ctl handoff: effective priority 1 until the hold ends. */
        boolean held;
        int refreshGeneration;
        long lastTransitionMillis;

        Instance(VrrpInstance config, VrrpInstanceFsm fsm, TrackingState tracking) {
            this.tracking = tracking;
            this.fsm = fsm;
            this.net = new InstanceNet(config.name());
            configure(config);
            for (String s : List.of("advert_rcvd", "advert_sent", "become_master", "release_master",
                    "pri_zero_rcvd", "pri_zero_sent")) {
                stats.put(s, new AtomicLong());
            }
            for (RejectReason r : RejectReason.values()) {
                stats.put(r.statName, new AtomicLong());
            }
        }

        /** Destinations, VIPs, routes and GARP schedule from the config (at creation and on reload). */
        void configure(VrrpInstance c) {
            this.config = c;
            net.configure(c);
            this.unicast = !c.unicastPeers().isEmpty();
            List<InetAddress> d = new ArrayList<>();
            if (unicast) {
                for (UnicastPeer p : c.unicastPeers()) {
                    d.add(p.address());
                }
            } else {
                d.add(multicastGroup(fsm.settings().ipv6()));
            }
            destinations = d;
            List<VipAddress> v = new ArrayList<>();
            for (StaticAddress a : c.virtualIpaddresses()) {
                v.add(VipAddress.from(a, InstanceNet.vipIface(c)));
            }
            for (StaticAddress a : c.virtualIpaddressExcluded()) {
                v.add(VipAddress.from(a, InstanceNet.vipIface(c)));
            }
            vips = v;
            List<VirtualRoute> r = new ArrayList<>();
            for (StaticRoute sr : c.virtualRoutes()) {
                try {
                    r.add(VirtualRoute.parse(sr.words(), c.iface()));
                } catch (RuntimeException e) {
                    LOG.error("({}) virtual_routes: {} - ignoring", c.name(), e.getMessage());
                }
            }
            routes = r;
            this.garp = GarpSchedule.from(c, global);
        }

        void hold(long untilNanos) {
            cancelHold();
            held = true;
            if (untilNanos != Long.MIN_VALUE) {
                holdTimer = scheduler.at(untilNanos, () -> endHold(this));
            }
        }

        void cancelHold() {
            held = false;
            if (holdTimer != null) {
                holdTimer.cancel();
                holdTimer = null;
            }
        }

        String name() {
            return config.name();
        }

        void countRejected(RejectReason r) {
            count(r.statName);
            if (meters != null) {
                meters.packetError(r);
            }
        }

        void count(String stat) {
            stats.computeIfAbsent(stat, k -> new AtomicLong()).incrementAndGet();
        }

        void cancelTimer() {
            if (timer != null) {
                timer.cancel();
                timer = null;
            }
        }

        void cancelGarp() {
            for (VrrpScheduler.Timer t : garpTimers) {
                t.cancel();
            }
            garpTimers.clear();
        }

        /** unicast_src_ip / mcast_src_ip, else the interface's first IPv4 address or IPv6 link-local. */
        void resolveSource() {
            InetAddress configured = unicast && config.unicastSrcIp() != null ? config.unicastSrcIp()
                    : config.mcastSrcIp();
            InetAddress found = configured;
            if (found == null) {
                try {
                    for (InterfaceAddress a : io.addresses().list(config.iface())) {
                        if (a.ipv6() != fsm.settings().ipv6() || isVip(a.address())) {
                            continue;
                        }
                        if (!a.ipv6() || a.linkLocal()) {
                            found = a.address();
                            break;
                        }
                    }
                } catch (IOException e) {
                    LOG.warn("({}) cannot read addresses of {}: {}", name(), config.iface(), e.getMessage());
                }
            }
            if (found instanceof Inet6Address && ((Inet6Address) found).getScopeId() != 0) {
                try {
                    found = InetAddress.getByAddress(found.getAddress()); // the fsm compares plain addresses
                } catch (java.net.UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
            if (found == null) {
                LOG.warn("({}) no {} address on {} to send adverts from", name(),
                        fsm.settings().ipv6() ? "link-local IPv6" : "IPv4", config.iface());
            } else if (!found.equals(source)) {
                source = found;
                fsm.setPrimaryAddress(found);
            }
        }

        boolean isVip(InetAddress a) {
            for (VipAddress v : vips) {
                if (v.address().equals(a)) {
                    return true;
                }
            }
            return false;
        }

        /**
         * RFC 5798's TTL / hop limit 255 applies to multicast adverts only: unicast ones may cross
         * routers, and keepalived sends them with the system's default hop limit over IPv6 unless
         * unicast_ttl is set. A unicast advert is held to its sender's min_ttl / max_ttl, if any.
         */
        boolean ttlOk(InetAddress src, int ttl) {
            if (ttl < 0) {
                return true; // the kernel did not say
            }
            if (!unicast) {
                return ttl == VrrpCodec.REQUIRED_TTL;
            }
            UnicastPeer p = peer(src);
            return p == null || (ttl >= minTtl(p) && ttl <= maxTtl(p));
        }

        String ttlRange(InetAddress src) {
            UnicastPeer p = peer(src);
            return p == null ? "any" : minTtl(p) + "-" + maxTtl(p);
        }

        /** The unicast_peer {@code src} is, or null. */
        UnicastPeer peer(InetAddress src) {
            for (UnicastPeer p : config.unicastPeers()) {
                if (p.address().equals(src)) {
                    return p;
                }
            }
            return null;
        }

        private static int minTtl(UnicastPeer p) {
            return p.minTtl() == null ? 0 : p.minTtl();
        }

        private static int maxTtl(UnicastPeer p) {
            return p.maxTtl() == null ? 255 : p.maxTtl();
        }

        /** The global vrrp_check_unicast_src, the instance's check_unicast_src, or a peer's TTL limits (keepalived: they turn it on). */
        boolean checksUnicastSource() {
            if (global != null && global.vrrpCheckUnicastSrc()) {
                return true;
            }
            if (config.options() != null && config.options().containsKey("check_unicast_src")) {
                return true;
            }
            for (UnicastPeer p : config.unicastPeers()) {
                if (p.minTtl() != null || p.maxTtl() != null) {
                    return true;
                }
            }
            return false;
        }

        void sendAdvert(int priority) {
            if (socket == null) {
                return; // no interface: FAULT, nothing to send on
            }
            if (source == null) {
                resolveSource();
                if (source == null) {
                    return;
                }
            }
            VrrpPacket p = fsm.advert(priority);
            if (ahSkipBeforeAnswer && socket.key.ah() && fsm.state() == VrrpState.MASTER) {
                ahSkipBeforeAnswer = false;
                ahSequence.next();
            }
            for (InetAddress dst : destinations) {
                try {
                    byte[] bytes = socket.key.ah()
                            ? IpsecAh.encodeIpv4(p, source, dst, ++ahIpId, socket.key.ttl(), ahSequence.next(),
                                    IpsecAh.key(fsm.settings().authPass()))
                            : VrrpCodec.encode(p, source, dst, fsm.settings().oldUnicastChecksum() && unicast);
                    socket.socket.send(bytes, source, dst);
                    count("advert_sent");
                    if (priority == 0) {
                        count("pri_zero_sent");
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.warn("({}) cannot send advert to {}: {}", name(), dst.getHostAddress(), e.getMessage());
                }
            }
        }

        /** no_accept: the drop rule goes in before the VIPs (keepalived's order) and follows reloads. */
        void filterVips() {
            if (fsm.settings().acceptMode()) {
                io.vipFilter().unblock(name());
            } else {
                io.vipFilter().block(name(), vips);
            }
        }

        void claimVips() {
            filterVips();
            vipsClaimed = true;
            LOG.info("({}) Setting VIPs.", name());
            for (VipAddress v : vips) {
                try {
                    io.addresses().add(v);
                } catch (IOException e) {
                    LOG.error("({}) cannot add VIP {}: {}", name(), v, e.getMessage());
                }
            }
            for (VirtualRoute r : routes) {
                try {
                    io.routes().add(r);
                } catch (IOException | RuntimeException e) {
                    LOG.error("({}) cannot add route {}: {}", name(), r, e.getMessage());
                }
            }
            net.addRules(io);
            cancelGarp();
            long now = clock.nanoTime();
            for (Duration d : garp.afterTransition()) {
                garpTimers.add(scheduler.at(now + d.toNanos(), () -> announce(vips)));
            }
            if (garp.refreshes()) {
                scheduleRefresh(now + garp.masterRefresh().toNanos(), ++refreshGeneration);
            }
        }

        /** One garp_master_refresh round at {@code at}; a newer generation (reload) ends this chain. */
        private void scheduleRefresh(long at, int generation) {
            for (Duration d : garp.refreshBurst()) {
                garpTimers.add(scheduler.at(at + d.toNanos(), () -> {
                    if (generation == refreshGeneration) {
                        announce(vips);
                    }
                }));
            }
            garpTimers.add(scheduler.at(at, () -> {
                garpTimers.removeIf(t -> t.deadlineNanos() - clock.nanoTime() <= 0);
                if (generation == refreshGeneration && garp.refreshes()) {
                    scheduleRefresh(at + garp.masterRefresh().toNanos(), generation);
                }
            }));
        }

        /** Reload while MASTER with other garp_master_refresh settings: the rounds start over with them. */
        void restartRefresh(long now) {
            refreshGeneration++;
            if (garp.refreshes()) {
                scheduleRefresh(now + garp.masterRefresh().toNanos(), refreshGeneration);
            }
        }

        /**
         * garp_lower_prio_repeat announcements now and as many again garp_lower_prio_delay later:
         * a lower-priority master was heard, the network's caches may point at it.
         */
        void refreshGarp() {
            int repeat = config.garpLowerPrioRepeat();
            if (repeat <= 0 || !vipsClaimed) {
                return;
            }
            long now = clock.nanoTime();
            garpTimers.removeIf(t -> t.deadlineNanos() - now < 0);
            Duration delay = config.garpLowerPrioDelay() == null ? Duration.ZERO : config.garpLowerPrioDelay();
            for (int k = 0; k < repeat; k++) {
                long at = now + garp.interval().multipliedBy(k).toNanos();
                garpTimers.add(scheduler.at(at, () -> announce(vips)));
                if (!delay.isZero()) {
                    garpTimers.add(scheduler.at(at + delay.toNanos(), () -> announce(vips)));
                }
            }
        }

        /**
         * Reload while MASTER: removes the dropped VIPs and routes, adds the new ones and announces
         * only those (garp_master_repeat now, again after garp_master_delay).
         */
        void changeVips(List<VipAddress> before, List<VirtualRoute> routesBefore, long now) {
            filterVips();
            for (VirtualRoute r : routesBefore) {
                if (!routes.contains(r)) {
                    try {
                        io.routes().remove(r);
                    } catch (IOException | RuntimeException e) {
                        LOG.error("({}) cannot remove route {}: {}", name(), r, e.getMessage());
                    }
                }
            }
            for (VipAddress v : before) {
                if (!vips.contains(v)) {
                    LOG.info("({}) removing VIP {} (reload)", name(), v);
                    try {
                        io.addresses().remove(v);
                    } catch (IOException e) {
                        LOG.error("({}) cannot remove VIP {}: {}", name(), v, e.getMessage());
                    }
                }
            }
            List<VipAddress> added = new ArrayList<>();
            for (VipAddress v : vips) {
                if (!before.contains(v)) {
                    LOG.info("({}) adding VIP {} (reload)", name(), v);
                    try {
                        io.addresses().add(v);
                        added.add(v);
                    } catch (IOException e) {
                        LOG.error("({}) cannot add VIP {}: {}", name(), v, e.getMessage());
                    }
                }
            }
            for (VirtualRoute r : routes) {
                if (!routesBefore.contains(r)) {
                    try {
                        io.routes().add(r);
                    } catch (IOException | RuntimeException e) {
                        LOG.error("({}) cannot add route {}: {}", name(), r, e.getMessage());
                    }
                }
            }
            net.changeRules(io);
            if (!added.isEmpty()) {
                for (Duration d : garp.afterTransition()) {
                    garpTimers.add(scheduler.at(now + d.toNanos(), () -> announce(added)));
                }
            }
        }

        void announce(List<VipAddress> which) {
            if (stopped || fsm.state() != VrrpState.MASTER) {
                return;
            }
            for (VipAddress v : which) {
                try {
                    io.gratuitousArp().announce(v.dev(), v.address());
                } catch (IOException e) {
                    LOG.warn("({}) cannot announce {}: {}", name(), v.address().getHostAddress(), e.getMessage());
                }
            }
        }

        void releaseVips() {
            cancelGarp();
            boolean any = net.removeRules(io);
            for (VirtualRoute r : routes) {
                try {
                    any |= io.routes().remove(r);
                } catch (IOException | RuntimeException e) {
                    LOG.error("({}) cannot remove route {}: {}", name(), r, e.getMessage());
                }
            }
            for (VipAddress v : vips) {
                try {
                    any |= io.addresses().remove(v);
                } catch (IOException e) {
                    LOG.error("({}) cannot remove VIP {}: {}", name(), v, e.getMessage());
                }
            }
            if (any || vipsClaimed) {
                LOG.info("({}) removing VIPs.", name());
            }
            vipsClaimed = false;
            io.vipFilter().unblock(name());
        }

        InstanceStatus status() {
            List<String> v = new ArrayList<>();
            for (VipAddress a : vips) {
                v.add(a.toString());
            }
            Map<String, Long> s = new HashMap<>();
            for (Map.Entry<String, AtomicLong> e : stats.entrySet()) {
                s.put(e.getKey(), e.getValue().get());
            }
            InstanceSettings st = fsm.settings();
            return new InstanceStatus(name(), config.iface(), st.vrid(), fsm.state(), st.basePriority(),
                    fsm.effectivePriority(), st.advertIntervalCentis(), fsm.masterAdverIntervalCentis(), st.version(),
                    fsm.masterAddress() == null ? null : fsm.masterAddress().getHostAddress(), v,
                    lastTransitionMillis, s);
        }
    }
}
