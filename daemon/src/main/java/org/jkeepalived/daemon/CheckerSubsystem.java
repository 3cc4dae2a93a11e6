package org.jkeepalived.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoopGroup;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jkeepalived.core.config.GlobalDefs;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.config.StaticAddress;
import org.jkeepalived.core.config.VrrpInstance;
import org.jkeepalived.core.config.VrrpState;
import org.jkeepalived.core.table.DesiredTable;
import org.jkeepalived.core.table.ServiceKey;
import org.jkeepalived.healthcheck.HealthcheckService;
import org.jkeepalived.healthcheck.RealServerStatus;
import org.jkeepalived.ipvs.IpvsMetrics;
import org.jkeepalived.ipvs.IpvsTableFormatter;
import org.jkeepalived.ipvs.LvsBackend;
import org.jkeepalived.ipvs.LvsException;
import org.jkeepalived.ipvs.engine.UserspaceEngine;
import org.jkeepalived.ipvs.kernel.KernelIpvsBackend;
import org.jkeepalived.ipvs.kernel.SyncDaemon;
import org.jkeepalived.ipvs.reconcile.FlushOnStop;
import org.jkeepalived.ipvs.reconcile.ReconcileResult;
import org.jkeepalived.ipvs.reconcile.Reconciler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived's checker side: the health checkers decide the desired table, the reconciler makes
 * the backend (kernel IPVS or the userspace engine) match it. Changes arrive in bursts; they are
 * coalesced and applied on one thread.
 */
