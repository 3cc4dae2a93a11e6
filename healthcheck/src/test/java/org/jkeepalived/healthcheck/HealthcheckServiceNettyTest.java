package org.jkeepalived.healthcheck;

import static org.awaitility.Awaitility.await;
import static org.jkeepalived.healthcheck.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jkeepalived.core.config.Checker;
import org.jkeepalived.core.config.CheckerCommon;
import org.jkeepalived.core.config.L4Protocol;
import org.jkeepalived.core.config.RealServer;
import org.jkeepalived.core.config.ScriptSpec;
import org.jkeepalived.core.config.VirtualServer;
import org.jkeepalived.core.table.ServiceKey;
import org.jkeepalived.core.table.TableChange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole service on a real Netty group against loopback backends, with real notify scripts. */
class HealthcheckServiceNettyTest {
    @TempDir Path dir;
    EventLoopGroup group;
    HttpServer http;
    ServerSocket endless;
    final AtomicInteger status = new AtomicInteger(200);
    final List<TableChange> changes = new CopyOnWriteArrayList<>();
    HealthcheckService svc;

    @BeforeEach void setUp() throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        http.createContext("/", ex -> {
            byte[] b = "ok\n".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status.get(), b.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(b);
            }
        });
        http.start();
        endless = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!endless.isClosed()) {
                try {
                    Socket s = endless.accept();
                    Thread w = new Thread(() -> {
                        try (s) {
                            s.getInputStream().read(new byte[1024]);
                            OutputStream o = s.getOutputStream();
                            o.write("HTTP/1.0 200 OK\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                            byte[] chunk = new byte[32 * 1024];
                            while (true) o.write(chunk);
                        } catch (Exception ignored) {
                            // checker hung up
                        }
                    });
                    w.setDaemon(true);
                    w.start();
                } catch (Exception e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
    }

    @AfterEach void tearDown() throws Exception {
        if (svc != null) svc.close();
        http.stop(0);
        endless.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    Path recorder(String name) throws Exception {
        Path out = dir.resolve(name + ".out");
        Path p = dir.resolve(name + ".sh");
        Files.writeString(p, "#!/bin/sh\necho \"$#:$*\" >> " + out + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    static List<String> lines(Path script) throws Exception {
        Path out = Path.of(script.toString().replace(".sh", ".out"));
        return Files.exists(out) ? Files.readAllLines(out) : List.of();
    }

    static CheckerCommon cc(int port) {
        return new CheckerCommon(ip("127.0.0.1"), port, null, null, null, null, Duration.ofMillis(500), 0,
                Duration.ofMillis(100), Duration.ZERO, Duration.ofMillis(150), false, false);
    }

    @Test void flappingServerLeavesAndReturnsWhileOthersAreUnaffected() throws Exception {
        int port = http.getAddress().getPort();
        Path up = recorder("up"), down = recorder("down"), qdown = recorder("qdown");
        ScriptSpec notifyUp = new ScriptSpec(up + " UP rs1", List.of(up.toString(), "UP", "rs1"), null, null);
        ScriptSpec notifyDown = new ScriptSpec(down.toString(), List.of(down.toString()), null, null);
        // two real servers on the same backend (different addresses on lo), and an endless-body one
        RealServer flapping = new RealServer(ip("127.0.0.1"), port, 1, null, null, false, false, null, null,
                notifyUp, notifyDown, null, List.of(http(cc(port), false, null, url("/"))), null, java.util.Map.of());
        CheckerCommon steadyCommon = new CheckerCommon(ip("127.0.0.1"), port, null, null, null, null,
                Duration.ofMillis(500), 0, Duration.ofMillis(100), Duration.ZERO, Duration.ofMillis(150), false, false);
        RealServer steady = rs("127.0.0.2", port, 1, new Checker.TcpCheck(steadyCommon));
        CheckerCommon endlessCommon = cc(endless.getLocalPort());
        RealServer big = rs("127.0.0.3", endless.getLocalPort(), 1,
                http(endlessCommon, false, null, url("/", "0123456789abcdef0123456789abcdef", List.of(), null, null, false)));
        VirtualServer vs = vs("10.0.0.1", 80, 1, 0, null, null,
                new ScriptSpec(qdown.toString(), List.of(qdown.toString()), null, null), false, false,
                flapping, steady, big);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        svc = HealthcheckService.builder(config(vs)).eventLoopGroup(group).meterRegistry(registry)
                .listener(c -> changes.add(c)).build();
        svc.start();
        ServiceKey key = ServiceKey.of(L4Protocol.TCP, ip("10.0.0.1"), 80);
        await().atMost(Duration.ofSeconds(10)).until(() -> svc.status().stream()
                .anyMatch(s -> s.address().equals(ip("127.0.0.3")) && !s.alive()));
        RealServerStatus bigStatus = svc.status().stream().filter(s -> s.address().equals(ip("127.0.0.3"))).findFirst().orElseThrow();
        assertEquals("body_too_large", bigStatus.checkers().get(0).lastReason());
        assertEquals(2, svc.desiredTable().service(key).orElseThrow().destinations().size());

        status.set(503);
        await().atMost(Duration.ofSeconds(5)).until(() -> svc.desiredTable().service(key).orElseThrow().destinations().size() == 1);
        RealServerStatus f = svc.status().get(0);
        assertFalse(f.alive());
        assertTrue(f.lastFailure().contains("status_code [503]"), f.lastFailure());
        await().atMost(Duration.ofSeconds(5)).until(() -> lines(down).size() == 1);
        assertEquals(List.of("0:"), lines(down), "notify_down runs without arguments");

        status.set(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> svc.desiredTable().service(key).orElseThrow().destinations().size() == 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> lines(up).size() == 1);
        assertEquals(List.of("2:UP rs1"), lines(up), "notify_up gets its configured words only");
        assertTrue(lines(qdown).isEmpty(), "quorum held throughout");
        // the steady server never left the table
        assertTrue(changes.stream().noneMatch(c -> c instanceof TableChange.RemoveDestination r
                && r.destination().address().equals(ip("127.0.0.2"))));
        assertTrue(registry.get(HealthcheckMetrics.CHECK_RUNS).tag("type", "HTTP_GET").counter().count() >= 4);
        assertTrue(registry.get(HealthcheckMetrics.CHECK_FAILURES).tag("reason", "status").counter().count() >= 1);
    }

    @Test void omegaRunsDownNotifiersAtClose() throws Exception {
        int port = http.getAddress().getPort();
        Path down = recorder("odown"), qdown = recorder("oqdown");
        RealServer rs1 = rs("127.0.0.1", port, 1, false, null,
                new ScriptSpec(down + " rs1", List.of(down.toString(), "rs1"), null, null), new Checker.TcpCheck(cc(port)));
        VirtualServer vs = vs("10.0.0.1", 80, 1, 0, null, null,
                new ScriptSpec(qdown.toString(), List.of(qdown.toString()), null, null), true, false, rs1);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        svc = HealthcheckService.create(config(vs), group, registry);
        svc.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> registry.find(HealthcheckMetrics.CHECK_RUNS).counter() != null
                && registry.find(HealthcheckMetrics.CHECK_RUNS).counter().count() >= 1);
        svc.close();
        svc = null;
        assertEquals(List.of("1:rs1"), lines(down));
        assertEquals(List.of("0:"), lines(qdown));
        assertTrue(registry.find(HealthcheckMetrics.RS_UP).gauges().isEmpty(), "gauges released at close");
    }

    @Test void aReloadRunsNoOmegaNotifiersOnlyNotifyDownForAServerItRemoves() throws Exception {
        // keepalived reloads by difference: omega's notifiers are for a stop; a live real server the
        // new configuration drops gets its notify_down, omega or not
        int port = http.getAddress().getPort();
        Path down = recorder("rdown"), qdown = recorder("rqdown");
        RealServer rs1 = rs("127.0.0.1", port, 1, false, null,
                new ScriptSpec(down + " rs1", List.of(down.toString(), "rs1"), null, null), new Checker.TcpCheck(cc(port)));
        RealServer rs2 = rs("127.0.0.2", port, 1, false, null,
                new ScriptSpec(down + " rs2", List.of(down.toString(), "rs2"), null, null), new Checker.TcpCheck(cc(port)));
        ScriptSpec q = new ScriptSpec(qdown.toString(), List.of(qdown.toString()), null, null);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        HealthcheckService first = HealthcheckService.create(config(vs("10.0.0.1", 80, 1, 0, null, null, q, true, false, rs1, rs2)),
                group, registry);
        first.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> registry.find(HealthcheckMetrics.CHECK_RUNS).counter() != null
                && registry.find(HealthcheckMetrics.CHECK_RUNS).counter().count() >= 2);
        // the same config again: nothing runs
        HealthcheckService same = HealthcheckService.builder(config(vs("10.0.0.1", 80, 1, 0, null, null, q, true, false, rs1, rs2)))
                .eventLoopGroup(group).meterRegistry(new SimpleMeterRegistry()).inheritFrom(first).build();
        same.start();
        first.closeReplacedBy(same);
        // rs2 dropped: its notify_down only
        HealthcheckService fewer = HealthcheckService.builder(config(vs("10.0.0.1", 80, 1, 0, null, null, q, true, false, rs1)))
                .eventLoopGroup(group).meterRegistry(new SimpleMeterRegistry()).inheritFrom(same).build();
        fewer.start();
        same.closeReplacedBy(fewer);
        svc = fewer;
        await().atMost(Duration.ofSeconds(5)).until(() -> lines(down).size() == 1);
        Thread.sleep(300);
        assertEquals(List.of("1:rs2"), lines(down));
        assertTrue(lines(qdown).isEmpty(), "quorum held: no quorum_down");
    }
}
