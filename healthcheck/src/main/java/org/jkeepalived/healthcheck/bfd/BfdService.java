package org.jkeepalived.healthcheck.bfd;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jkeepalived.core.config.BfdInstance;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.time.MonotonicClock;
import org.jkeepalived.healthcheck.nativeio.UdpTtlSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived's BFD process for the checkers: one RFC 5880 session per bfd_instance, single hop over UDP
 * (RFC 5881: to port 3784, from a port in 49152-65535, TTL 255 out, received TTL checked). Sessions run
 * on one thread (the loop handed in, or an own one); one blocking receiver thread per address family
 * listens on port 3784.
 *
 * <p>Received TTL: accepted when at least the instance's ttl minus max_hops (ttl 255 and max_hops 0:
 * exactly 255, as RFC 5881 says); max_hops 255 or -1 turns the check off.
 */
public final class BfdService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BfdService.class);
    public static final int PORT = 3784;

    /** A session changed state (called on the BFD loop: do not block). */
    @FunctionalInterface
    public interface Listener {
        void stateChanged(String name, BfdState state);
    }

    private final MonotonicClock clock;
    private final UdpTtlSocket.Opener opener;
    private final ScheduledExecutorService loop;
    private final boolean ownsLoop;
    private final Random random = new Random();
    private final Map<String, Runtime> byName = new LinkedHashMap<>();
    private final Map<Long, Runtime> byDisc = new HashMap<>();
    private final Map<String, BfdState> states = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final List<Thread> receivers = new ArrayList<>();
    private final List<UdpTtlSocket> listenSockets = new ArrayList<>();
    private volatile boolean running;

    private final class Runtime {
        final BfdSession session;
        UdpTtlSocket out;
        ScheduledFuture<?> timer;
        long timerAt = Long.MAX_VALUE;

        Runtime(BfdInstance cfg, long disc) {
            this.session = new BfdSession(cfg, disc, clock, random, BfdService.this::changed);
        }
    }

    /**
     * @param loop   where sessions and timers run (e.g. one loop of the checkers' Netty group); null: an own thread
     * @param opener {@link UdpTtlSocket#SYSTEM} in production
     */
    public BfdService(List<BfdInstance> instances, ScheduledExecutorService loop, MonotonicClock clock,
                      UdpTtlSocket.Opener opener) {
        this.clock = clock != null ? clock : MonotonicClock.SYSTEM;
        this.opener = opener != null ? opener : UdpTtlSocket.SYSTEM;
        this.ownsLoop = loop == null;
        this.loop = loop != null ? loop : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bfd");
            t.setDaemon(true);
            return t;
        });
        for (BfdInstance b : instances) {
            long disc;
            do {
                disc = random.nextInt() & 0xFFFFFFFFL;
            } while (disc == 0 || byDisc.containsKey(disc));
            Runtime r = new Runtime(b, disc);
            byName.put(b.name(), r);
            byDisc.put(disc, r);
            states.put(b.name(), BfdState.DOWN);
        }
    }

    /** The sessions whose events go to the checkers (keepalived: neither 'vrrp' nor 'checker', or 'checker'). */
    public static BfdService forCheckers(KeepalivedConfig config, ScheduledExecutorService loop) {
        return new BfdService(config.bfdInstances().stream().filter(BfdInstance::forChecker).toList(), loop,
                MonotonicClock.SYSTEM, UdpTtlSocket.SYSTEM);
    }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    public void removeListener(Listener l) {
        listeners.remove(l);
    }

    /** The bfd_instances this service runs, in config order. */
    public List<BfdInstance> instances() {
        List<BfdInstance> out = new ArrayList<>();
        for (Runtime r : byName.values()) out.add(r.session.config());
        return out;
    }

    /** The session's state now; null for a name this service does not run. */
    public BfdState state(String name) {
        return states.get(name);
    }

    public boolean has(String name) {
        return byName.containsKey(name);
    }

    /** Open the sockets and start every session. A session whose socket cannot be opened stays Down (logged). */
    public synchronized void start() {
        if (running || byName.isEmpty()) return;
        running = true;
        boolean v4 = false, v6 = false;
        for (Runtime r : byName.values()) {
            if (r.session.config().neighborIp() instanceof Inet6Address) v6 = true;
            else v4 = true;
        }
        if (v4) listen(false);
        if (v6) listen(true);
        loop.execute(() -> {
            for (Runtime r : byName.values()) {
                BfdInstance c = r.session.config();
                try {
                    r.out = opener.open(c.neighborIp() instanceof Inet6Address, c.sourceIp(), 0, c.ttl());
                } catch (IOException e) {
                    log.error("({}) cannot open its socket: {}", c.name(), e.getMessage());
                    continue;
                }
                send(r, r.session.start());
                rearm(r);
            }
        });
    }

    private void listen(boolean v6) {
        UdpTtlSocket s;
        try {
            s = opener.open(v6, null, PORT, 255);
        } catch (IOException e) {
            log.error("BFD: cannot listen on {} port {}: {}", v6 ? "IPv6" : "IPv4", PORT, e.getMessage());
            return;
        }
        listenSockets.add(s);
        Thread t = new Thread(() -> receiveLoop(s), "bfd-rx-" + (v6 ? "v6" : "v4"));
        t.setDaemon(true);
        receivers.add(t);
        t.start();
    }

    private void receiveLoop(UdpTtlSocket s) {
        while (running) {
            UdpTtlSocket.Received m;
            try {
                m = s.receive(200);
            } catch (IOException e) {
                if (running) log.warn("BFD receive failed: {}", e.getMessage());
                return;
            }
            if (m == null || !running) continue;
            try {
                loop.execute(() -> dispatch(m));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return; // the loop is shutting down
            }
        }
    }

    private void dispatch(UdpTtlSocket.Received m) {
        if (!running) return;
        BfdPacket p;
        try {
            p = BfdPacket.decode(m.data(), m.data().length);
        } catch (BfdPacket.Invalid e) {
            log.debug("BFD packet from {} discarded: {}", m.from().getHostAddress(), e.getMessage());
            return;
        }
        Runtime r = p.yourDisc() != 0 ? byDisc.get(p.yourDisc()) : byNeighbor(m.from());
        if (r == null || !r.session.config().neighborIp().equals(m.from())) {
            log.debug("BFD packet from {} for no session (your discriminator {})", m.from().getHostAddress(), p.yourDisc());
            return;
        }
        BfdInstance c = r.session.config();
        int maxHops = c.maxHops() < 0 ? 255 : c.maxHops();
        if (maxHops < 255 && m.ttl() >= 0 && m.ttl() < c.ttl() - maxHops) {
            log.debug("({}) BFD packet with TTL {} discarded (min {})", c.name(), m.ttl(), c.ttl() - maxHops);
            return;
        }
        send(r, r.session.receive(p));
        rearm(r);
    }

    private Runtime byNeighbor(InetAddress from) {
        for (Runtime r : byName.values()) if (r.session.config().neighborIp().equals(from)) return r;
        return null;
    }

    private void tick(Runtime r) {
        r.timer = null;
        r.timerAt = Long.MAX_VALUE;
        if (!running) return;
        send(r, r.session.tick());
        rearm(r);
    }

    private void rearm(Runtime r) {
        if (!running || r.out == null) return;
        long at = r.session.nextDeadlineNanos();
        if (at == r.timerAt && r.timer != null) return;
        if (r.timer != null) r.timer.cancel(false);
        r.timerAt = at;
        if (at == Long.MAX_VALUE) {
            r.timer = null;
            return;
        }
        long delay = Math.max(0, at - clock.nanoTime());
        r.timer = loop.schedule(() -> tick(r), delay, TimeUnit.NANOSECONDS);
    }

    private void send(Runtime r, List<BfdPacket> ps) {
        if (r.out == null) return;
        for (BfdPacket p : ps) {
            try {
                r.out.send(r.session.config().neighborIp(), PORT, p.encode());
            } catch (IOException e) {
                log.debug("({}) BFD send failed: {}", r.session.name(), e.getMessage());
            }
        }
    }

    private void changed(BfdSession s, BfdState from, BfdState to, int diag) {
        // keepalived's wording: "(NAME) Entering Down state (Local diagnostic - ...)"
        if (to == BfdState.UP || from == BfdState.UP) {
            log.info("({}) Entering {} state{}", s.name(), to.label, diag == 0 ? "" : " (Local diagnostic - " + diagText(diag) + ")");
        } else {
            log.debug("({}) Entering {} state", s.name(), to.label);
        }
        states.put(s.name(), to);
        for (Listener l : listeners) {
            try {
                l.stateChanged(s.name(), to);
            } catch (RuntimeException e) {
                log.warn("BFD listener failed", e);
            }
        }
    }

    static String diagText(int diag) {
        switch (diag) {
            case 0: return "No Diagnostic";
            case 1: return "Control Detection Time Expired";
            case 2: return "Echo Function Failed";
            case 3: return "Neighbor Signaled Session Down";
            case 4: return "Forwarding Plane Reset";
            case 5: return "Path Down";
            case 6: return "Concatenated Path Down";
            case 7: return "Administratively Down";
            case 8: return "Reverse Concatenated Path Down";
            default: return "diagnostic " + diag;
        }
    }

    /** Tell each neighbour we go AdminDown (so it need not wait out its detection time), then stop. */
    @Override public synchronized void close() {
        if (!running) {
            if (ownsLoop) loop.shutdownNow();
            return;
        }
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        Runnable stop = () -> {
            try {
                for (Runtime r : byName.values()) {
                    if (r.timer != null) r.timer.cancel(false);
                    r.session.adminDown();
                    send(r, List.of(r.session.packet(false, false)));
                    if (r.out != null) r.out.close();
                    r.out = null;
                }
            } finally {
                running = false;
                done.countDown();
            }
        };
        if (loop instanceof io.netty.util.concurrent.EventExecutor e && e.inEventLoop()) {
            stop.run();
        } else {
            try {
                loop.execute(stop);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                running = false;
            }
        }
        try {
            if (!done.await(2, TimeUnit.SECONDS)) running = false;
            for (Thread t : receivers) t.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (UdpTtlSocket s : listenSockets) s.close();
        if (ownsLoop) loop.shutdownNow();
    }
}
