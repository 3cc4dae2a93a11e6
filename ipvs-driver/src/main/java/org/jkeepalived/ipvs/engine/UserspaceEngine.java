package org.jkeepalived.ipvs.engine;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.resolver.NoopAddressResolverGroup;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jkeepalived.core.config.L4Protocol;
import org.jkeepalived.core.table.Destination;
import org.jkeepalived.core.table.ServiceKey;
import org.jkeepalived.core.table.VirtualService;
import org.jkeepalived.core.time.MonotonicClock;
import org.jkeepalived.ipvs.LvsBackend;
import org.jkeepalived.ipvs.LvsException;
import org.jkeepalived.ipvs.engine.sched.LocalityBasedLeastConnection;
import org.jkeepalived.ipvs.engine.sched.Schedulers;
import org.jkeepalived.ipvs.nativeio.TcpSockets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The userspace L4 engine: a virtual-server table served by Netty sockets instead of kernel IPVS.
 * Each TCP/UDP virtual service listens on its address:port (IP_FREEBIND on io_uring/epoll, so a VIP not yet
 * on the host can be bound); each client connection or UDP flow is scheduled to a real server with
 * the kernel schedulers' semantics and proxied to it (full NAT: the real server sees the engine's
 * address). Differences from IPVS: fwmark and SCTP services are refused; forwarding methods DR/TUN
 * act as NAT; a real server that refuses is excluded for a hold-down and the client retried on another.
 */
public final class UserspaceEngine implements LvsBackend {
    private static final Logger log = LoggerFactory.getLogger(UserspaceEngine.class);
    /**
     * One read-size policy for every proxied socket: Netty otherwise gives each channel its own
     * instance (the per-channel state lives in its handle), 32 bytes of heap per socket that stay
     * while a connection idles. Reads start at 2 KB and grow up to 128 KB only while a side keeps
     * filling them (a download): half as many reads and writes per byte as Netty's 64 KB ceiling.
     */
    private static final RecvByteBufAllocator RECV_ALLOCATOR = new AdaptiveRecvByteBufAllocator(64, 2048, 128 * 1024);
    /**
     * A side stops reading while more than 128 KB wait to be written to the other (Netty's default: 64
     * KB), so a bulk transfer is not paused and resumed after every other read. The cost is what a
     * client slower than its real server can hold in the engine: at most this plus one read, 256 KB.
     * Measured on a 1 GiB download through the engine: 1.12-1.23x HAProxy's throughput against
     * 0.97-1.41x with Netty's defaults (ipvs-driver/bench/engine-vs-haproxy.sh).
     */
    private static final WriteBufferWaterMark WRITE_WATER_MARK = new WriteBufferWaterMark(64 * 1024, 128 * 1024);

    final EngineSettings settings;
    final MonotonicClock clock;
    final long lblcExpirationNanos = LocalityBasedLeastConnection.DEFAULT_EXPIRATION_NANOS;
    private final Transport transport;
    private final EventLoopGroup group;
    private final Map<ServiceKey, EngineService> services = new LinkedHashMap<>();
    /** A copy for the event loops' periodic tasks, which must never wait for the table lock. */
    private volatile List<EngineService> serviceSnapshot = List.of();
    private final Set<ProxiedTcp> tcpConns = ConcurrentHashMap.newKeySet();
    private final Set<UdpRelay.Flow> udpFlows = ConcurrentHashMap.newKeySet();
    private final Bootstrap backendBase;
    private final Map<EventLoop, Bootstrap> backendPerLoop;
    private final Bootstrap datagramBase;
    private volatile Timeouts timeouts = new Timeouts(900, 120, 300);
    private volatile boolean closed;
    /** The event loops' threads, in the group's order (= the order of each service's listeners). */
    private final List<Thread> loopThreads;
    /** Hands accepted connections to the least loaded loop (native transports, several loops); else null. */
    private final LeastLoadedChildGroup childGroup;
    /** Which loop listens for the next TCP service when one loop per service does (addService, under the lock). */
    private int acceptorTurn;
    /** Null when every loop takes its share of new connections (one loop, NIO, or steering failed). */
    private volatile AcceptSteering steering;
    private volatile AcceptSteering.Mode steeredTo = AcceptSteering.Mode.SPREAD;
    private final Object steerLock = new Object();
    /** Direct relay (io_uring): each loop's read buffer; empty when TCP goes through Netty channels. */
    private final Map<EventLoop, UringLoopBuffer> loopBuffers;
    private static final long STEERING_PERIOD_MS = 100;

