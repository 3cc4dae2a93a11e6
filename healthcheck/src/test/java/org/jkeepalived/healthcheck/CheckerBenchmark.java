package org.jkeepalived.healthcheck;

import static org.jkeepalived.healthcheck.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jkeepalived.core.config.Checker;
import org.jkeepalived.core.config.CheckerCommon;
import org.jkeepalived.core.config.RealServer;
import org.jkeepalived.core.config.VirtualServer;
import org.jkeepalived.core.table.TableChange;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The speed figures (a benchmark, not a test: {@code mvn -o -Pbench -pl healthcheck -am test
 * -Dtest=CheckerBenchmark -Dsurefire.failIfNoSpecifiedTests=false}; figures are printed to the test
 * output). 10,000 real servers with HTTP_GET every second against loopback backends; lateness of
 * check starts (p99), checker-thread CPU, heap after GC, and detection time of a killed backend.
 */
@Tag("bench")
class CheckerBenchmark {
    static final int SERVERS = Integer.getInteger("bench.servers", 10_000);
    /** A backend outside this JVM (e.g. nginx from src/bench/checker-bench.sh) on 0.0.0.0:PORT, or 0: in-process. */
    static final int EXTERNAL_PORT = Integer.getInteger("bench.port", 0);
    static final byte[] RESPONSE = "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1);

    /** Answers every request; leaves the close to the checker (no TIME_WAIT on the server side). */
    static final class Backend extends ChannelInboundHandlerAdapter {
        @Override public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            if (!ctx.channel().hasAttr(io.netty.util.AttributeKey.valueOf("answered"))) {
                ctx.channel().attr(io.netty.util.AttributeKey.valueOf("answered")).set(Boolean.TRUE);
                ctx.writeAndFlush(Unpooled.wrappedBuffer(RESPONSE));
            }
        }

