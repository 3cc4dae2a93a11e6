package org.jkeepalived.healthcheck.bfd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.parse.ConfigLoader;
import org.jkeepalived.core.parse.LoadOptions;
import org.jkeepalived.core.parse.LoadResult;
import org.jkeepalived.core.table.DesiredTable;
import org.jkeepalived.core.table.ServiceKey;
import org.jkeepalived.core.time.MonotonicClock;
import org.jkeepalived.healthcheck.HealthcheckService;
import org.jkeepalived.healthcheck.nativeio.NetnsSockets;
import org.jkeepalived.healthcheck.nativeio.UdpTtlSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Our BFD (namespace A) against keepalived 2.2.7's own BFD process (namespace B), over a veth pair:
 * the session comes Up on both sides and BFD_CHECK puts the real server in; keepalived's BFD process
 * stops (SIGSTOP) and we go Down within the detection time, taking the real server out; it resumes
 * and the session comes back; keepalived exits and the session goes Down again.
 */
@Tag("netns")
class BfdKeepalivedNetnsTest {
    final String prefix = "jk" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 24), 36);
    final String nsA = prefix + "a";
    final String nsB = prefix + "b";
    Path dir;
    Process keepalived;
    final List<String> kaLog = new CopyOnWriteArrayList<>();
    NetnsSockets sockets;
    BfdService bfd;
    HealthcheckService hc;
    EventLoopGroup group;

    static int sh(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static void must(String... cmd) {
        assertEquals(0, sh(cmd), String.join(" ", cmd));
    }

    @BeforeEach
    void up() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root for network namespaces");
        Assumptions.assumeTrue(sh("ip", "netns", "list") == 0, "needs root for network namespaces");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/keepalived")), "keepalived 2.2.7 is not installed");
        must("ip", "netns", "add", nsA);
        must("ip", "netns", "add", nsB);
        must("ip", "link", "add", prefix + "x", "netns", nsA, "type", "veth", "peer", "name", prefix + "y", "netns", nsB);
        must("ip", "-n", nsA, "addr", "add", "10.77.0.1/24", "dev", prefix + "x");
        must("ip", "-n", nsB, "addr", "add", "10.77.0.2/24", "dev", prefix + "y");
        must("ip", "-n", nsA, "addr", "add", "fd77::1/64", "dev", prefix + "x", "nodad");
        must("ip", "-n", nsB, "addr", "add", "fd77::2/64", "dev", prefix + "y", "nodad");
        for (String[] l : new String[][] {{nsA, prefix + "x"}, {nsB, prefix + "y"}, {nsA, "lo"}, {nsB, "lo"}}) {
            must("ip", "-n", l[0], "link", "set", l[1], "up");
        }
        dir = Files.createTempDirectory(prefix);
    }

    @AfterEach
    void down() throws Exception {
        if (hc != null) hc.close();
        if (bfd != null) bfd.close();
        if (group != null) group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        if (sockets != null) sockets.close();
        if (keepalived != null && keepalived.isAlive()) {
            long bfdPid = childPid();
            if (bfdPid > 0) sh("kill", "-CONT", Long.toString(bfdPid));
            keepalived.destroy();
            if (!keepalived.waitFor(5, TimeUnit.SECONDS)) keepalived.destroyForcibly();
            if (bfdPid > 0 && ProcessHandle.of(bfdPid).isPresent()) sh("kill", "-KILL", Long.toString(bfdPid));
        }
        sh("ip", "netns", "del", nsA);
        sh("ip", "netns", "del", nsB);
        if (dir != null) {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private long childPid() {
        try {
            return Long.parseLong(Files.readString(dir.resolve("bfd.pid")).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private void startKeepalived(String ours, String theirs) throws IOException {
        Path conf = dir.resolve("keepalived.conf");
        Files.writeString(conf, "global_defs {\n    router_id " + prefix + "\n}\n"
                + "bfd_instance kbfd {\n    neighbor_ip " + ours + "\n    source_ip " + theirs + "\n    min_rx 100\n"
                + "    min_tx 100\n    idle_tx 1000\n    multiplier 3\n}\n");
        keepalived = new ProcessBuilder("ip", "netns", "exec", nsB, "keepalived", "-n", "-l", "-D", "-f", conf.toString(),
                "-p", dir.resolve("ka.pid").toString(), "-r", dir.resolve("vrrp.pid").toString(),
                "-c", dir.resolve("check.pid").toString(), "-b", dir.resolve("bfd.pid").toString())
                .redirectErrorStream(true).start();
        Thread t = new Thread(() -> {
            try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(keepalived.getInputStream()))) {
                String line;
                while ((line = r.readLine()) != null) kaLog.add(line);
            } catch (IOException e) {
                // process gone
            }
        }, "keepalived-log");
        t.setDaemon(true);
        t.start();
    }

    private static void await(BooleanSupplier c, Duration max, String what) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(5);
        }
    }

    private String kaLog() {
        return String.join("\n", kaLog);
    }

    @Test
    void ipv4SessionWithKeepalivedDrivesBfdCheck() throws Exception {
        sessionWithKeepalivedDrivesBfdCheck("10.77.0.1", "10.77.0.2", "10.77.0.100");
    }

    @Test
    void ipv6SessionWithKeepalivedDrivesBfdCheck() throws Exception {
        sessionWithKeepalivedDrivesBfdCheck("fd77::1", "fd77::2", "fd77::100");
    }

    private void sessionWithKeepalivedDrivesBfdCheck(String ours, String theirs, String vip) throws Exception {
        LoadResult r = ConfigLoader.parse("bfd_instance b1 {\n neighbor_ip " + theirs + "\n source_ip " + ours + "\n"
                + " min_rx 100\n min_tx 100\n multiplier 3\n}\n"
                + "virtual_server " + vip + " 80 {\n protocol TCP\n lb_algo rr\n lb_kind DR\n delay_loop 60\n"
                + " real_server " + theirs + " 80 {\n  BFD_CHECK {\n   name b1\n  }\n }\n}\n",
                dir.resolve("ours.conf").toString(), new LoadOptions(false, "main", java.util.Map.of()));
        assertTrue(r.errors().isEmpty(), r.diagnostics().toString());
        KeepalivedConfig cfg = r.config();
        sockets = new NetnsSockets(nsA);
        List<String> transitions = new CopyOnWriteArrayList<>();
        bfd = new BfdService(cfg.bfdInstances(), null, MonotonicClock.SYSTEM, sockets);
        bfd.addListener((n, s) -> transitions.add(n + " " + s.label + " " + System.nanoTime()));
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        List<String> changes = new CopyOnWriteArrayList<>();
        hc = HealthcheckService.builder(cfg).eventLoopGroup(group).bfd(bfd)
                .listener(c -> changes.add(c.toString())).build();
        ServiceKey vs = ServiceKey.of(org.jkeepalived.core.config.L4Protocol.TCP, InetAddress.getByName(vip), 80);
        InetAddress rs = InetAddress.getByName(theirs);
        BooleanSupplier rsIn = () -> {
            DesiredTable t = hc.desiredTable();
            return t.service(vs).map(v -> v.destinations().stream().anyMatch(d -> d.address().equals(rs))).orElse(false);
        };
        bfd.start();
        hc.start();
        Thread.sleep(300);
        assertTrue(!rsIn.getAsBoolean(), "no session yet: the real server is out");

        startKeepalived(ours, theirs);
        await(() -> bfd.state("b1") == BfdState.UP, Duration.ofSeconds(10), "our session Up; keepalived:\n" + kaLog());
        await(rsIn, Duration.ofSeconds(1), "BFD_CHECK puts the real server in");
        await(() -> kaLog().contains("(kbfd) Entering Up state"), Duration.ofSeconds(3),
                "keepalived's session Up:\n" + kaLog());
        Thread.sleep(1500); // it stays Up at the fast rates (poll sequences done, no flapping)
        assertEquals(BfdState.UP, bfd.state("b1"), transitions.toString());
        assertEquals(1, transitions.stream().filter(t -> t.startsWith("b1 Up")).count(), transitions.toString());

        // keepalived's BFD process stops sending: down within 3 x 100 ms (+ scheduling slack)
        long pid = childPid();
        assertTrue(pid > 0, "keepalived's BFD pid file");
        long stoppedAt = System.nanoTime();
        must("kill", "-STOP", Long.toString(pid));
        await(() -> bfd.state("b1") == BfdState.DOWN, Duration.ofSeconds(2), "our session Down");
        long tookMs = (System.nanoTime() - stoppedAt) / 1_000_000;
        // 300 ms detection time from the last packet heard, plus slack for a loaded CI machine
        assertTrue(tookMs <= 300 + 250, "Down after " + tookMs + " ms, detection time is 300 ms");
        await(() -> !rsIn.getAsBoolean(), Duration.ofMillis(200), "BFD_CHECK takes the real server out");
        assertTrue(changes.stream().anyMatch(c -> c.contains("RemoveDestination")), changes.toString());

        must("kill", "-CONT", Long.toString(pid));
        await(() -> bfd.state("b1") == BfdState.UP, Duration.ofSeconds(10), "Up again; keepalived:\n" + kaLog());
        await(rsIn, Duration.ofSeconds(1), "the real server back in");
        assertTrue(kaLog().contains("(kbfd) Entering Down state"), "keepalived saw our Down:\n" + kaLog());

        // keepalived exits: it tells us (AdminDown) or goes silent; either way we are Down within the detection time
        long exitAt = System.nanoTime();
        keepalived.destroy();
        await(() -> bfd.state("b1") == BfdState.DOWN, Duration.ofSeconds(2), "Down when keepalived exits");
        assertTrue((System.nanoTime() - exitAt) / 1_000_000 <= 300 + 250 + 200, "Down promptly on exit");
        await(() -> !rsIn.getAsBoolean(), Duration.ofMillis(200), "the real server out again");
        assertTrue(keepalived.waitFor(5, TimeUnit.SECONDS));
    }
}
