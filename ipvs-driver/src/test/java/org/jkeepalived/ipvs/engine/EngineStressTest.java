package org.jkeepalived.ipvs.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jkeepalived.core.config.L4Protocol;
import org.jkeepalived.core.config.LvsMethod;
import org.jkeepalived.core.table.Destination;
import org.jkeepalived.core.table.ServiceKey;
import org.jkeepalived.core.table.VirtualService;
import org.jkeepalived.core.time.MonotonicClock;
import org.jkeepalived.ipvs.LvsBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 10,000 concurrent client connections through the engine (4 descriptors each in this one JVM:
 * client, engine front and back, real server), real servers killed mid-stream: their clients get the
 * FIN, keep their side open, and the engine must close them after the tcpfin timeout; at the end no
 * descriptor is leaked.
 */
@ExtendWith(NettyLeakCheck.class)
class EngineStressTest {
    /** The engine's settings under test; {@link NettyRelayStressTest} runs every test again on the Netty-channel relay. */
    EngineSettings settings() {
        return EngineSettings.defaults();
    }

    static final int TARGET = 10_000;

    /** A client: counts lines, remembers its real server, notices EOF and close. */
    static final class Cli extends ChannelInboundHandlerAdapter {
        volatile String backend;
        final StringBuilder buf = new StringBuilder();
        volatile int lines;
        volatile boolean eof;
        volatile boolean closed;

        @Override public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            String s = b.toString(StandardCharsets.US_ASCII);
            b.release();
            synchronized (buf) {
                buf.append(s);
                int i;
                while ((i = buf.indexOf("\n")) >= 0) {
                    String line = buf.substring(0, i);
                    buf.delete(0, i + 1);
                    if (backend == null) backend = line;
                    lines++;
                }
            }
        }