final class CheckerSubsystem implements Subsystem, Daemon.ControlHandler {
    private static final Logger log = LoggerFactory.getLogger("Keepalived_healthcheckers");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String engineChoice;
    private final boolean keepTableOnStop;
    private final MeterRegistry registry;
    private final ScheduledExecutorService applier = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "table-reconciler");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean applyPending = new AtomicBoolean();
    private final AtomicBoolean rereadNext = new AtomicBoolean();
    private EventLoopGroup group;
    private LvsBackend backend;
    private Reconciler reconciler;
    private IpvsMetrics ipvsMetrics;
    private volatile HealthcheckService checkers;
    private volatile KeepalivedConfig config;
    /** VIPs our VRRP instances hold now (for ha_suspend). */
    private final java.util.Set<java.net.InetAddress> masterVips = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** False with -C: no VRRP here tells which addresses we hold, so ha_suspend cannot apply. */
    private final boolean vrrpRuns;

    private final BfdSubsystem bfd;
    private final NotifyFifos fifos;
    private final EmailAlerts mail;

    CheckerSubsystem(String engineChoice, boolean keepTableOnStop, MeterRegistry registry, BfdSubsystem bfd,
                     NotifyFifos fifos, EmailAlerts mail, boolean vrrpRuns) {
        this.vrrpRuns = vrrpRuns;
        this.mail = mail;
        this.fifos = fifos;
        this.engineChoice = engineChoice;
        this.keepTableOnStop = keepTableOnStop;
        this.registry = registry;
        this.bfd = bfd;
    }

    @Override public String name() {
        return "checkers (" + (backend == null ? engineChoice : backend.name()) + ")";
    }

    @Override public void start(KeepalivedConfig cfg) throws Exception {
        config = cfg;
        backend = chooseBackend(engineChoice);
        ipvsMetrics = new IpvsMetrics(registry);
        reconciler = new Reconciler(backend, ipvsMetrics);
        reconciler.start(cfg.globalDefs().lvsFlush());
        applyTimeouts(cfg.globalDefs());
        group = org.jkeepalived.healthcheck.check.Net.newGroup(1, "checker");
        checkers = newCheckers(cfg, null);
        suspendWhereNotMaster(checkers);
        checkers.start();
        requestApply();
        applier.scheduleWithFixedDelay(this::refreshStats, 2, 2, TimeUnit.SECONDS);
        applier.scheduleWithFixedDelay(() -> {
            rereadNext.set(true);
            requestApply();
        }, 60, 60, TimeUnit.SECONDS);
    }

    private HealthcheckService newCheckers(KeepalivedConfig cfg, HealthcheckService previous) {
        if (fifos != null) fifos.applyConfig(cfg);
        if (mail != null) mail.applyConfig(cfg);
        HealthcheckService.Builder b = HealthcheckService.builder(cfg).eventLoopGroup(group).meterRegistry(registry)
                .listener(new org.jkeepalived.healthcheck.HealthcheckListener() {
                    @Override public void onChange(org.jkeepalived.core.table.TableChange change) {
                        requestApply();
                    }

                    // notify_fifo / lvs_notify_fifo lines, as keepalived writes them
                    @Override public void onRealServer(String vs, String rs, boolean up) {
                        if (fifos != null) fifos.lvs("RS " + rs + " " + vs + (up ? " UP" : " DOWN"));
                    }

                    @Override public void onQuorum(String vs, boolean up) {
                        if (fifos != null) fifos.lvs("VS " + vs + (up ? " UP" : " DOWN"));
                    }
                });
        // BFD_CHECK reads the daemon's sessions (shared with track_bfd), not sessions of its own
        if (bfd != null && bfd.apply(cfg) != null) b.bfd(bfd.service());
        if (mail != null) b.smtpAlerter(mail.alerter());
        if (previous != null) b.inheritFrom(previous);
        return b.build();
    }

    /** ha_suspend: checks of a virtual server whose address we do not hold wait until VRRP makes us master. */
    private void suspendWhereNotMaster(HealthcheckService c) {
        if (!vrrpRuns) {
            if (!c.haSuspendServices().isEmpty()) log.info("ha_suspend has no effect with -C/--check (no VRRP here): checks run");
            return;
        }
        for (ServiceKey k : c.haSuspendServices()) {
            if (k.address() == null || !masterVips.contains(k.address())) c.suspend(k);
        }
    }

    /** kernel IPVS when present (auto), else the userspace engine; the log says which, as does status. */
    static LvsBackend chooseBackend(String choice) throws LvsException {
        if (!"userspace".equals(choice)) {
            try {
                LvsBackend k = KernelIpvsBackend.open();
                log.info("Using kernel IPVS for the virtual server table");
                return k;
            } catch (LvsException | RuntimeException | LinkageError e) {
                if ("kernel".equals(choice)) throw new LvsException(e.getMessage());
                log.warn("Kernel IPVS unavailable ({}); using the userspace L4 engine", e.getMessage());
            }
        }
        UserspaceEngine u = new UserspaceEngine();
        log.info("Using the userspace L4 engine ({}) for the virtual server table", u.transportName());
        return u;
    }

    private void applyTimeouts(GlobalDefs g) {
        if (g.lvsTimeouts() == null) return;
        var t = g.lvsTimeouts();
        try {
            backend.setTimeouts(new LvsBackend.Timeouts(secs(t.tcp()), secs(t.tcpfin()), secs(t.udp())));
        } catch (LvsException e) {
            log.warn("lvs_timeouts: {}", e.getMessage());
        }
    }

    private static Integer secs(java.time.Duration d) {
        return d == null ? null : (int) d.getSeconds();
    }

    /** Coalesce a burst of checker changes into one reconcile. */
    private void requestApply() {
        if (applyPending.compareAndSet(false, true)) applier.execute(this::apply);
    }

    private void apply() {
        applyPending.set(false);
        HealthcheckService c = checkers;
        if (c == null) return;
        DesiredTable desired = c.desiredTable();
        // after a reload and now and then, re-read the backend so hand-made changes (ipvsadm) are seen
        boolean reread = rereadNext.getAndSet(false);
        ReconcileResult r = reconciler.reconcile(desired, reread);
        if (!r.ok()) {
            r.failures().forEach(f -> log.error("IPVS: {} failed: {}", f.op(), f.message()));
            // the reconciler re-read the table; try again shortly rather than leave it half-applied
            applier.schedule(this::requestApply, 1, TimeUnit.SECONDS);
        }
    }

    private void refreshStats() {
        try {
            ipvsMetrics.update(backend.readStats());
        } catch (LvsException | RuntimeException e) {
            log.debug("reading IPVS stats: {}", e.getMessage());
        }
    }

    /** A new config: a fresh checker set for it, the table reconciled by difference (unchanged entries are not touched). */
    @Override public void reload(KeepalivedConfig cfg) throws Exception {
        HealthcheckService old = checkers;
        HealthcheckService fresh = newCheckers(cfg, old); // keeps up/down verdicts and quorum of unchanged servers
        suspendWhereNotMaster(fresh);
        fresh.start(); // started before it is published: the table is never read from a half-started set
        checkers = fresh;
        config = cfg;
        old.closeReplacedBy(fresh);
        applyTimeouts(cfg.globalDefs());
        rereadNext.set(true);
        requestApply();
    }

    /**
     * The VRRP side's transitions: ha_suspend follows whether we hold a virtual address, and the
     * IPVS sync daemon (lvs_sync_daemon) runs as master on the master, as backup elsewhere.
     */
    void vrrpStateChanged(VrrpInstance vi, VrrpState state) {
        boolean master = state == VrrpState.MASTER;
        for (StaticAddress a : vi.virtualIpaddresses()) vrrpMaster(a.address(), master);
        for (StaticAddress a : vi.virtualIpaddressExcluded()) vrrpMaster(a.address(), master);
        GlobalDefs.LvsSyncDaemon sync = config == null ? null : config.globalDefs().lvsSyncDaemon();
        if (sync != null && vi.name().equals(sync.vrrpInstance()) && state != VrrpState.INIT) {
            applier.execute(() -> syncDaemon(sync, master));
        }
    }

    private void syncDaemon(GlobalDefs.LvsSyncDaemon sync, boolean master) {
        if (!(backend instanceof KernelIpvsBackend k)) {
            log.warn("lvs_sync_daemon needs kernel IPVS; the {} backend has no connection sync", backend.name());
            return;
        }
        SyncDaemon.State want = master ? SyncDaemon.State.MASTER : SyncDaemon.State.BACKUP;
        SyncDaemon.State other = master ? SyncDaemon.State.BACKUP : SyncDaemon.State.MASTER;
        try {
            for (SyncDaemon d : k.readSyncDaemons()) {
                if (d.state() == other) k.stopSyncDaemon(other);
                if (d.state() == want) return;
            }
            k.startSyncDaemon(new SyncDaemon(want, sync.iface(), sync.syncId(), sync.maxlen(), sync.group(), sync.port(), sync.ttl()));
            log.info("Starting IPVS sync daemon as {} on {} (syncid {})", want.name().toLowerCase(), sync.iface(), sync.syncId());
        } catch (LvsException e) {
            log.error("lvs_sync_daemon: {}", e.getMessage());
        }
    }

    private void vrrpMaster(java.net.InetAddress vip, boolean master) {
        if (master) masterVips.add(vip);
        else masterVips.remove(vip);
        HealthcheckService c = checkers;
        if (c == null) return;
        for (ServiceKey k : c.haSuspendServices()) {
            if (vip.equals(k.address())) {
                if (master) c.resume(k);
                else c.suspend(k);
            }
        }
    }

    @Override public void status(ObjectNode into) {
        into.put("backend", backend == null ? "none" : backend.name());
        ArrayNode vss = into.putArray("virtual_servers");
        Map<String, ArrayNode> byVs = new LinkedHashMap<>();
        HealthcheckService c = checkers;
        if (c == null) return;
        for (RealServerStatus s : c.status()) {
            ArrayNode rss = byVs.computeIfAbsent(s.virtualServer(), vs -> {
                ObjectNode n = vss.addObject();
                n.put("name", vs);
                n.put("quorum_up", s.services().isEmpty() || c.quorumUp(s.services().get(0)));
                return n.putArray("real_servers");
            });
            ObjectNode rs = rss.addObject();
            rs.put("name", "[" + s.address().getHostAddress() + "]:" + s.port());
            rs.put("address", s.address().getHostAddress());
            rs.put("port", s.port());
            rs.put("alive", s.alive());
            rs.put("weight", s.weight());
            rs.put("in_table", s.inTable());
            if (s.lastFailure() != null) rs.put("reason", s.lastFailure());
        }
    }

    @Override public JsonNode handle(String cmd, JsonNode request) throws Exception {
        if (!cmd.equals("ipvs-list")) return null;
        IpvsTableFormatter.Mode mode = switch (request.path("mode").asText("plain")) {
            case "stats" -> IpvsTableFormatter.Mode.STATS;
            case "rate" -> IpvsTableFormatter.Mode.RATE;
            default -> IpvsTableFormatter.Mode.LIST;
        };
        List<LvsBackend.ServiceStats> stats = backend.readStats();
        String version = "1.2.1";
        int size = 4096;
        if (backend instanceof KernelIpvsBackend k) {
            var info = k.info();
            version = info.versionString();
            size = info.connTableSize();
        }
        ObjectNode reply = JSON.createObjectNode();
        reply.put("ok", true);
        reply.put("backend", backend.name());
        reply.put("text", IpvsTableFormatter.format(version, size, backend.readTable(), stats, mode));
        return reply;
    }

    @Override public void close() {
        HealthcheckService c = checkers;
        checkers = null;
        if (c != null) c.close();
        applier.shutdownNow();
        if (reconciler != null) {
            FlushOnStop mode = keepTableOnStop ? FlushOnStop.KEEP : FlushOnStop.fromConfig(config.globalDefs().lvsFlushOnstop());
            ReconcileResult r = reconciler.stop(mode);
            if (!r.ok()) log.error("removing the table on stop: {}", r);
        }
        if (backend instanceof KernelIpvsBackend k && config != null && config.globalDefs().lvsSyncDaemon() != null) {
            try {
                for (SyncDaemon d : k.readSyncDaemons()) k.stopSyncDaemon(d.state());
            } catch (LvsException e) {
                log.warn("stopping the IPVS sync daemon: {}", e.getMessage());
            }
        }
        if (backend != null) backend.close();
        if (group != null) group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
