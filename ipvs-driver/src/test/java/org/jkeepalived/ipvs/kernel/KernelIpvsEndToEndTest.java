package org.jkeepalived.ipvs.kernel;

import static org.jkeepalived.ipvs.TestTables.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.jkeepalived.core.table.DesiredTable;
import org.jkeepalived.core.table.TableChange;
import org.jkeepalived.core.table.VirtualService;
import org.jkeepalived.ipvs.reconcile.FlushOnStop;
import org.jkeepalived.ipvs.reconcile.ReconcileResult;
import org.jkeepalived.ipvs.reconcile.Reconciler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * End to end inside the kernel VM: this (root) namespace is the director; a client and two real
 * servers (python3 -m http.server answering their own name) sit in namespaces on one bridge. The client is
 * in 10.100.0.0/24 with the VIP, the real servers in 10.200.0.0/24. NAT: real servers route the
 * client subnet back through the director. DR: real servers hold the VIP on lo with
 * arp_ignore=1 / arp_announce=2 and answer the client directly on the shared segment.
 */
@Tag("kernel-vm")
class KernelIpvsEndToEndTest {
    static final String P = "jk" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xFFFF));
    static final String C = P + "c", R1 = P + "r1", R2 = P + "r2", BR = P + "br";
    static final String VIP = "10.100.0.10";
    static final List<Process> servers = new ArrayList<>();
    static KernelIpvsBackend backend;

    static String sh(String cmd) {
        try {
            Process p = new ProcessBuilder("bash", "-c", cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) throw new IllegalStateException(cmd + " failed: " + out);
            return out;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void lab() throws Exception {
        Assumptions.assumeTrue(System.getenv("KERNEL_VM") != null, "needs the kernel VM (../shared/kernel-vm/run)");
        Assumptions.assumeTrue(!sh("command -v curl python3 || true").isBlank(), "needs curl and python3");
        backend = KernelIpvsBackend.open();
        backend.flush();
        sh("sysctl -qw net.ipv4.ip_forward=1");
        sh("ip link add " + BR + " type bridge && ip link set " + BR + " up"
                + " && ip addr add 10.100.0.1/24 dev " + BR + " && ip addr add 10.200.0.1/24 dev " + BR
                + " && ip addr add " + VIP + "/32 dev " + BR);
        String[][] hosts = {{C, "10.100.0.2/24", "10.100.0.1"}, {R1, "10.200.0.11/24", "10.200.0.1"}, {R2, "10.200.0.12/24", "10.200.0.1"}};
        for (String[] h : hosts) {
            sh("ip netns add " + h[0] + " && ip link add " + h[0] + "v type veth peer name eth0 netns " + h[0]
                    + " && ip link set " + h[0] + "v master " + BR + " up"
                    + " && ip -n " + h[0] + " link set lo up && ip -n " + h[0] + " link set eth0 up"
                    + " && ip -n " + h[0] + " addr add " + h[1] + " dev eth0 && ip -n " + h[0] + " route add default via " + h[2]);
        }
        for (String rs : List.of(R1, R2)) {
            Path dir = Files.createTempDirectory(rs);
            Files.writeString(dir.resolve("index.html"), rs + "\n");
            sh("ip netns exec " + rs + " sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2"
                    + " net.ipv4.conf.eth0.arp_ignore=1 net.ipv4.conf.eth0.arp_announce=2"
                    + " && ip -n " + rs + " addr add " + VIP + "/32 dev lo");
            for (int port : new int[] {80, 8080}) {
                servers.add(new ProcessBuilder("ip", "netns", "exec", rs, python(), "-m", "http.server", String.valueOf(port),
                        "--bind", "0.0.0.0", "-d", dir.toString()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
            }
        }
        // wait for both servers on both ports
        for (String ip : List.of("10.200.0.11", "10.200.0.12")) {
            for (String port : List.of("80", "8080")) {
                for (int i = 0; ; i++) {
                    try {
                        sh("ip netns exec " + C + " curl -s -m 2 -o /dev/null http://" + ip + ":" + port + "/");
                        break;
                    } catch (IllegalStateException e) {
                        if (i > 60) throw e;
                        Thread.sleep(500);
                    }
                }
            }
        }
    }

    /** A python3 that runs without a shell wrapper (pyenv shims need one). */
    static String python() {
        String p = sh("command -v python3 || true").trim();
        if (p.contains("pyenv")) {
            String real = sh("python3 -c 'import sys; print(sys.executable)' 2>/dev/null || true").trim();
            if (!real.isEmpty()) return real;
        }
        return p.isEmpty() ? "python3" : p;
    }

    @AfterAll
    static void cleanup() {
        for (Process p : servers) p.destroyForcibly();
        for (String ns : List.of(C, R1, R2)) {
            try { sh("ip netns del " + ns); } catch (IllegalStateException ignored) { }
        }
        try { sh("ip link del " + BR); } catch (IllegalStateException ignored) { }
        if (backend != null) {
            try { backend.flush(); } catch (Exception ignored) { }
            backend.close();
        }
    }

    static String get(int port) {
        return sh("ip netns exec " + C + " curl -s -m 5 http://" + VIP + ":" + port + "/").trim();
    }

    void exercise(VirtualService svc, int port) throws Exception {
        Reconciler r = new Reconciler(backend);
        ReconcileResult res = r.reconcile(new DesiredTable(List.of(svc)));
        assertTrue(res.ok(), res.toString());
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 6; i++) seen.add(get(port));
        // rr: strictly alternating between the two real servers
        assertTrue(seen.containsAll(List.of(R1, R2)), seen.toString());
        for (int i = 1; i < seen.size(); i++) assertNotEquals(seen.get(i - 1), seen.get(i), "rr alternates: " + seen);
        // the kernel folds its per-cpu counters into what it reports every 2 s (the rate estimator)
        long conns = 0;
        for (int i = 0; i < 40 && conns < 6; i++) {
            conns = backend.readStats().get(0).counters().conns();
            if (conns < 6) Thread.sleep(250);
        }
        assertEquals(6, conns, "IPVS counted the six connections");

        // R2 leaves the desired table: no new connections reach it
        DesiredTable without = new DesiredTable(List.of(svc)).apply(new TableChange.RemoveDestination(svc.key(),
                svc.destinations().get(1).key(), "test"));
        assertTrue(r.reconcile(without).ok());
        for (int i = 0; i < 4; i++) assertEquals(R1, get(port));
        assertTrue(r.stop(FlushOnStop.REMOVE_EACH).ok());
    }

    @Test
    void natSpreadsRequestsAndARemovedServerGetsNoMore() throws Exception {
        for (String rs : List.of(R1, R2)) sh("ip -n " + rs + " route replace 10.100.0.0/24 via 10.200.0.1");
        exercise(svc(tcp(VIP, 80), "rr", nat("10.200.0.11", 80, 1), nat("10.200.0.12", 80, 1)), 80);
    }

    @Test
    void directRoutingWithTheVipOnLoopback() throws Exception {
        for (String rs : List.of(R1, R2)) sh("ip -n " + rs + " route replace 10.100.0.0/24 dev eth0");
        exercise(svc(tcp(VIP, 8080), "rr", dr("10.200.0.11", 8080, 1), dr("10.200.0.12", 8080, 1)), 8080);
    }
}
