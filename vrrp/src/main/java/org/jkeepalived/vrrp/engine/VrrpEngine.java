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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jkeepalived.core.config.GlobalDefs;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.config.StaticAddress;
import org.jkeepalived.core.config.StaticRoute;
import org.jkeepalived.core.config.TrackFile;
import org.jkeepalived.core.config.UnicastPeer;
import org.jkeepalived.core.config.VrrpInstance;
import org.jkeepalived.core.config.VrrpScript;
import org.jkeepalived.core.config.VrrpState;
import org.jkeepalived.core.config.VrrpSyncGroup;
import org.jkeepalived.core.time.MonotonicClock;
import org.jkeepalived.vrrp.codec.DecodeResult;
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
import org.jkeepalived.vrrp.io.LinkInfo;
import org.jkeepalived.vrrp.io.NetIo;
import org.jkeepalived.vrrp.io.ReceivedPacket;
import org.jkeepalived.vrrp.io.VipAddress;
import org.jkeepalived.vrrp.io.VirtualRoute;
import org.jkeepalived.vrrp.io.VrrpSocket;
import org.jkeepalived.vrrp.io.VrrpSocketConfig;
import org.jkeepalived.vrrp.track.NotifyDispatcher;
import org.jkeepalived.vrrp.track.PriorityCalculator;
import org.jkeepalived.vrrp.track.ProcessScriptRunner;
import org.jkeepalived.vrrp.track.ScriptRunner;
import org.jkeepalived.vrrp.track.ScriptTracker;
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
 * track_file polled every second) turns into FAULT / effective-priority events for the machines.
 *
 * <p>On start every non-owner instance releases its VIPs first, which removes addresses a killed
 * earlier run left behind. {@link #stop()} (the SIGTERM path) makes each master send priority 0
 * and remove its VIPs before the sockets close.
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
    private final GlobalDefs global;
    private final Map<String, Instance> instances = new LinkedHashMap<>();
    private final Map<String, VrrpSyncGroupFsm> groupOf = new HashMap<>();
    private final List<VrrpSyncGroupFsm> groups = new ArrayList<>();
    private final Map<SocketKey, SharedSocket> sockets = new LinkedHashMap<>();
    private final AtomicLong unknownVridPackets = new AtomicLong();
    private final Map<String, VrrpScript> scriptConfigs = new HashMap<>();
    private final Map<String, TrackFile> fileConfigs = new HashMap<>();
    private final Map<String, ScriptTracker> scriptTrackers = new LinkedHashMap<>();
    private ScriptRunner scriptRunner;
    private ProcessScriptRunner ownedRunner;
    private NotifyDispatcher notifier;
    private AutoCloseable linkSubscription;
    private volatile boolean stopped;

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
     * track_script through {@code scripts}, track_file) and notify scripts.
     *
     * @param scripts  runs vrrp_script and notify scripts (null: the engine makes its own
     *                 {@link ProcessScriptRunner} and closes it on stop)
     * @param registry where the per-instance meters go (null: none)
     */
    public static VrrpEngine start(KeepalivedConfig config, NetIo io, MonotonicClock clock, EngineListener listener,
                                   MeterRegistry registry, ScriptRunner scripts) throws IOException {
        VrrpEngine e = new VrrpEngine(io, clock, config.globalDefs(), listener, registry);
        for (VrrpScript s : config.vrrpScripts()) {
            e.scriptConfigs.put(s.name(), s);
        }
        for (TrackFile f : config.trackFiles()) {
            e.fileConfigs.put(f.name(), f);
        }
        e.scriptRunner = scripts;
        return e.launch(config.vrrpInstances(), config.vrrpSyncGroups());
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
            e.open(instances, syncGroups);
        } catch (IOException | RuntimeException ex) {
            e.closeSockets();
            throw ex;
        }
        e.scheduler.onThreadStart(io::prioritizeCurrentThread);
        e.scheduler.start();
        for (SharedSocket s : e.sockets.values()) {
            s.thread.start();
        }
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

    private void open(List<VrrpInstance> configs, List<VrrpSyncGroup> syncGroups) throws IOException {
        for (VrrpInstance vi : configs) {
            InstanceSettings settings = InstanceSettings.from(vi, global);
            VrrpInstanceFsm fsm = new VrrpInstanceFsm(settings);
            boolean unicast = !vi.unicastPeers().isEmpty();
            int ttl = unicast && vi.unicastTtl() != null ? vi.unicastTtl() : 255;
            SocketKey key = new SocketKey(vi.iface(), settings.ipv6(), unicast, ttl);
            SharedSocket sock = sockets.get(key);
            if (sock == null) {
                InetAddress group = null;
                if (!unicast) {
                    group = settings.ipv6() ? VrrpSocketConfig.VRRP_GROUP6 : VrrpSocketConfig.VRRP_GROUP4;
                    if (global != null && !settings.ipv6() && global.vrrpMcastGroup4() != null) {
                        group = global.vrrpMcastGroup4();
                    } else if (global != null && settings.ipv6() && global.vrrpMcastGroup6() != null) {
                        group = global.vrrpMcastGroup6();
                    }
                }
                VrrpSocket s = io.openVrrpSocket(new VrrpSocketConfig(vi.iface(), settings.ipv6(), group, ttl, false));
                sock = new SharedSocket(key, s);
                sockets.put(key, sock);
            }
            Instance inst = new Instance(vi, fsm, sock,
                    TrackingState.forInstance(vi, scriptConfigs, fileConfigs));
            if (sock.byVrid.putIfAbsent(settings.vrid(), inst) != null) {
                throw new IllegalArgumentException("(" + vi.name() + ") VRID " + settings.vrid()
                        + " is used twice on " + vi.iface());
            }
            if (instances.putIfAbsent(vi.name(), inst) != null) {
                throw new IllegalArgumentException("vrrp_instance " + vi.name() + " defined twice");
            }
            if (metrics != null) {
                inst.meters = metrics.instance(vi.name(), vi.iface(), settings.vrid(), settings.basePriority());
            }
        }
        for (VrrpSyncGroup g : syncGroups) {
            List<VrrpInstanceFsm> members = new ArrayList<>();
            for (String n : g.group()) {
                Instance i = instances.get(n);
                if (i == null) {
                    LOG.warn("vrrp_sync_group {}: unknown instance {} - ignoring", g.name(), n);
                    continue;
                }
                members.add(i.fsm);
            }
            if (members.isEmpty()) {
                continue;
            }
            VrrpSyncGroupFsm gf = new VrrpSyncGroupFsm(g.name(), members);
            groups.add(gf);
            for (VrrpInstanceFsm m : members) {
                groupOf.put(m.name(), gf);
                instances.get(m.name()).tracking.addSyncGroup(g, scriptConfigs, fileConfigs);
            }
        }
        // one tracker per vrrp_script, shared by the instances that track it
        for (Instance i : instances.values()) {
            for (String n : i.tracking.names(PriorityCalculator.Kind.SCRIPT)) {
                VrrpScript sc = scriptConfigs.get(n);
                if (sc != null) {
                    scriptTrackers.computeIfAbsent(n, k -> ScriptTracker.from(sc));
                }
            }
        }
        boolean notifies = false;
        for (Instance i : instances.values()) {
            notifies |= hasNotify(NotifyDispatcher.Scripts.of(i.config));
        }
        for (VrrpSyncGroup g : syncGroups) {
            notifies |= hasNotify(NotifyDispatcher.Scripts.of(g));
        }
        if (scriptRunner == null && (notifies || !scriptTrackers.isEmpty())) {
            ownedRunner = new ProcessScriptRunner();
            scriptRunner = ownedRunner;
        }
        if (notifies) {
            notifier = new NotifyDispatcher(scriptRunner, NOTIFY_TIMEOUT);
            for (Instance i : instances.values()) {
                notifier.register(Action.Target.INSTANCE, i.name(), NotifyDispatcher.Scripts.of(i.config));
            }
            for (VrrpSyncGroup g : syncGroups) {
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
        for (Instance i : instances.values()) {
            i.resolveSource();
            for (String n : i.tracking.names(PriorityCalculator.Kind.INTERFACE)) {
                i.tracking.setInterface(n, io.links().link(n).map(LinkInfo::usable).orElse(false));
            }
            readTrackFiles(i);
            PriorityCalculator.Result r = i.tracking.evaluate();
            // the fsm is still in INIT: these only set its flags, start() then honours them
            if (r.fault()) {
                i.reportedFault = true;
                LOG.info("({}) {} - entering FAULT", i.name(), String.join(", ", r.faultReasons()));
                i.fsm.onFault(now, String.join(", ", r.faultReasons()));
            }
            if (r.effectivePriority() != i.fsm.effectivePriority()) {
                i.fsm.onPriorityChange(now, r.effectivePriority());
            }
        }
        linkSubscription = io.links().subscribe(l -> scheduler.execute(() -> onLink(l)));
        for (VrrpSyncGroupFsm g : groups) {
            apply(g.start(now));
        }
        for (Instance i : instances.values()) {
            if (!groupOf.containsKey(i.name())) {
                apply(i, i.fsm.start(now));
            }
        }
        for (ScriptTracker t : scriptTrackers.values()) {
            t.start(now);
            runScript(t);
        }
        if (!fileConfigs.isEmpty()) {
            scheduler.after(FILE_POLL.toNanos(), this::pollFiles);
        }
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
        for (Instance i : instances.values()) {
            if (i.tracking.setInterface(l.name(), l.usable())) {
                if (l.usable() && l.name().equals(i.config.iface())) {
                    i.resolveSource();
                }
                reevaluate(i);
            }
        }
    }

    /** Runs one vrrp_script if due, and arms the timer for its next run. */
    private void runScript(ScriptTracker t) {
        if (stopped) {
            return;
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
            if (stopped) {
                return;
            }
            if (t.onResult(code)) {
                for (Instance i : instances.values()) {
                    if (i.tracking.setScript(t.name(), t.status())) {
                        reevaluate(i);
                    }
                }
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
        if (r.fault() && !i.reportedFault) {
            i.reportedFault = true;
            String why = String.join(", ", r.faultReasons());
            LOG.info("({}) {} - entering FAULT", i.name(), why);
            fire(i, f -> f.onFault(now, why), g -> g.onFault(i.name(), now));
        } else if (!r.fault() && i.reportedFault) {
            i.reportedFault = false;
            fire(i, f -> f.onFaultCleared(now), g -> g.onFaultCleared(i.name(), now));
        }
        if (r.effectivePriority() != i.fsm.effectivePriority()) {
            int p = r.effectivePriority();
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

    // ------------------------------------------------------------------ receive

    private void receiveLoop(SharedSocket s) {
        io.prioritizeCurrentThread();
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
        DecodeResult r = VrrpCodec.decode(p.vrrp(), p.source(), p.destination(), VrrpCodec.TTL_UNCHECKED);
        int vrid = r.ok() ? r.packet().vrid() : (p.vrrp().length > 1 ? p.vrrp()[1] & 0xff : -1);
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
        if (!i.ttlOk(p.ttl())) {
            LOG.info("({}) invalid TTL/HL {} from {}, expected 255 - discarding", i.name(), p.ttl(),
                    p.source().getHostAddress());
            scheduler.execute(() -> i.countRejected(RejectReason.IP_TTL_ERR));
            return;
        }
        // vrrp_check_unicast_src: a unicast instance hears only its unicast_peers
        if (i.unicast && global != null && global.vrrpCheckUnicastSrc() && !i.isPeer(p.source())) {
            LOG.debug("({}) advert from {} is not from a unicast_peer - ignoring", i.name(), p.source().getHostAddress());
            return;
        }
        VrrpPacket packet = r.packet();
        scheduler.execute(() -> onAdvert(i, packet, p.source()));
    }

    // ------------------------------------------------------------------ stop, status

    /**
     * The SIGTERM path: masters send priority 0 and remove their VIPs, every instance goes to STOP,
     * then sockets and threads close. Blocks up to a few seconds; idempotent.
     */
    public void stop() {
        if (stopped) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        scheduler.execute(() -> {
            try {
                long now = clock.nanoTime();
                for (VrrpSyncGroupFsm g : groups) {
                    apply(g.shutdown(now));
                }
                for (Instance i : instances.values()) {
                    if (!groupOf.containsKey(i.name())) {
                        apply(i, i.fsm.shutdown(now));
                    }
                    i.cancelTimer();
                    i.cancelGarp();
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
        if (linkSubscription != null) {
            try {
                linkSubscription.close();
            } catch (Exception ignored) {
                // nothing to undo
            }
        }
        scheduler.stop();
        closeSockets();
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

    private record SocketKey(String iface, boolean ipv6, boolean unicast, int ttl) {}

    private final class SharedSocket {
        final SocketKey key;
        final VrrpSocket socket;
        final Map<Integer, Instance> byVrid = new ConcurrentHashMap<>();
        final Thread thread;

        SharedSocket(SocketKey key, VrrpSocket socket) {
            this.key = key;
            this.socket = socket;
            this.thread = new Thread(() -> receiveLoop(this),
                    "vrrp-recv-" + key.iface() + (key.ipv6() ? "-v6" : "-v4") + (key.unicast() ? "-ucast" : ""));
            this.thread.setDaemon(true);
            this.thread.setPriority(Thread.MAX_PRIORITY);
        }
    }

    /** One vrrp_instance: its state machine and everything the engine keeps for it. */
    private final class Instance {
        final VrrpInstance config;
        final VrrpInstanceFsm fsm;
        final SharedSocket socket;
        final TrackingState tracking;
        final Map<String, Long> fileValues = new HashMap<>();
        final boolean unicast;
        final List<InetAddress> destinations = new ArrayList<>();
        final List<VipAddress> vips = new ArrayList<>();
        final List<VirtualRoute> routes = new ArrayList<>();
        final GarpSchedule garp;
        final Map<String, AtomicLong> stats = new ConcurrentHashMap<>();
        final List<VrrpScheduler.Timer> garpTimers = new ArrayList<>();
        VrrpScheduler.Timer timer;
        VrrpMetrics.Instance meters;
        InetAddress source;
        boolean reportedFault;
        boolean vipsClaimed;
        long lastTransitionMillis;

        Instance(VrrpInstance config, VrrpInstanceFsm fsm, SharedSocket socket, TrackingState tracking) {
            this.config = config;
            this.tracking = tracking;
            this.fsm = fsm;
            this.socket = socket;
            this.unicast = !config.unicastPeers().isEmpty();
            if (unicast) {
                for (UnicastPeer p : config.unicastPeers()) {
                    destinations.add(p.address());
                }
            } else {
                destinations.add(socket.socket.config().multicastGroup());
            }
            for (StaticAddress a : config.virtualIpaddresses()) {
                vips.add(VipAddress.from(a, config.iface()));
            }
            for (StaticAddress a : config.virtualIpaddressExcluded()) {
                vips.add(VipAddress.from(a, config.iface()));
            }
            for (StaticRoute r : config.virtualRoutes()) {
                try {
                    routes.add(VirtualRoute.parse(r.words(), config.iface()));
                } catch (RuntimeException e) {
                    LOG.error("({}) virtual_routes: {} - ignoring", config.name(), e.getMessage());
                }
            }
            if (!config.virtualRules().isEmpty()) {
                LOG.warn("({}) virtual_rules are not supported yet - ignoring {} rule(s)", config.name(),
                        config.virtualRules().size());
            }
            this.garp = GarpSchedule.from(config, global);
            for (String s : List.of("advert_rcvd", "advert_sent", "become_master", "release_master",
                    "pri_zero_rcvd", "pri_zero_sent")) {
                stats.put(s, new AtomicLong());
            }
            for (RejectReason r : RejectReason.values()) {
                stats.put(r.statName, new AtomicLong());
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

        boolean ttlOk(int ttl) {
            if (ttl < 0) {
                return true; // the kernel did not say
            }
            if (unicast) {
                if (config.unicastTtl() != null) {
                    return true; // peers routed through hops: keepalived checks only min/max_ttl then
                }
                for (UnicastPeer p : config.unicastPeers()) {
                    if (p.minTtl() != null || p.maxTtl() != null) {
                        int lo = p.minTtl() == null ? 0 : p.minTtl();
                        int hi = p.maxTtl() == null ? 255 : p.maxTtl();
                        return ttl >= lo && ttl <= hi;
                    }
                }
            }
            return ttl == VrrpCodec.REQUIRED_TTL;
        }

        boolean isPeer(InetAddress src) {
            for (InetAddress d : destinations) {
                if (d.equals(src)) {
                    return true;
                }
            }
            return false;
        }

        void sendAdvert(int priority) {
            if (source == null) {
                resolveSource();
                if (source == null) {
                    return;
                }
            }
            VrrpPacket p = fsm.advert(priority);
            for (InetAddress dst : destinations) {
                try {
                    byte[] bytes = VrrpCodec.encode(p, source, dst, fsm.settings().oldUnicastChecksum() && unicast);
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

        void claimVips() {
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
            cancelGarp();
            long now = clock.nanoTime();
            for (Duration d : garp.afterTransition()) {
                garpTimers.add(scheduler.at(now + d.toNanos(), this::announce));
            }
            if (garp.refreshes()) {
                scheduleRefresh(now + garp.masterRefresh().toNanos());
            }
        }

        private void scheduleRefresh(long at) {
            for (Duration d : garp.refreshBurst()) {
                garpTimers.add(scheduler.at(at + d.toNanos(), this::announce));
            }
            garpTimers.add(scheduler.at(at, () -> {
                garpTimers.removeIf(t -> t.deadlineNanos() - clock.nanoTime() <= 0);
                scheduleRefresh(at + garp.masterRefresh().toNanos());
            }));
        }

        void announce() {
            if (stopped || fsm.state() != VrrpState.MASTER) {
                return;
            }
            for (VipAddress v : vips) {
                try {
                    io.gratuitousArp().announce(v.dev(), v.address());
                } catch (IOException e) {
                    LOG.warn("({}) cannot announce {}: {}", name(), v.address().getHostAddress(), e.getMessage());
                }
            }
        }

        void releaseVips() {
            cancelGarp();
            boolean any = false;
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
