package org.jkeepalived.ipvs.engine.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jkeepalived.core.table.Destination;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The hashing schedulers against kernel IPVS on the same table: local clients from 40 source
 * addresses connect to a VIP; the servers the kernel's connection table shows must be the ones our
 * sh / mh pick. Runs inside /work/shared/kernel-vm/run (root, ip_vs loaded); skipped elsewhere.
 */
@Tag("kernel-vm")
class KernelSchedulerComparisonTest {
    static final String VIP = "10.9.9.9";
    static final int CLIENTS = 40;

    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    static boolean ipvsUsable() {
        try {
            run("ipvsadm", "-Ln");
            return "root".equals(System.getProperty("user.name"));
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @BeforeAll static void setUp() throws Exception {
        Assumptions.assumeTrue(ipvsUsable(), "needs kernel IPVS and root (run inside /work/shared/kernel-vm/run)");
        run("ipvsadm", "-C");
        run("ip", "link", "add", "jkipvs0", "type", "dummy");
        run("ip", "link", "set", "jkipvs0", "up");
        run("ip", "route", "add", "10.2.0.0/24", "dev", "jkipvs0");
        run("ip", "addr", "add", VIP + "/32", "dev", "lo");
        for (int i = 1; i <= CLIENTS; i++) run("ip", "addr", "add", "10.1." + (i * 37 % 256) + "." + i + "/32", "dev", "lo");
    }

    @AfterAll static void tearDown() throws Exception {
        if (!ipvsUsable()) return;
        run("ipvsadm", "-C");
        try {
            run("ip", "link", "del", "jkipvs0");
        } catch (IOException ignored) {
            // already gone
        }
    }

    @Test void shAndMhMatchTheKernel() throws Exception {
        int[] weights = {1, 2, 1, 3};
        String[][] cases = {{"sh", ""}, {"sh", "sh-port"}, {"sh", "sh-fallback"}, {"mh", ""}, {"mh", "mh-port"}};
        for (String[] c : cases) {
            String sched = c[0];
            String flag = c[1];
            run("ipvsadm", "-C");
            List<String> add = new ArrayList<>(List.of("ipvsadm", "-A", "-t", VIP + ":80", "-s", sched));
            if (!flag.isEmpty()) add.addAll(List.of("-b", flag));
            run(add.toArray(new String[0]));
            for (int k = 0; k < weights.length; k++) {
                run("ipvsadm", "-a", "-t", VIP + ":80", "-r", "10.2.0." + (k + 1) + ":80", "-g", "-w", String.valueOf(weights[k]));
            }
            // the mirror: destinations in the order the kernel lists them
            List<DestState> mirror = new ArrayList<>();
            Matcher m = Pattern.compile("->\\s+(10\\.2\\.0\\.\\d+):80\\s+Route\\s+(\\d+)").matcher(run("ipvsadm", "-Ln"));
            while (m.find()) {
                mirror.add(new DestState(new Destination.DestinationKey(InetAddress.getByName(m.group(1)), 80),
                        Integer.parseInt(m.group(2)), 0, 0));
            }
            assertEquals(weights.length, mirror.size());
            Scheduler ours = Schedulers.create(sched, flag.isEmpty() ? List.of() : List.of(flag));
            ours.destinationsChanged(mirror);

            List<SocketChannel> open = new ArrayList<>();
            Map<String, String> expected = new HashMap<>();
            for (int i = 1; i <= CLIENTS; i++) {
                String src = "10.1." + (i * 37 % 256) + "." + i;
                int port = 20000 + i * 7;
                SocketChannel ch = SocketChannel.open();
                ch.bind(new InetSocketAddress(src, port));
                ch.configureBlocking(false);
                ch.connect(new InetSocketAddress(VIP, 80));
                open.add(ch);
                DestState d = ours.pick(mirror, new ClientKey(InetAddress.getByName(src), port, InetAddress.getByName(VIP), 80));
                expected.put(src + ":" + port, d == null ? "none" : d.address().getHostAddress());
            }
            Thread.sleep(300);
            Map<String, String> kernel = new HashMap<>();
            Matcher conn = Pattern.compile("TCP\\s+\\S+\\s+\\S+\\s+(\\S+:\\d+)\\s+" + Pattern.quote(VIP) + ":80\\s+(\\S+):80")
                    .matcher(run("ipvsadm", "-Lnc"));
            while (conn.find()) kernel.put(conn.group(1), conn.group(2));
            for (SocketChannel ch : open) ch.close();
            assertEquals(CLIENTS, kernel.size(), sched + " " + flag + ": every client in the kernel's table");
            assertEquals(new java.util.TreeMap<>(kernel), new java.util.TreeMap<>(expected), sched + " " + flag);
            assertTrue(kernel.values().stream().distinct().count() > 1, "the clients spread");
            Thread.sleep(100);
        }
    }
}
