package org.jkeepalived.ipvs.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jkeepalived.core.config.L4Protocol;
import org.jkeepalived.core.config.LvsMethod;
import org.jkeepalived.core.table.Destination;
import org.jkeepalived.core.table.ServiceKey;
import org.jkeepalived.core.table.VirtualService;
import org.jkeepalived.core.time.FakeClock;
import org.jkeepalived.ipvs.LvsBackend;
import org.jkeepalived.ipvs.LvsException;
import org.jkeepalived.ipvs.engine.sched.ClientKey;
import org.jkeepalived.ipvs.engine.sched.DestState;
import org.jkeepalived.ipvs.engine.sched.Scheduler;
import org.jkeepalived.ipvs.engine.sched.Schedulers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NettyLeakCheck.class)
class UserspaceEngineTest {
    /** The engine's settings under test; {@link NettyRelayEngineTest} runs every test again on the Netty-channel relay. */
    EngineSettings settings() {
        return EngineSettings.defaults();
    }

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        toClose.add(c);
        return c;
    }

    static InetAddress ip(String s) throws IOException {
        return InetAddress.getByName(s);
    }

    /** A VIP on 127.0.0.x (all of 127/8 is loopback) with a free port. */
    static ServiceKey tcpVip(String host) throws IOException {
        return ServiceKey.of(L4Protocol.TCP, ip(host), freePort(host));
    }

    /** A UDP service on a port free on {@code host}. */
    static ServiceKey udpVip(String host) throws IOException {
        try (DatagramSocket probe = new DatagramSocket(0, ip(host))) {
            return ServiceKey.of(L4Protocol.UDP, ip(host), probe.getLocalPort());
        }
    }

    static int freePort(String host) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return s.getLocalPort();
        }
    }

    static Destination dest(TestBackend b, int weight) {
        return new Destination(b.address.getAddress(), b.port(), LvsMethod.NAT, weight, 0, 0, null);
    }

    /** A weight-1 NAT destination at a plain listener of the test's own. */
    static Destination dest(ServerSocket s) {
        return new Destination(s.getInetAddress(), s.getLocalPort(), LvsMethod.NAT, 1, 0, 0, null);
    }

    /** Runs a test's own real server on a thread that cannot keep the JVM alive. */
    static void startDaemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    static VirtualService vs(ServiceKey k, String sched, List<String> flags, int persist, String mask, List<Destination> ds) {
        return new VirtualService(k, sched, flags, false, persist, mask, null, ds);
    }

    UserspaceEngine engine() {
        return closeLater(new UserspaceEngine(settings().withIoThreads(2)
                .withFailureHoldDown(Duration.ofSeconds(30)).withSweepInterval(Duration.ofMillis(200)),
                org.jkeepalived.core.time.MonotonicClock.SYSTEM));
    }

    /** A connected client that has read the real server's name line. */
    static final class Client implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;
        final OutputStream out;
        final String backend;

        Client(ServiceKey k) throws IOException {
            this(k, null);
        }

        Client(ServiceKey k, String localHost) throws IOException {
            socket = new Socket();
            if (localHost != null) socket.bind(new InetSocketAddress(localHost, 0));
            socket.setSoTimeout(5000);
            socket.connect(new InetSocketAddress(k.address(), k.port()), 5000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            out = socket.getOutputStream();
            backend = in.readLine();
        }

        String echo(String s) throws IOException {
            out.write((s + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return in.readLine();
        }

        @Override public void close() throws IOException {
            socket.close();
        }
    }

    @Test void everySchedulerDistributesAsThePureScheduler() throws Exception {
        UserspaceEngine e = engine();
        assertEquals(org.jkeepalived.ipvs.engine.Transport.choose("native").label(), e.transportName());
        List<TestBackend> bs = new ArrayList<>();
        for (int i = 0; i < 3; i++) bs.add(closeLater(TestBackend.tcp("B" + i, "127.0.0.1")));
        for (String sched : Schedulers.NAMES) {
            List<String> flags = sched.equals("sh") ? List.of("sh-port") : sched.equals("mh") ? List.of("mh-port") : List.of();
            ServiceKey k = tcpVip("127.0.0.2");
            List<Destination> ds = List.of(dest(bs.get(0), 3), dest(bs.get(1), 2), dest(bs.get(2), 1));
            e.addService(vs(k, sched, flags, 0, null, ds));
            // the same scheduler on a mirror of the engine's table, built as the kernel builds it (the
            // service, then each server at the head of the list), fed with the same clients
            List<DestState> mirror = new ArrayList<>();
            Map<DestState, String> names = new HashMap<>();
            Scheduler pure = Schedulers.create(sched, flags);
            pure.destinationsChanged(mirror);
            for (Destination d : ds) {
                DestState m = DestState.of(d);
                mirror.add(0, m);
                names.put(m, bs.stream().filter(b -> b.port() == d.port()).findFirst().orElseThrow().name);
                pure.destinationsChanged(mirror);
            }
            assertEquals(e.readTable().stream().filter(v -> v.key().equals(k)).findFirst().orElseThrow().destinations()
                    .stream().map(Destination::key).toList(), mirror.stream().map(DestState::key).toList());
            List<Client> open = new ArrayList<>();
            StringBuilder got = new StringBuilder();
            StringBuilder want = new StringBuilder();
            for (int i = 0; i < 18; i++) {
                Client c = new Client(k);
                open.add(c);
                got.append(c.backend == null ? "none" : c.backend).append(' ');
                DestState m = pure.pick(mirror, new ClientKey(c.socket.getLocalAddress(), c.socket.getLocalPort(), k.address(), k.port()));
                want.append(m == null ? "none" : names.get(m)).append(' ');
                if (m != null) {
                    m.bind(false);
                    m.activate();
                }
            }
            assertEquals(want.toString(), got.toString(), "scheduler " + sched);
            for (Client c : open) c.close();
            e.deleteService(k);
        }
    }

    @Test void persistenceSticksUntilTheTemplateExpires() throws Exception {
        FakeClock clock = new FakeClock();
        UserspaceEngine e = closeLater(new UserspaceEngine(settings().withIoThreads(1), clock));
        TestBackend b0 = closeLater(TestBackend.tcp("B0", "127.0.0.1"));
        TestBackend b1 = closeLater(TestBackend.tcp("B1", "127.0.0.1"));
        ServiceKey k = tcpVip("127.0.0.3");
        e.addService(vs(k, "rr", List.of(), 60, "255.255.255.0", List.of(dest(b0, 1), dest(b1, 1))));
        String first;
        try (Client c = new Client(k, "127.0.0.5")) {
            first = c.backend;
        }
        for (int i = 0; i < 5; i++) {
            try (Client c = new Client(k, i % 2 == 0 ? "127.0.0.5" : "127.0.0.6")) {
                assertEquals(first, c.backend, "same /24 sticks to one real server");
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> e.tcpConnectionCount() == 0);
        clock.advance(Duration.ofSeconds(61));
        try (Client c = new Client(k, "127.0.0.5")) {
            assertNotEquals(first, c.backend, "after the timeout rr moves on");
        }
        // a connection held open keeps its template alive past the timeout (re-armed)
        try (Client held = new Client(k, "127.0.0.5")) {
            clock.advance(Duration.ofSeconds(200));
            try (Client c = new Client(k, "127.0.0.5")) {
                assertEquals(held.backend, c.backend);
            }
        }
    }

    @Test void drainingKeepsExistingConnectionsAndSendsNewOnesElsewhere() throws Exception {
        UserspaceEngine e = engine();
        TestBackend a = closeLater(TestBackend.tcp("A", "127.0.0.1"));
        TestBackend b = closeLater(TestBackend.tcp("B", "127.0.0.1"));
        ServiceKey k = tcpVip("127.0.0.2");
        e.addService(vs(k, "rr", List.of(), 0, null, List.of(dest(a, 1), dest(b, 1))));
        List<Client> onA = new ArrayList<>();
        List<Client> onB = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Client c = closeLater(new Client(k));
            (c.backend.equals("A") ? onA : onB).add(c);
        }
        assertEquals(5, onA.size());
        // live traffic on every connection while A is drained then removed
        e.editDestination(k, dest(a, 0));
        for (int i = 0; i < 6; i++) assertEquals("B", closeLater(new Client(k)).backend);
        for (Client c : onA) assertEquals("still-here", c.echo("still-here"));
        e.deleteDestination(k, dest(a, 0).key());
        for (Client c : onA) assertEquals("after-delete", c.echo("after-delete"));
        for (Client c : onB) assertEquals("unaffected", c.echo("unaffected"));
        LvsBackend.ServiceStats st = e.readStats().get(0);
        assertEquals(1, st.destinations().size());
        assertEquals(11, st.destinations().get(0).activeConns());
        // re-adding and editing other servers never touches established connections
        TestBackend c3 = closeLater(TestBackend.tcp("C", "127.0.0.1"));
        e.addDestination(k, dest(c3, 2));
        e.editDestination(k, dest(b, 5));
        e.editService(vs(k, "wlc", List.of(), 0, null, List.of()));
        for (Client c : onA) assertEquals("x", c.echo("x"));
        for (Client c : onB) assertEquals("y", c.echo("y"));
        for (Client c : onA) c.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> e.tcpConnectionCount() == 5 + 6);
    }

    @Test void halfCloseIsPropagatedBothWays() throws Exception {
        UserspaceEngine e = engine();
        TestBackend a = closeLater(TestBackend.tcp("A", "127.0.0.1"));
        ServiceKey k = tcpVip("127.0.0.2");
        e.addService(vs(k, "rr", List.of(), 0, null, List.of(dest(a, 1))));
        try (Client c = new Client(k)) {
            c.out.write("last words\n".getBytes(StandardCharsets.US_ASCII));
            c.socket.shutdownOutput();
            assertEquals("last words", c.in.readLine());
            assertEquals("bye", c.in.readLine(), "the server saw our FIN and still could answer");
            assertEquals(null, c.in.readLine(), "then its FIN reached us");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> e.tcpConnectionCount() == 0);
        LvsBackend.ServiceStats st = e.readStats().get(0);
        assertEquals(1, st.counters().conns());
        assertEquals("last words\n".length(), st.counters().inBytes());
        assertEquals("A\nlast words\nbye\n".length(), st.counters().outBytes());
        assertEquals(0, st.destinations().get(0).activeConns() + st.destinations().get(0).inactiveConns());
    }

    /**
     * A client that sends its request and its FIN before the real server has even answered the engine's
     * connect (its accept queue is full, so the first SYN is dropped and retried a second later): the
     * request and then the FIN reach the real server once it answers, and its reply comes back.
     */
    @Test void requestAndFinSentBeforeTheRealServerAnswers() throws Exception {
        UserspaceEngine e = engine();
        ServerSocket srv = closeLater(new ServerSocket(0, 1, ip("127.0.0.1")));
        // two connections nobody accepts fill a backlog of 1: the next SYN is dropped
        closeLater(new Socket(srv.getInetAddress(), srv.getLocalPort()));
        closeLater(new Socket(srv.getInetAddress(), srv.getLocalPort()));
        ServiceKey k = tcpVip("127.0.0.2");
        e.addService(vs(k, "rr", List.of(), 0, null, List.of(dest(srv))));
        CompletableFuture<String> seen = new CompletableFuture<>();
        try (Socket c = new Socket()) {
            c.setSoTimeout(5000);
            c.connect(new InetSocketAddress(k.address(), k.port()), 5000);
            c.getOutputStream().write("request\n".getBytes(StandardCharsets.US_ASCII));
            c.shutdownOutput();
            Thread.sleep(300);
            assertEquals(1, e.tcpConnectionCount(), "the engine is still connecting to the real server");
            startDaemon("late-server", () -> {
                try {
                    srv.accept().close();
                    srv.accept().close();
                    try (Socket s = srv.accept()) {
                        seen.complete(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
                        s.getOutputStream().write("answer\n".getBytes(StandardCharsets.US_ASCII));
                    }
                } catch (IOException ex) {
                    seen.completeExceptionally(ex);
                }
            });
            assertEquals("answer\n", new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
        }
        assertEquals("request\n", seen.get(5, TimeUnit.SECONDS), "the request, then EOF");
    }

    /**
     * A real server that answers and closes at once, as HTTP/1.0 servers do: the answer and its FIN reach
     * the engine together, and the engine passes them on together (one segment when the client's socket
     * takes all of it). Whatever the size, every byte arrives before the EOF.
     */
    @Test void answerAndCloseArriveWhole() throws Exception {
        UserspaceEngine e = engine();
        ServerSocket srv = closeLater(new ServerSocket(0, 200, ip("127.0.0.1")));
        startDaemon("answer-and-close", () -> {
            while (!srv.isClosed()) {
                try (Socket s = srv.accept()) {
                    BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    int n = Integer.parseInt(r.readLine().trim());
                    byte[] body = new byte[n];
                    for (int i = 0; i < n; i++) body[i] = (byte) ('a' + i % 26);
                    s.getOutputStream().write(body);
                } catch (IOException | RuntimeException ignored) {
                    // the test's end closes the listener
                }
            }
        });
        ServiceKey k = tcpVip("127.0.0.2");
        e.addService(vs(k, "rr", List.of(), 0, null, List.of(dest(srv))));
        long expectedOut = 0;
        int[] sizes = {1, 100, 1400, 20_000, 3_000_000};
        for (int round = 0; round < 40; round++) {
            int n = sizes[round % sizes.length];
            try (Socket c = new Socket()) {
                c.setSoTimeout(5000);
                c.connect(new InetSocketAddress(k.address(), k.port()), 5000);
                c.getOutputStream().write((n + "\n").getBytes(StandardCharsets.US_ASCII));
                byte[] got = c.getInputStream().readAllBytes();
                assertEquals(n, got.length, "round " + round);
                for (int i = 0; i < n; i++) {
                    if (got[i] != (byte) ('a' + i % 26)) throw new AssertionError("round " + round + ": byte " + i);
                }
            }
            expectedOut += n;
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> e.tcpConnectionCount() == 0);
        assertEquals(expectedOut, e.readStats().get(0).counters().outBytes());
    }

    /**
     * A client slower than its real server: the engine stops reading from the server while the client's
     * side has its fill queued (at most 128 KB plus one read of up to 128 KB in the engine, besides the
     * kernel's socket buffers), so a stalled download does not pile up in the engine's memory, and
     * nothing is lost once the client reads again.
     */
    @Test void aStalledClientPausesItsRealServer() throws Exception {
        UserspaceEngine e = engine();
        int total = 64 << 20;
        ServerSocket srv = closeLater(new ServerSocket(0, 10, ip("127.0.0.1")));
        startDaemon("bulk-server", () -> {
            try (Socket s = srv.accept()) {
                byte[] chunk = new byte[64 * 1024];
                for (int i = 0; i < chunk.length; i++) chunk[i] = (byte) i;
                OutputStream o = s.getOutputStream();
                for (int sent = 0; sent < total; sent += chunk.length) o.write(chunk);
            } catch (IOException ignored) {
                // the test's end closes the listener
            }
        });
        ServiceKey k = tcpVip("127.0.0.2");
        e.addService(vs(k, "rr", List.of(), 0, null, List.of(dest(srv))));
        try (Socket c = new Socket()) {
            c.setReceiveBufferSize(64 * 1024);
            c.setSoTimeout(10_000);
            c.connect(new InetSocketAddress(k.address(), k.port()), 5000);
            // not reading: what the engine took from the server settles below the whole stream
            long[] last = {-1};
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300)).until(() -> {
                long now = e.readStats().get(0).counters().outBytes();
                boolean settled = now > 0 && now == last[0];
                last[0] = now;
                return settled;
            });
            // (Files.readString returns only the first byte of a /proc/sys file: it reports size 0)
            long kernelSendMax = Long.parseLong(Files.readAllLines(
                    Path.of("/proc/sys/net/ipv4/tcp_wmem")).get(0).trim().split("\\s+")[2]);
            long bound = kernelSendMax + 2L * c.getReceiveBufferSize() + 256 * 1024 + 64 * 1024;
            assertTrue(last[0] <= bound, "engine read " + last[0] + " bytes for a stalled client, bound " + bound);
            // the client reads again: every byte arrives, in order
            byte[] buf = new byte[256 * 1024];
            long got = 0;
            InputStream in = c.getInputStream();
            for (int n; got < total && (n = in.read(buf)) > 0; got += n) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] != (byte) ((got + i) % (64 * 1024))) throw new AssertionError("byte " + (got + i));
                }
            }
            assertEquals(total, got);
        }
    }

    /**
     * While the first event loop has headroom it takes every new connection; spread, the kernel's hash
     * puts them on all loops (the decision itself: AcceptSteeringTest).
     */
    @Test void newConnectionsGoToTheFirstLoopOrToAll() throws Exception {
        UserspaceEngine e = closeLater(new UserspaceEngine(settings().withIoThreads(2).withAcceptOnEveryLoop(true).withAcceptSteering(false),
                org.jkeepalived.core.time.MonotonicClock.SYSTEM));
        org.junit.jupiter.api.Assumptions.assumeTrue(!e.transportName().equals("nio"), "needs SO_REUSEPORT (native transport)");
        TestBackend a = closeLater(TestBackend.tcp("A", "127.0.0.1"));
        ServiceKey k = tcpVip("127.0.0.2");
        e.addService(vs(k, "rr", List.of(), 0, null, List.of(dest(a, 1))));
        e.applySteering(AcceptSteering.Mode.FIRST);
        List<Client> first = new ArrayList<>();
        for (int i = 0; i < 30; i++) first.add(closeLater(new Client(k)));
        await().atMost(Duration.ofSeconds(5)).until(() -> e.connectionsPerLoop()[0] == 30);
        assertEquals(0, e.connectionsPerLoop()[1]);
        e.applySteering(AcceptSteering.Mode.SPREAD);
        for (int i = 0; i < 40; i++) closeLater(new Client(k));
        await().atMost(Duration.ofSeconds(5)).until(() -> e.tcpConnectionCount() == 70);
        int[] per = e.connectionsPerLoop();
        // by hash, then handed to the loop with fewer connections: 70 end up even (a race may cost one)
        assertTrue(Math.abs(per[0] - per[1]) <= 2 && per[0] > 30, "70 connections over two loops: " + per[0] + "/" + per[1]);
        for (Client c : first) assertEquals("x", c.echo("x"));
    }

    /**
     * Two event loops (native transports only: SO_REUSEPORT), service {@code k} on one real server; one
     * loop listening for it, or every loop ({@code everyLoop}).
     */
    private UserspaceEngine twoLoopEngine(ServiceKey k, boolean everyLoop) throws Exception {
        UserspaceEngine e = closeLater(new UserspaceEngine(settings().withIoThreads(2).withAcceptOnEveryLoop(everyLoop),
                org.jkeepalived.core.time.MonotonicClock.SYSTEM));
        org.junit.jupiter.api.Assumptions.assumeTrue(!e.transportName().equals("nio"), "needs SO_REUSEPORT (native transport)");
        TestBackend a = closeLater(TestBackend.tcp("A", "127.0.0.1"));
        e.addService(vs(k, "rr", List.of(), 0, null, List.of(dest(a, 1))));
        return e;
    }

    /**
     * Accepted by one loop, or by the loop the kernel's SO_REUSEPORT hash (blind to load) picked: 41
     * connections made one after another end up even over the two loops, and every one still carries data.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "a listener on every loop: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void newConnectionsGoToTheLeastLoadedLoop(boolean everyLoop) throws Exception {
        ServiceKey k = tcpVip("127.0.0.2");
        UserspaceEngine e = twoLoopEngine(k, everyLoop);
        assertEquals(everyLoop ? 2 : 1, e.listenerCount(k));
        List<Client> clients = new ArrayList<>();
        for (int i = 1; i <= 41; i++) {
            clients.add(closeLater(new Client(k)));
            int n = i;
            await().atMost(Duration.ofSeconds(5)).until(() -> e.tcpConnectionCount() == n);
        }
        int[] per = e.connectionsPerLoop();
        assertTrue(Math.abs(per[0] - per[1]) <= LeastLoadedChildGroup.MARGIN + 1, per[0] + "/" + per[1]);
        for (Client c : clients) assertEquals("y", c.echo("y"));
    }

    @Test void aBurstOfConnectionsIsSpreadOverTheLoops() throws Exception {
        ServiceKey k = tcpVip("127.0.0.2");
        UserspaceEngine e = twoLoopEngine(k, false);
        // as wrk starts: 64 connections within a millisecond or so, before the engine accepted any
        List<Socket> burst = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            Socket s = closeLater(new Socket());
            s.connect(new InetSocketAddress(k.address(), k.port()), 5000);
            burst.add(s);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> e.tcpConnectionCount() == 64);
        int[] per = e.connectionsPerLoop();
        assertTrue(Math.abs(per[0] - per[1]) <= 8, "64 connections split " + per[0] + "/" + per[1]);
    }

    /** jkeepalived.engine.nice: every I/O thread runs with that nice value (a positive one needs no root). */
    @Test void ioThreadsTakeTheConfiguredNiceValue() throws Exception {
        UserspaceEngine e = closeLater(new UserspaceEngine(settings().withIoThreads(2).withIoNice(7),
                org.jkeepalived.core.time.MonotonicClock.SYSTEM));
        List<Integer> nices = new ArrayList<>();
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
            for (java.nio.file.Path t : tasks.toList()) {
                String stat = java.nio.file.Files.readString(t.resolve("stat"));
                // "TID (comm) S ..." : after the comm, field 19 of stat is the nice value
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (stat.contains("(jk-engine")) nices.add(Integer.parseInt(f[16]));
            }
        }
        assertEquals(List.of(7, 7), nices);
        assertEquals("userspace", e.name());
    }

    @Test void refusingServerIsExcludedAndTheClientRetriedElsewhere() throws Exception {
        UserspaceEngine e = engine();
        TestBackend good = closeLater(TestBackend.tcp("G", "127.0.0.1"));
        int deadPort = freePort("127.0.0.1");
        Destination dead = new Destination(ip("127.0.0.1"), deadPort, LvsMethod.NAT, 1, 0, 0, null);
        ServiceKey k = tcpVip("127.0.0.2");
        e.addService(vs(k, "rr", List.of(), 0, null, List.of(dead, dest(good, 1))));
        for (int i = 0; i < 6; i++) {
            try (Client c = new Client(k)) {
                assertEquals("G", c.backend);
            }
        }
        LvsBackend.ServiceStats st = e.readStats().get(0);
        assertEquals(6, st.counters().conns());
    }

    @Test void silentServerTimesOutAndTheClientIsRetriedElsewhere() throws Exception {
        // a listener that never accepts, its one-slot accept queue filled: Linux drops further SYNs,
        // so a connection to it neither succeeds nor fails until the engine's connect timeout
        java.net.ServerSocket silent = closeLater(new java.net.ServerSocket(0, 1, ip("127.0.0.1")));
        List<Socket> fillers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Socket f = closeLater(new Socket());
            try {
                f.connect(silent.getLocalSocketAddress(), 200);
                fillers.add(f);
            } catch (IOException full) {
                break;
            }
        }
        org.junit.jupiter.api.Assumptions.assumeFalse(fillers.isEmpty(), "cannot fill the accept queue");
        UserspaceEngine e = closeLater(new UserspaceEngine(settings().withIoThreads(1)
                .withFailureHoldDown(Duration.ofSeconds(30)).withConnectTimeout(Duration.ofMillis(300)),
                org.jkeepalived.core.time.MonotonicClock.SYSTEM));
        TestBackend good = closeLater(TestBackend.tcp("G", "127.0.0.1"));
        Destination dead = new Destination(ip("127.0.0.1"), silent.getLocalPort(), LvsMethod.NAT, 1, 0, 0, null);
        ServiceKey k = tcpVip("127.0.0.2");
        e.addService(vs(k, "rr", List.of(), 0, null, List.of(dead, dest(good, 1))));
        long t0 = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            try (Client c = new Client(k)) {
                assertEquals("G", c.backend);
            }
        }
        // the first client waited for one timeout; the server is then excluded for the hold-down
        long ms = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms >= 250, "a timeout was waited for: " + ms + " ms");
        LvsBackend.ServiceStats st = e.readStats().get(0);
        assertEquals(3, st.counters().conns());
        await().atMost(Duration.ofSeconds(5)).until(() -> e.tcpConnectionCount() == 0);
    }

    @Test void ipv6Loopback() throws Exception {
        UserspaceEngine e = engine();
        TestBackend a = closeLater(TestBackend.tcp("V6", "::1"));
        ServiceKey k = ServiceKey.of(L4Protocol.TCP, ip("::1"), freePort("::1"));
        e.addService(vs(k, "wlc", List.of(), 0, null, List.of(dest(a, 1))));
        try (Client c = new Client(k)) {
            assertEquals("V6", c.backend);
            assertEquals("over v6", c.echo("over v6"));
        }
    }

    @Test void udpFlowsStickAndExpireWhenIdle() throws Exception {
        UserspaceEngine e = engine();
        e.setTimeouts(new LvsBackend.Timeouts(null, null, 1));
        assertEquals(new LvsBackend.Timeouts(900, 120, 1), e.readTimeouts());
        TestBackend u0 = closeLater(TestBackend.udp("U0", "127.0.0.1"));
        TestBackend u1 = closeLater(TestBackend.udp("U1", "127.0.0.1"));
        ServiceKey k = udpVip("127.0.0.2");
        e.addService(vs(k, "rr", List.of(), 0, null, List.of(dest(u0, 1), dest(u1, 1))));
        try (DatagramSocket c1 = new DatagramSocket(0, ip("127.0.0.1")); DatagramSocket c2 = new DatagramSocket(0, ip("127.0.0.1"))) {
            c1.setSoTimeout(3000);
            c2.setSoTimeout(3000);
            String s1 = udp(c1, k, "a");
            String s2 = udp(c2, k, "b");
            assertNotEquals(s1.split(":")[0], s2.split(":")[0], "rr spreads the two flows");
            for (int i = 0; i < 5; i++) {
                assertEquals(s1.split(":")[0] + ":x" + i, udp(c1, k, "x" + i), "a flow sticks to its server");
            }
            assertEquals(2, e.udpFlowCount());
            LvsBackend.ServiceStats st = e.readStats().get(0);
            assertEquals(2, st.counters().conns());
            assertEquals(7, st.counters().inPackets());
            assertEquals(7, st.counters().outPackets());
            await().atMost(Duration.ofSeconds(5)).until(() -> e.udpFlowCount() == 0);
            String again = udp(c1, k, "new");
            assertTrue(again.endsWith(":new"));
            assertEquals(3, e.readStats().get(0).counters().conns(), "a new flow after the idle timeout");
        }
    }

    /** A deleted UDP service stops listening: its address is free again, and a new service can take it. */
    @Test void deletingAUdpServiceClosesItsSocket() throws Exception {
        UserspaceEngine e = engine();
        TestBackend u0 = closeLater(TestBackend.udp("U0", "127.0.0.1"));
        ServiceKey k = udpVip("127.0.0.2");
        e.addService(vs(k, "rr", List.of(), 0, null, List.of(dest(u0, 1))));
        try (DatagramSocket c = new DatagramSocket(0, ip("127.0.0.1"))) {
            c.setSoTimeout(3000);
            assertEquals("U0:a", udp(c, k, "a"));
            e.deleteService(k);
            await().atMost(Duration.ofSeconds(5)).until(() -> e.udpFlowCount() == 0);
            // bound without SO_REUSEADDR: fails while any socket still holds the address
            try (DatagramSocket again = new DatagramSocket(new InetSocketAddress(k.address(), k.port()))) {
                assertEquals(k.port(), again.getLocalPort());
            }
            e.addService(vs(k, "rr", List.of(), 0, null, List.of(dest(u0, 1))));
            assertEquals("U0:b", udp(c, k, "b"));
        }
    }

    private static String udp(DatagramSocket s, ServiceKey k, String payload) throws IOException {
        byte[] b = payload.getBytes(StandardCharsets.US_ASCII);
        s.send(new DatagramPacket(b, b.length, k.address(), k.port()));
        DatagramPacket r = new DatagramPacket(new byte[1500], 1500);
        s.receive(r);
        return new String(r.getData(), 0, r.getLength(), StandardCharsets.US_ASCII);
    }

    @Test void idleTcpConnectionsCloseAfterTheTcpTimeout() throws Exception {
        UserspaceEngine e = engine();
        e.setTimeouts(new LvsBackend.Timeouts(1, 1, null));
        TestBackend a = closeLater(TestBackend.tcp("A", "127.0.0.1"));
        ServiceKey k = tcpVip("127.0.0.2");
        e.addService(vs(k, "rr", List.of(), 0, null, List.of(dest(a, 1))));
        try (Client c = new Client(k)) {
            assertEquals(1, e.tcpConnectionCount());
            assertEquals(null, c.in.readLine(), "closed by the engine after 1 s idle");
            assertEquals(0, e.tcpConnectionCount());
        }
    }

    @Test void tableOperationsAndTheirErrors() throws Exception {
        UserspaceEngine e = engine();
        assertEquals("userspace", e.name());
        LvsException fw = assertThrows(LvsException.class,
                () -> e.addService(new VirtualService(ServiceKey.fwmark(1, false), "rr", List.of(), false, 0, null, null, List.of())));
        assertTrue(fw.getMessage().contains("firewall-mark"), fw.getMessage());
        ServiceKey k = tcpVip("127.0.0.2");
        TestBackend a = closeLater(TestBackend.tcp("A", "127.0.0.1"));
        assertThrows(LvsException.class, () -> e.addService(vs(k, "nosuch", List.of(), 0, null, List.of())));
        e.addService(vs(k, "wrr", List.of(), 0, null, List.of(dest(a, 3))));
        assertEquals(17, assertThrows(LvsException.class, () -> e.addService(vs(k, "rr", List.of(), 0, null, List.of()))).errno());
        assertEquals(17, assertThrows(LvsException.class, () -> e.addDestination(k, dest(a, 1))).errno());
        Destination other = new Destination(ip("127.0.0.9"), 9, LvsMethod.DR, 1, 0, 0, null);
        assertThrows(LvsException.class, () -> e.deleteDestination(k, other.key()));
        e.addDestination(k, other);
        VirtualService t = e.readTable().get(0);
        assertEquals("wrr", t.scheduler());
        assertEquals(List.of(other.key(), dest(a, 3).key()), t.destinations().stream().map(Destination::key).toList(),
                "newest first, as the kernel lists them");
        e.flush();
        assertEquals(List.of(), e.readTable());
        // the port is free again
        e.addService(vs(k, "rr", List.of(), 0, null, List.of()));
    }

    @Test void nioTransportWorksToo() throws Exception {
        UserspaceEngine e = closeLater(new UserspaceEngine(settings().withIoThreads(1).withTransport("nio"),
                org.jkeepalived.core.time.MonotonicClock.SYSTEM));
        assertEquals("nio", e.transportName());
        TestBackend a = closeLater(TestBackend.tcp("N", "127.0.0.1"));
        ServiceKey k = tcpVip("127.0.0.2");
        e.addService(vs(k, "wrr", List.of(), 0, null, List.of(dest(a, 1))));
        try (Client c = new Client(k)) {
            assertEquals("N", c.backend);
            c.out.write("half\n".getBytes(StandardCharsets.US_ASCII));
            c.socket.shutdownOutput();
            assertEquals("half", c.in.readLine());
            assertEquals("bye", c.in.readLine());
            assertEquals(null, c.in.readLine());
        }
    }

    @Test void quiescentServerKeepsPersistentClientsUnlessTemplatesExpire() throws Exception {
        for (boolean expire : new boolean[] {false, true}) {
            UserspaceEngine e = closeLater(new UserspaceEngine(settings().withIoThreads(1)
                    .withExpireQuiescentTemplate(expire), org.jkeepalived.core.time.MonotonicClock.SYSTEM));
            TestBackend b0 = closeLater(TestBackend.tcp("Q0", "127.0.0.1"));
            TestBackend b1 = closeLater(TestBackend.tcp("Q1", "127.0.0.1"));
            ServiceKey k = tcpVip("127.0.0.3");
            e.addService(vs(k, "rr", List.of(), 300, null, List.of(dest(b0, 1), dest(b1, 1))));
            String first;
            try (Client c = new Client(k)) {
                first = c.backend;
            }
            TestBackend firstB = first.equals("Q0") ? b0 : b1;
            e.editDestination(k, dest(firstB, 0));
            try (Client c = new Client(k)) {
                if (expire) assertNotEquals(first, c.backend, "expire_quiescent_template: re-scheduled");
                else assertEquals(first, c.backend, "kernel default: the template still holds");
            }
        }
    }

    @Test void ratesFollowTheKernelEstimator() {
        Estimator est = new Estimator();
        // 1000 conns and 2 MB in each 2 s: converges to 500 cps and 1,000,000 B/s in
        long conns = 0, bytes = 0;
        for (int i = 0; i < 40; i++) {
            conns += 1000;
            bytes += 2_000_000;
            est.tick(conns, 0, 0, bytes, 0);
        }
        LvsBackend.Counters c = est.counters(conns, 0, 0, bytes, 0);
        assertEquals(500, c.cps());
        assertTrue(Math.abs(c.inBps() - 1_000_000) < 1000, "inbps " + c.inBps());
        Estimator one = new Estimator();
        one.tick(1000, 0, 0, 0, 0);
        assertEquals(125, one.counters(1000, 0, 0, 0, 0).cps(), "a quarter of the way after one tick");
    }
}
