package org.jkeepalived.ipvs.engine;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jkeepalived.core.config.L4Protocol;
import org.jkeepalived.core.table.Destination;
import org.jkeepalived.core.table.ServiceKey;
import org.jkeepalived.core.table.VirtualService;
import org.jkeepalived.ipvs.LvsBackend;
import org.jkeepalived.ipvs.LvsException;
import org.jkeepalived.ipvs.engine.sched.ClientKey;
import org.jkeepalived.ipvs.engine.sched.DestState;
import org.jkeepalived.ipvs.engine.sched.Scheduler;
import org.jkeepalived.ipvs.engine.sched.Schedulers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One virtual service in the engine: its destinations (newest first, as the kernel lists them),
 * scheduler, persistence templates and counters. Every table change and every scheduling decision
 * happens under this object's lock; connections keep a reference to their {@link EngineDest}, so a
 * removed server keeps its connections (and counters) until they end, like the kernel's dest trash.
 */
final class EngineService {
    private static final Logger log = LoggerFactory.getLogger(EngineService.class);

    final UserspaceEngine engine;
    final ServiceKey key;
    private VirtualService config;
    private Scheduler scheduler;
    private List<EngineDest> dests = List.of();
    /** Removed servers with open connections, revived if re-added (ip_vs_trash_get_dest). */
    private final Map<Destination.DestinationKey, EngineDest> trash = new HashMap<>();
    private final PersistenceTable<EngineDest> templates = new PersistenceTable<>();
    final StatsCounters stats = new StatsCounters();
    /** The TCP listening sockets: one, or one per event loop (acceptOnEveryLoop, native); UDP: {@link #udp}. */
    volatile List<TcpListener> listeners = List.of();
    volatile UdpRelay udp;
    private long lastNoDestLog;

    /**
     * Stops taking new connections and datagrams: every listening socket closed, each waited for, so
     * that its pending accept or receive is cancelled while its loop still runs (UDP flows end too;
     * established TCP connections keep flowing, as with IPVS).
     */
    void stopListening() {
        for (TcpListener l : listeners) l.stop();
        if (udp != null) udp.stop();
    }

    EngineService(UserspaceEngine engine, VirtualService vs) throws LvsException {
        this.engine = engine;
        this.key = vs.key();
        this.config = vs.serviceOnly();
        this.scheduler = newScheduler(vs);
        // as the kernel sees it: the service first, then its servers one at a time (each at the head)
        scheduler.destinationsChanged(view());
        for (Destination d : vs.destinations()) addDestination(d);
    }

    private Scheduler newScheduler(VirtualService vs) throws LvsException {
        try {
            return Schedulers.create(vs.scheduler(), vs.schedFlags(), engine.clock, engine.settings.mhTableSize(),
                    engine.lblcExpirationNanos);
        } catch (IllegalArgumentException e) {
            throw new LvsException("Scheduler not found: " + vs.scheduler() + " for VS [" + key + "]", 2, e);
        }
    }

    /** A destination port of 0 means the service's port (as with DR/TUN real servers). */
    private int effectivePort(Destination d) {
        return d.port() == 0 ? key.port() : d.port();
    }

    @SuppressWarnings("unchecked")
    private List<DestState> view() {
        return (List<DestState>) (List<?>) dests;
    }

    synchronized VirtualService table() {
        List<Destination> out = new ArrayList<>();
        for (EngineDest d : dests) out.add(d.config.withWeight(d.weight()));
        return config.withDestinations(out);
    }

    synchronized VirtualService config() {
        return config;
    }

    synchronized void edit(VirtualService vs) throws LvsException {
        boolean schedChanged = !vs.scheduler().equalsIgnoreCase(config.scheduler())
                || !vs.schedFlags().equals(config.schedFlags());
        if (schedChanged) {
            Scheduler s = newScheduler(vs);
            s.destinationsChanged(view());
            scheduler = s;
        }
        if (vs.persistenceTimeoutSeconds() == 0) templates.clear();
        config = vs.serviceOnly();
    }

    synchronized void addDestination(Destination d) throws LvsException {
        for (EngineDest x : dests) {
            if (x.key().equals(d.key())) {
                throw new LvsException("Destination already exists: " + d.key() + " in VS [" + key + "]", 17, null);
            }
        }
        EngineDest ed = trash.remove(d.key());
        if (ed != null) {
            ed.config = d;
            ed.update(d.weight(), d.upperThreshold(), d.lowerThreshold());
        } else {
            ed = new EngineDest(d, effectivePort(d));
        }
        ed.setAvailable(true);
        List<EngineDest> n = new ArrayList<>(dests.size() + 1);
        n.add(ed);
        n.addAll(dests);
        dests = List.copyOf(n);
        scheduler.destinationsChanged(view());
    }

    synchronized void editDestination(Destination d) throws LvsException {
        EngineDest ed = find(d.key());
        ed.config = d;
        ed.update(d.weight(), d.upperThreshold(), d.lowerThreshold());
        scheduler.destinationsChanged(view());
    }