    public UserspaceEngine() {
        this(EngineSettings.defaults(), MonotonicClock.SYSTEM);
    }

    public UserspaceEngine(EngineSettings settings, MonotonicClock clock) {
        this.settings = settings;
        this.clock = clock;
        this.transport = Transport.choose(settings.transport());
        if (!settings.transport().equals("nio") && !transport.isNative()) {
            log.info("userspace engine: no native transport ({}), using NIO", Transport.unavailabilityCause());
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        int threads = settings.ioThreads() > 0 ? settings.ioThreads() : cpus <= 1 ? 1 : Math.max(2, cpus / 2);
        this.group = transport.newGroup(threads, "jk-engine");
        this.loopThreads = loopThreads(group);
        this.childGroup = transport.isNative() && threads > 1 && settings.balanceLoops() ? new LeastLoadedChildGroup(group) : null;
        if (settings.ioNice() != 0) setNice(group, settings.ioNice());
        // TCP_NODELAY is Netty's default on both transports (setting it again costs a syscall)
        // real servers are addresses, never names: no resolver lookup per connection
        this.backendBase = new Bootstrap().channel(transport.socket()).resolver(NoopAddressResolverGroup.INSTANCE)
                .option(ChannelOption.RCVBUF_ALLOCATOR, RECV_ALLOCATOR)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WRITE_WATER_MARK)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis());
        this.datagramBase = new Bootstrap().channel(transport.datagram());
        Map<EventLoop, Bootstrap> perLoop = new IdentityHashMap<>();
        group.forEach(l -> perLoop.put((EventLoop) l, backendBase.clone((EventLoop) l)));
        this.backendPerLoop = perLoop;
        Map<EventLoop, UringLoopBuffer> buffers = new IdentityHashMap<>();
        if (transport == Transport.IO_URING && settings.directRelay()) {
            group.forEach(l -> buffers.put((EventLoop) l, new UringLoopBuffer()));
        }
        this.loopBuffers = buffers;
        long sweepNanos = settings.sweepInterval().toNanos();
        group.next().scheduleAtFixedRate(this::sweep, sweepNanos, sweepNanos, TimeUnit.NANOSECONDS);
        group.next().scheduleAtFixedRate(this::estimate, 2, 2, TimeUnit.SECONDS);
        ThreadMXBean tmx = ManagementFactory.getThreadMXBean();
        if (transport.isNative() && threads > 1 && loopThreads.size() == threads && tmx.isThreadCpuTimeSupported()
                && settings.acceptOnEveryLoop() && settings.acceptSteering()) {
            steering = new AcceptSteering(threads);
            group.next().scheduleAtFixedRate(() -> steer(tmx), 0, STEERING_PERIOD_MS, TimeUnit.MILLISECONDS);
        }
        log.info("userspace engine started: {} transport{}, {} I/O threads", transport.label(),
                loopBuffers.isEmpty() ? "" : " (direct TCP relay)", threads);
    }

    @Override public String name() {
        return "userspace";
    }

    /** "io_uring", "epoll" or "nio". */
    public String transportName() {
        return transport.label();
    }

    /**
     * The bootstrap for connections to real servers from {@code loop}: one per loop, made once (cloning
     * copies every option map), used only on its own loop's thread, so setting its handler is safe.
     */
    Bootstrap backendBootstrap(EventLoop loop) {
        Bootstrap b = backendPerLoop.get(loop);
        return b != null ? b : backendBase.clone(loop);
    }

    Bootstrap datagramBootstrap(EventLoop loop) {
        return datagramBase.clone(loop);
    }

    /** A connection from its accept (its loop already counted by {@link LeastLoadedChildGroup#assign}). */
    void register(ProxiedTcp c) {
        tcpConns.add(c);
    }

    void unregister(ProxiedTcp c) {
        if (tcpConns.remove(c) && childGroup != null) childGroup.closed(c.loop());
    }

    /** An event loop and its direct-relay read buffer. */
    record LoopSlot(IoEventLoop loop, UringLoopBuffer buffer) {}

    /** Where a connection the direct relay accepted on {@code accepting} lives (as LeastLoadedChildGroup decides). */
    LoopSlot loopFor(IoEventLoop accepting) {
        IoEventLoop l = childGroup != null ? (IoEventLoop) childGroup.assign() : accepting;
        return new LoopSlot(l, loopBuffers.get(l));
    }

    void register(UdpRelay.Flow f) {
        udpFlows.add(f);
    }

    void unregister(UdpRelay.Flow f) {
        udpFlows.remove(f);
    }

    void schedule(Runnable r, long delayNanos) {
        if (closed) return;
        try {
            group.next().schedule(r, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            // the engine is closing: nothing left to re-enable
        }
    }

    /** TCP connections currently proxied (all states). */
    public int tcpConnectionCount() {
        return tcpConns.size();
    }

    /** UDP flows currently open. */
    public int udpFlowCount() {
        return udpFlows.size();
    }

    @Override public synchronized List<VirtualService> readTable() {
        List<VirtualService> out = new ArrayList<>();
        for (EngineService s : services.values()) out.add(s.table());
        return out;
    }

    @Override public synchronized void addService(VirtualService vs) throws LvsException {
        ServiceKey key = vs.key();
        if (closed) throw new LvsException("the userspace engine is closed");
        if (key.isFwmark()) {
            throw new LvsException("Cannot add VS [" + key + "]: firewall-mark services are not supported by the "
                    + "userspace engine (it receives connections on sockets and never sees packet marks); "
                    + "use an address:port virtual_server or the kernel IPVS backend", 95, null);
        }
        if (key.protocol() != L4Protocol.TCP && key.protocol() != L4Protocol.UDP) {
            throw new LvsException("Cannot add VS [" + key + "]: protocol " + key.protocol()
                    + " is not supported by the userspace engine (TCP and UDP only)", 93, null);
        }
        if (key.port() == 0) {
            throw new LvsException("Cannot add VS [" + key + "]: port 0 (all ports) is not supported by the "
                    + "userspace engine", 22, null);
        }
        if (services.containsKey(key)) throw new LvsException("Service already exists: VS [" + key + "]", 17, null);
        EngineService es = new EngineService(this, vs);
        InetSocketAddress addr = new InetSocketAddress(key.address(), key.port());
        List<ChannelFuture> binds = new ArrayList<>();
        List<TcpListener> direct = null;
        if (key.protocol() == L4Protocol.TCP && !loopBuffers.isEmpty()) {
            direct = bindDirect(key, es, addr);
        } else if (key.protocol() == L4Protocol.TCP) {
            // The accepting loops (acceptingLoops) hand each connection to the least loaded loop
            // (LeastLoadedChildGroup). NIO has no SO_REUSEPORT: one listener feeding the whole group.
            List<EventLoopGroup> acceptors = new ArrayList<>();
            if (transport.isNative()) acceptors.addAll(acceptingLoops());
            else acceptors.add(group);
            for (EventLoopGroup loop : acceptors) {
                ServerBootstrap sb = new ServerBootstrap().group(loop, childGroup != null ? childGroup : loop)
                        .channel(transport.serverSocket())
                        .option(ChannelOption.SO_BACKLOG, 4096)
                        .option(ChannelOption.SO_REUSEADDR, true)
                        .childOption(ChannelOption.RCVBUF_ALLOCATOR, RECV_ALLOCATOR)
                        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WRITE_WATER_MARK)
                        .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                        .childHandler(new ChannelInitializer<Channel>() {
                            @Override protected void initChannel(Channel ch) {
                                ch.pipeline().addLast(new TcpConnection(es, ch));
                            }
                        });
                if (transport.isNative()) sb.option(transport.freeBind(), true).option(transport.reusePort(), true);
                ChannelFuture f = sb.bind(addr);
                binds.add(f);
                // the first bind says whether the address is free; the others then join its port group
                if (!f.awaitUninterruptibly().isSuccess()) break;
            }
        } else {
            UdpRelay relay = new UdpRelay(es);
            es.udp = relay;
            Bootstrap b = new Bootstrap().group(group).channel(transport.datagram())
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .handler(relay);
            if (transport.isNative()) b.option(transport.freeBind(), true);
            binds.add(b.bind(addr));
        }
        for (ChannelFuture f : binds) {
            if (!f.awaitUninterruptibly().isSuccess()) {
                for (ChannelFuture g : binds) if (g.isSuccess()) g.channel().close().awaitUninterruptibly();
                throw new LvsException("Cannot add VS [" + key + "]: bind " + ServiceKey.hostPort(key.address(), key.port())
                        + " failed: " + f.cause().getMessage(), 98, f.cause());
            }
        }
        if (es.udp != null) es.udp.listener = binds.get(0).channel();
        else if (direct != null) es.listeners = direct;
        else es.listeners = binds.stream().map(ChannelFuture::channel).map(TcpListener::of).toList();
        services.put(key, es);
        serviceSnapshot = List.copyOf(services.values());
        synchronized (steerLock) {
            if (steeredTo == AcceptSteering.Mode.FIRST && es.listeners.size() > 1) steerGroup(es.listeners.get(0), steeredTo);
        }
        log.info("Adding VS [{}] (scheduler {}) to the userspace engine", key, vs.scheduler());
    }

    /**
     * The loops that listen for a new TCP service: one, taken in turn for each service so that several
     * services' accepts fall on different threads (settings.acceptOnEveryLoop false), or every loop, each
     * with its own socket in one SO_REUSEPORT group whose kernel hash spreads new connections.
     */
    private List<IoEventLoop> acceptingLoops() {
        List<IoEventLoop> all = new ArrayList<>();
        group.forEach(l -> all.add((IoEventLoop) l));
        if (settings.acceptOnEveryLoop()) return all;
        return List.of(all.get(Math.floorMod(acceptorTurn++, all.size())));
    }

    /** The direct-relay listeners of a service, bound here (the first bind says whether the address is free). */
    private List<TcpListener> bindDirect(ServiceKey key, EngineService es, InetSocketAddress addr) throws LvsException {
        List<UringListener> out = new ArrayList<>();
        for (IoEventLoop l : acceptingLoops()) {
            try {
                out.add(new UringListener(es, l, addr));
            } catch (IOException | RuntimeException e) {
                for (UringListener u : out) u.stop();
                throw new LvsException("Cannot add VS [" + key + "]: bind " + ServiceKey.hostPort(key.address(), key.port())
                        + " failed: " + e.getMessage(), 98, e);
            }
        }
        for (UringListener u : out) u.start();
        return List.copyOf(out);
    }

    /** How many sockets listen for a TCP service (tests: one, or one per loop). */
    int listenerCount(ServiceKey key) throws LvsException {
        return service(key).listeners.size();
    }

    private EngineService service(ServiceKey key) throws LvsException {
        EngineService s = services.get(key);
        if (s == null) throw new LvsException("No such service: VS [" + key + "]", 3, null);
        return s;
    }

    @Override public synchronized void editService(VirtualService vs) throws LvsException {
        service(vs.key()).edit(vs);
    }

    /**
     * Stops accepting on the service. As with IPVS, established TCP connections keep flowing until they
     * end; UDP flows end with the socket.
     */
    @Override public synchronized void deleteService(ServiceKey key) throws LvsException {
        EngineService s = service(key);
        services.remove(key);
        serviceSnapshot = List.copyOf(services.values());
        s.stopListening();
        log.info("Removing VS [{}] from the userspace engine", key);
    }

    @Override public synchronized void addDestination(ServiceKey service, Destination d) throws LvsException {
        service(service).addDestination(d);
        log.info("Adding service [{}] to VS [{}]", d.key(), service);
    }

    @Override public synchronized void editDestination(ServiceKey service, Destination d) throws LvsException {
        service(service).editDestination(d);
    }

    @Override public synchronized void deleteDestination(ServiceKey service, Destination.DestinationKey d)
            throws LvsException {
        service(service).deleteDestination(d);
        log.info("Removing service [{}] from VS [{}]", d, service);
    }

    @Override public synchronized void flush() throws LvsException {
        for (ServiceKey k : new ArrayList<>(services.keySet())) deleteService(k);
    }

    @Override public synchronized List<ServiceStats> readStats() {
        List<ServiceStats> out = new ArrayList<>();
        for (EngineService s : services.values()) out.add(s.readStats());
        return out;
    }

    /** lvs_timeouts: 0 or null leaves a value as it is (ipvsadm --set semantics). */
    @Override public void setTimeouts(Timeouts t) throws LvsException {
        Timeouts cur = timeouts;
        timeouts = new Timeouts(pick(t.tcp(), cur.tcp()), pick(t.tcpFin(), cur.tcpFin()), pick(t.udp(), cur.udp()));
    }

    private static Integer pick(Integer v, Integer cur) {
        if (v == null || v == 0) return cur;
        if (v < 0) return cur;
        return v;
    }

    @Override public Timeouts readTimeouts() {
        return timeouts;
    }

    /** Are scheduler names valid here? (the same 13 as the kernel) */
    public static boolean supportsScheduler(String name) {
        return name != null && Schedulers.NAMES.contains(name);
    }

    private void sweep() {
        try {
            long now = clock.nanoTime();
            Timeouts t = timeouts;
            long tcp = t.tcp() * 1_000_000_000L;
            long fin = t.tcpFin() * 1_000_000_000L;
            long udp = t.udp() * 1_000_000_000L;
            for (ProxiedTcp c : tcpConns) c.checkIdle(now, tcp, fin);
            for (UdpRelay.Flow f : udpFlows) f.checkIdle(now, udp);
            for (EngineService s : serviceSnapshot) s.sweep(now);
        } catch (RuntimeException e) {
            log.warn("userspace engine sweep failed", e);
        }
    }

    /** Each loop's thread, asked from the loop itself (Netty starts them lazily). */
    private static List<Thread> loopThreads(EventLoopGroup group) {
        List<Thread> out = new ArrayList<>();
        for (var loop : group) {
            try {
                out.add(loop.submit(Thread::currentThread).get(5, TimeUnit.SECONDS));
            } catch (Exception e) {
                return List.of();
            }
        }
        return out;
    }

    private static int currentThreadId() throws java.io.IOException {
        // "/proc/thread-self" links to "PID/task/TID"
        String link = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
        return Integer.parseInt(link.substring(link.lastIndexOf('/') + 1));
    }

    /** Sets each loop thread's nice value, from the thread itself (it needs its own thread id). */
    private static void setNice(EventLoopGroup group, int nice) {
        for (var loop : group) {
            try {
                boolean ok = loop.submit(() -> TcpSockets.setThreadNice(currentThreadId(), nice)).get(5, TimeUnit.SECONDS);
                if (!ok) {
                    log.warn("userspace engine: cannot set the I/O threads' nice to {} (a negative value needs root)", nice);
                    return;
                }
            } catch (Exception | LinkageError e) {
                log.warn("userspace engine: cannot set the I/O threads' nice to {}: {}", nice, e.toString());
                return;
            }
        }
    }

    /** Every {@value #STEERING_PERIOD_MS} ms: the loops' CPU use decides where new connections go. */
    private void steer(ThreadMXBean tmx) {
        AcceptSteering st = steering;
        if (st == null) return;
        long[] cpu = new long[loopThreads.size()];
        for (int i = 0; i < cpu.length; i++) cpu[i] = Math.max(0, tmx.getThreadCpuTime(loopThreads.get(i).getId()));
        AcceptSteering.Mode m = st.update(System.nanoTime(), cpu);
        if (m != steeredTo) applySteering(m);
    }

    /**
     * Points every TCP service's listener group at the first loop, or back to the kernel's hash. Its own
     * lock, not the engine's: it runs on an event loop, and addService holds the engine's lock while it
     * waits for the loops to bind.
     */
    void applySteering(AcceptSteering.Mode m) {
        synchronized (steerLock) {
            steeredTo = m;
            if (childGroup != null) childGroup.balance(m == AcceptSteering.Mode.SPREAD);
            for (EngineService s : serviceSnapshot) {
                if (s.listeners.size() > 1 && !steerGroup(s.listeners.get(0), m)) return;
            }
        }
    }

    private boolean steerGroup(TcpListener listener, AcceptSteering.Mode m) {
        try {
            if (listener.fd() >= 0 && TcpSockets.steerReuseportGroup(listener.fd(), m == AcceptSteering.Mode.FIRST ? 0 : -1)) {
                return true;
            }
            log.warn("userspace engine: the kernel refused a SO_REUSEPORT program; every I/O thread takes new connections");
        } catch (RuntimeException | LinkageError e) {
            log.warn("userspace engine: cannot steer new connections ({}); every I/O thread takes them", e.toString());
        }
        steering = null;
        steeredTo = AcceptSteering.Mode.SPREAD;
        if (childGroup != null) childGroup.balance(true);
        for (EngineService s : serviceSnapshot) {
            if (s.listeners.size() > 1 && s.listeners.get(0).fd() >= 0) {
                try {
                    TcpSockets.steerReuseportGroup(s.listeners.get(0).fd(), -1);
                } catch (RuntimeException | LinkageError ignored) {
                    // nothing was attached then
                }
            }
        }
        return false;
    }

    /** For tests: how many proxied TCP connections each event loop holds, in the group's order. */
    int[] connectionsPerLoop() {
        int[] out = new int[loopThreads.size()];
        for (ProxiedTcp c : tcpConns) {
            for (int i = 0; i < out.length; i++) {
                if (c.loop().inEventLoop(loopThreads.get(i))) out[i]++;
            }
        }
        return out;
    }

    private void estimate() {
        for (EngineService s : serviceSnapshot) s.tick();
    }

    /** Closes every listener and connection and stops the event loops. */
    @Override public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
            for (EngineService s : services.values()) s.stopListening();
            services.clear();
            serviceSnapshot = List.of();
        }
        for (ProxiedTcp c : tcpConns) {
            try {
                c.loop().execute(c::close);
            } catch (RejectedExecutionException e) {
                // the loop closes its handles (and TcpConnection's channels) as it stops
            }
        }
        // a quiet period, not 0: the loops must still take in the completions of the receives the
        // closes above cancelled, whose buffers Netty releases only then (seen unreleased otherwise)
        group.shutdownGracefully(100, 2000, TimeUnit.MILLISECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (group.isTerminated()) loopBuffers.values().forEach(UringLoopBuffer::free);
    }
}