        @Override public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) eof = true; // keep our side open on purpose
        }

        @Override public void channelInactive(ChannelHandlerContext ctx) {
            closed = true;
        }

        @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /**
     * As many of the 10,000 as this process's descriptor limit allows (the host's hard limit is
     * 20,000: 4,625 here); {@link EngineStressVmTest} runs all 10,000 inside the kernel VM as root.
     */
    @Test void tenThousandConnectionsBackendsKilledNoLeakNoHalfOpen() throws Exception {
        run(false, settings());
    }

    static void run(boolean requireAll, EngineSettings settings) throws Exception {
        long limit = FdLimit.raise(65536);
        int n = (int) Math.min(TARGET, limit < 0 ? 4000 : (limit - 1500) / 4);
        System.out.println("RLIMIT_NOFILE " + limit + ", running with " + n + " connections");
        assertTrue(n >= 1000, "fd limit too low even for 1000 connections: " + limit);
        if (requireAll) assertEquals(TARGET, n, "RLIMIT_NOFILE could not be raised for " + TARGET + " connections");
        // the kernel VM emulates its CPU: every wait there gets more time (the bounds stay bounds)
        int slow = requireAll ? 6 : 1;
        // warm up lazily opened descriptors (classes, jars, selectors of the shared backend group)
        TestBackend warm = TestBackend.tcp("W", "127.0.0.1");
        warm.close();
        System.gc();
        long fdBefore = FdLimit.openFds();

        EventLoopGroup clientGroup = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        UserspaceEngine e = new UserspaceEngine(settings.withIoThreads(2)
                .withSweepInterval(Duration.ofMillis(250)), MonotonicClock.SYSTEM);
        List<TestBackend> backends = new ArrayList<>();
        try {
            // established connections must outlive the set-up (minutes under emulation)
            e.setTimeouts(new LvsBackend.Timeouts(30 * slow * slow, 2, null));
            for (int i = 0; i < 4; i++) backends.add(TestBackend.tcp("B" + i, "127.0.0.1"));
            ServiceKey k = ServiceKey.of(L4Protocol.TCP, InetAddress.getByName("127.0.0.4"),
                    UserspaceEngineTest.freePort("127.0.0.4"));
            List<Destination> ds = new ArrayList<>();
            for (TestBackend b : backends) ds.add(new Destination(b.address.getAddress(), b.port(), LvsMethod.NAT, 1, 0, 0, null));
            e.addService(new VirtualService(k, "rr", List.of(), false, 0, null, null, ds));

            Bootstrap cb = new Bootstrap().group(clientGroup).channel(NioSocketChannel.class)
                    .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
            List<Cli> clis = new ArrayList<>(n);
            List<Channel> chans = new ArrayList<>(n);
            Semaphore inFlight = new Semaphore(500);
            AtomicInteger failures = new AtomicInteger();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Cli cli = new Cli();
                clis.add(cli);
                inFlight.acquire();
                Channel ch = cb.clone().handler(cli).connect(new InetSocketAddress(k.address(), k.port()))
                        .addListener((ChannelFutureListener) f -> {
                            if (!f.isSuccess()) failures.incrementAndGet();
                        }).channel();
                chans.add(ch);
                // released when the real server's greeting came back through the engine
                waitGreeting(cli, inFlight);
            }
            await().atMost(Duration.ofSeconds(60L * slow)).until(() -> clis.stream().allMatch(c -> c.backend != null));
            System.out.printf("%d connections established through the engine in %d ms%n", n,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            assertEquals(0, failures.get());
            assertEquals(n, e.tcpConnectionCount());
            LvsBackend.ServiceStats st = e.readStats().get(0);
            assertEquals(n, st.destinations().stream().mapToInt(LvsBackend.DestinationStats::activeConns).sum());

            // mid-stream: everyone talks, then two real servers die
            for (Channel ch : chans) ch.writeAndFlush(Unpooled.copiedBuffer("ping\n", StandardCharsets.US_ASCII));
            await().atMost(Duration.ofSeconds(30L * slow)).until(() -> clis.stream().allMatch(c -> c.lines >= 2));
            backends.get(0).close();
            backends.get(1).close();
            int killed = 0;
            for (Cli c : clis) if (c.backend.equals("B0") || c.backend.equals("B1")) killed++;
            int survivors = n - killed;
            // their clients see the FIN at once; they never close, so the engine holds half-closed
            // connections that the tcpfin timeout (2 s) must end
            await().atMost(Duration.ofSeconds(10L * slow)).until(() -> clis.stream()
                    .filter(c -> c.backend.equals("B0") || c.backend.equals("B1")).allMatch(c -> c.eof));
            long tKill = System.nanoTime();
            await().atMost(Duration.ofSeconds(10L * slow)).until(() -> e.tcpConnectionCount() == survivors);
            long endedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - tKill);
            // the engine's side is gone: a write from the client meets a reset, the next one fails
            // (written again until then: the engine's last close(2) may still be queued on its loop)
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10L * slow);
            while (true) {
                int open = 0;
                for (int i = 0; i < n; i++) {
                    Cli c = clis.get(i);
                    if ((c.backend.equals("B0") || c.backend.equals("B1")) && !c.closed) {
                        open++;
                        chans.get(i).writeAndFlush(Unpooled.copiedBuffer("x\n", StandardCharsets.US_ASCII));
                    }
                }
                if (open == 0) break;
                assertTrue(System.nanoTime() < until, open + " clients of dead servers still open");
                Thread.sleep(300L * slow);
            }
            System.out.printf("%d half-closed connections ended by the engine %d ms after their servers died%n",
                    killed, endedMs);
            assertTrue(endedMs < 2000 + 2000L * slow, "tcpfin timeout 2 s plus sweep slack");
            // the survivors still work
            for (int i = 0; i < n; i++) {
                if (!clis.get(i).closed) chans.get(i).writeAndFlush(Unpooled.copiedBuffer("again\n", StandardCharsets.US_ASCII));
            }
            await().atMost(Duration.ofSeconds(30L * slow)).until(() -> clis.stream().filter(c -> !c.closed).allMatch(c -> c.lines >= 3));
            st = e.readStats().get(0);
            assertEquals(survivors, st.destinations().stream().mapToInt(d -> d.activeConns() + d.inactiveConns()).sum());
            for (Channel ch : chans) ch.close();
            await().atMost(Duration.ofSeconds(20L * slow)).until(() -> e.tcpConnectionCount() == 0);
        } finally {
            e.close();
            for (TestBackend b : backends) b.close();
            clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        await().atMost(Duration.ofSeconds(20L * slow)).pollInterval(Duration.ofMillis(200))
                .until(() -> FdLimit.openFds() <= fdBefore + 10);
        System.out.printf("descriptors before %d, after %d%n", fdBefore, FdLimit.openFds());
    }

    /** Clients waiting for their greeting, with the permits of their run (runs share the poller). */
    private static final ConcurrentHashMap<Cli, Semaphore> WAITING = new ConcurrentHashMap<>();

    /** Releases the in-flight permit once the greeting arrived (polled by a daemon thread). */
    private static void waitGreeting(Cli cli, Semaphore permits) {
        WAITING.put(cli, permits);
        Poller.ensure();
    }

    private static final class Poller {
        private static volatile Thread thread;

        static synchronized void ensure() {
            if (thread != null) return;
            thread = new Thread(() -> {
                while (true) {
                    for (var w : WAITING.entrySet()) {
                        Cli c = w.getKey();
                        if (c.backend != null || c.closed) {
                            WAITING.remove(c);
                            w.getValue().release();
                        }
                    }
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }, "greeting-poller");
            thread.setDaemon(true);
            thread.start();
        }
    }
}