        @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    static Channel listen(EventLoopGroup g, String host, int port) throws InterruptedException {
        return new ServerBootstrap().group(g).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new Backend());
                    }
                }).bind(host, port).sync().channel();
    }

    static long cpuNanos(String prefix) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (ThreadInfo ti : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (ti != null && ti.getThreadName().startsWith(prefix)) sum += Math.max(0, mx.getThreadCpuTime(ti.getThreadId()));
        }
        return sum;
    }

    @Test void tenThousandHttpGetEverySecond() throws Exception {
        EventLoopGroup backendGroup = new io.netty.channel.MultiThreadIoEventLoopGroup(EXTERNAL_PORT == 0 ? 2 : 1,
                new io.netty.util.concurrent.DefaultThreadFactory("bench-backend"), io.netty.channel.nio.NioIoHandler.newFactory());
        // as the daemon runs them: one thread, epoll where available
        EventLoopGroup checkers = org.jkeepalived.healthcheck.check.Net.newGroup(Integer.getInteger("bench.threads", 1), "hc-bench");
        List<Channel> backends = new ArrayList<>();
        HealthcheckService svc = null;
        try {
            // one listener on 0.0.0.0 answers every 127.x.y.z: each real server is its own address,
            // as on a real director (and no single address/port pair runs out of ephemeral ports)
            int port = EXTERNAL_PORT;
            if (port == 0) {
                backends.add(listen(backendGroup, "0.0.0.0", 0));
                port = ((java.net.InetSocketAddress) backends.get(0).localAddress()).getPort();
            }
            Channel victim = listen(backendGroup, "127.9.9.9", 0);
            int victimPort = ((java.net.InetSocketAddress) victim.localAddress()).getPort();
            List<RealServer> rss = new ArrayList<>();
            for (int i = 0; i < SERVERS; i++) {
                String addr = "127.1." + (i / 250) + "." + (i % 250 + 1);
                rss.add(rs(addr, port, 1, check(addr, port)));
            }
            rss.add(rs("127.9.9.9", victimPort, 1, check("127.9.9.9", victimPort)));
            VirtualServer vs = vs("10.0.0.1", 80, rss.toArray(new RealServer[0]));
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            AtomicLong victimRemovedAt = new AtomicLong();
            svc = HealthcheckService.builder(config(vs)).eventLoopGroup(checkers).meterRegistry(registry)
                    .listener(c -> {
                        if (c instanceof TableChange.RemoveDestination r && r.destination().address().equals(ip("127.9.9.9"))) {
                            victimRemovedAt.compareAndSet(0, System.nanoTime());
                        }
                    }).build();
            long startedAt = System.nanoTime();
            svc.start();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> registry.find(HealthcheckMetrics.CHECK_RUNS).counter() != null);
            long startupMs = (System.nanoTime() - startedAt) / 1_000_000;
            Thread.sleep(3000); // warmup spreads the first checks over 1 s; let the JIT settle
            Timer lateness = registry.get(HealthcheckMetrics.CHECK_LATENESS).timer();
            double runs0 = registry.get(HealthcheckMetrics.CHECK_RUNS).counter().count();
            long cpu0 = cpuNanos("hc-bench");
            long t0 = System.nanoTime();
            long lateCount0 = lateness.count();
            var buckets0 = lateness.takeSnapshot().histogramCounts();
            Thread.sleep(5000);
            long killAt = System.nanoTime();
            victim.close().sync();
            Thread.sleep(5000);
            long wall = System.nanoTime() - t0;
            long cpu = cpuNanos("hc-bench") - cpu0;
            double runs = registry.get(HealthcheckMetrics.CHECK_RUNS).counter().count() - runs0;
            // percentiles of the measured window only: difference of the cumulative histogram buckets
            var buckets1 = lateness.takeSnapshot().histogramCounts();
            double total = buckets1[buckets1.length - 1].count() - buckets0[buckets0.length - 1].count();
            double p99 = -1, p50 = -1;
            StringBuilder cdf = new StringBuilder("  lateness distribution (share of checks started within):");
            for (int i = 0; i < buckets1.length; i++) {
                double cum = buckets1[i].count() - buckets0[i].count();
                double bound = buckets1[i].bucket(TimeUnit.MILLISECONDS);
                if (bound == 1 || bound == 2 || bound == 5 || bound == 10 || bound == 20 || bound == 50 || bound == 100
                        || bound == 200 || bound == 500) {
                    cdf.append(String.format(" %.0f ms %.2f%%", bound, 100.0 * cum / total));
                }
                if (p50 < 0 && cum >= 0.5 * total) p50 = buckets1[i].bucket(TimeUnit.MILLISECONDS);
                if (p99 < 0 && cum >= 0.99 * total) p99 = buckets1[i].bucket(TimeUnit.MILLISECONDS);
            }
            double failures = registry.find(HealthcheckMetrics.CHECK_FAILURES).counters().stream().mapToDouble(c -> c.count()).sum();
            System.gc();
            Thread.sleep(200);
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            double seconds = wall / 1e9;
            String report = String.format(
                    "checker benchmark: %d real servers, HTTP_GET, delay_loop 1 s, %.1f s measured, backend %s%n"
                            + "  start to first check result: %d ms (includes logging %d 'Adding service' lines)%n"
                            + "  checks/s: %.0f (expected %d), failed checks (all kinds) %.0f%n"
                            + "  lateness p50 <= %.2f ms, p99 <= %.2f ms (histogram bucket bounds, %d samples)%n"
                            + "  checker threads CPU: %.1f %% of one core%n"
                            + "  heap used after GC: %d MB%n"
                            + "  killed backend out of the table after %d ms (connect refused, retry 0, delay_loop 1 s)%n",
                    SERVERS, seconds, EXTERNAL_PORT == 0 ? "in this JVM" : "another process on port " + EXTERNAL_PORT, startupMs, SERVERS + 1, runs / seconds, SERVERS + 1, failures, p50, p99, lateness.count() - lateCount0,
                    100.0 * cpu / wall, heap >> 20,
                    victimRemovedAt.get() == 0 ? -1 : (victimRemovedAt.get() - killAt) / 1_000_000);
            Timer took = registry.get(HealthcheckMetrics.CHECK_DURATION).timer();
            report += String.format("  check duration (connect to verdict): mean %.1f ms, max %.1f ms%n",
                    took.mean(TimeUnit.MILLISECONDS), took.max(TimeUnit.MILLISECONDS));
            StringBuilder reasons = new StringBuilder("  failures by reason:");
            registry.find(HealthcheckMetrics.CHECK_FAILURES).counters().forEach(c ->
                    reasons.append(' ').append(c.getId().getTag("reason")).append('=').append((long) c.count()));
            report += cdf + "\n" + reasons + String.format("%n  load average at the end: %.2f on %d cpus%n",
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                    Runtime.getRuntime().availableProcessors());
            System.out.print(report);
            java.nio.file.Files.writeString(java.nio.file.Path.of("target", "checker-benchmark.txt"), report);
            assertTrue(runs / seconds > SERVERS * 0.9, report);
            assertTrue(victimRemovedAt.get() != 0, report);
        } finally {
            if (svc != null) svc.close();
            checkers.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            backendGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** As the parser builds it: connect_ip / connect_port default to the real server's. */
    static Checker check(String addr, int port) {
        CheckerCommon c = new CheckerCommon(ip(addr), port, null, null, null, null, Duration.ofSeconds(2), 0,
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), false, false);
        return http(c, false, null, url("/"));
    }
}