    synchronized void deleteDestination(Destination.DestinationKey k) throws LvsException {
        EngineDest ed = find(k);
        ed.setAvailable(false);
        List<EngineDest> n = new ArrayList<>(dests);
        n.remove(ed);
        dests = List.copyOf(n);
        if (ed.totalConns() > 0) trash.put(k, ed);
        scheduler.destinationsChanged(view());
    }

    private EngineDest find(Destination.DestinationKey k) throws LvsException {
        for (EngineDest x : dests) if (x.key().equals(k)) return x;
        throw new LvsException("No such destination: " + k + " in VS [" + key + "]", 2, null);
    }

    /** The connection-side view of one scheduled connection. */
    static final class Binding {
        EngineDest dest;
        PersistenceTable.Template<EngineDest> template;
        boolean active;
    }

    /**
     * Schedules a new connection (or a retry of one whose server failed: {@code b.dest} set) and binds
     * it to the chosen server as inactive. Returns false when no server is available.
     */
    synchronized boolean schedule(ClientKey client, Binding b) {
        boolean retry = b.dest != null;
        if (retry) release(b);
        long now = engine.clock.nanoTime();
        EngineDest d;
        if (config.persistent()) {
            long timeout = config.persistenceTimeoutSeconds() * 1_000_000_000L;
            InetAddress masked = PersistenceTable.mask(client.source(), config.persistenceNetmask());
            PersistenceTable.Template<EngineDest> t = templates.lookup(masked, now, timeout, this::templateValid);
            d = t != null ? t.dest : pick(client);
            if (d == null) return noDest();
            b.template = templates.attach(masked, d, now, timeout);
        } else {
            d = pick(client);
            if (d == null) return noDest();
        }
        b.dest = d;
        b.active = false;
        d.bind(false);
        d.stats.conns.increment();
        if (!retry) stats.conns.increment();
        return true;
    }

    private boolean templateValid(EngineDest d) {
        return d.available() && !d.excluded() && !(engine.settings.expireQuiescentTemplate() && d.weight() == 0);
    }

    private EngineDest pick(ClientKey client) {
        return (EngineDest) scheduler.pick(view(), client);
    }

    private boolean noDest() {
        long now = engine.clock.nanoTime();
        if (now - lastNoDestLog > 1_000_000_000L) {
            lastNoDestLog = now;
            log.warn("{}: Scheduler {}: no destination available for VS [{}]", engine.name(),
                    scheduler.name(), key);
        }
        return false;
    }

    /** The connection reached ESTABLISHED. */
    synchronized void established(Binding b) {
        if (b.dest != null && !b.active) {
            b.dest.activate();
            b.active = true;
        }
    }

    /** The connection left ESTABLISHED (a FIN was seen). */
    synchronized void finSeen(Binding b) {
        if (b.dest != null && b.active) {
            b.dest.deactivate();
            b.active = false;
        }
    }

    /** The connection ended. */
    synchronized void release(Binding b) {
        EngineDest d = b.dest;
        if (d == null) return;
        d.unbind(b.active);
        b.active = false;
        if (b.template != null) {
            templates.detach(b.template);
            b.template = null;
        }
        if (!d.available() && d.totalConns() == 0) trash.remove(d.key(), d);
        b.dest = null;
    }

    /** A server refused or timed out: exclude it for the hold-down (beyond IPVS). */
    synchronized void connectFailed(EngineDest d, Throwable cause) {
        if (d.excluded()) return;
        d.setExcluded(true);
        log.warn("{}: connection to real server [{}] of VS [{}] failed ({}); excluding it for {} ms",
                engine.name(), d.key(), key, cause.getMessage() == null ? cause.toString() : cause.getMessage(),
                engine.settings.failureHoldDown().toMillis());
        engine.schedule(() -> {
            synchronized (EngineService.this) {
                d.setExcluded(false);
            }
            log.info("{}: real server [{}] of VS [{}] is eligible again", engine.name(), d.key(), key);
        }, engine.settings.failureHoldDown().toNanos());
    }

    synchronized int destinationCount() {
        return dests.size();
    }

    synchronized void sweep(long now) {
        if (config.persistent()) templates.expire(now, config.persistenceTimeoutSeconds() * 1_000_000_000L);
    }

    synchronized int templateCount() {
        return templates.size();
    }

    void tick() {
        stats.tick();
        List<EngineDest> ds;
        synchronized (this) {
            ds = new ArrayList<>(dests);
            ds.addAll(trash.values());
        }
        for (EngineDest d : ds) d.stats.tick();
    }

    synchronized LvsBackend.ServiceStats readStats() {
        List<LvsBackend.DestinationStats> out = new ArrayList<>();
        for (EngineDest d : dests) {
            out.add(new LvsBackend.DestinationStats(d.key(), d.activeConns(), d.inactConns(), d.stats.snapshot()));
        }
        return new LvsBackend.ServiceStats(key, stats.snapshot(), out);
    }

    boolean udp() {
        return key.protocol() == L4Protocol.UDP;
    }
}
