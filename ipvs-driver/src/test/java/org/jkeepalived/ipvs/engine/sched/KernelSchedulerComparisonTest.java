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
        // the real servers need a route only so that IPVS can build the connection; packets are lost
        try {
            run("ip", "link", "add", "jkipvs0", "type", "dummy");
            run("ip", "link", "set", "jkipvs0", "up");
            run("ip", "route", "add", "10.2.0.0/16", "dev", "jkipvs0");
        } catch (IOException noDummy) {
            run("ip", "route", "add", "10.2.0.0/16", "dev", "lo");
        }
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
        for (String[] c : new String[][] {{"sh", ""}, {"sh", "sh-port"}, {"mh", ""}, {"mh", "mh-port"}}) {
            compare(c[0], c[1], new int[] {1, 2, 1, 3}, -1);
        }
    }

    @Test void fallbackAroundAWeightZeroServerMatchesTheKernel() throws Exception {
        compare("sh", "sh-fallback", new int[] {1, 2, 1, 3}, 3);
        compare("mh", "mh-fallback", new int[] {1, 2, 1, 3}, 3);
    }

    /** Every other scheduler: connections made one after another, each counted as inactive (DR SYN_RECV). */
    @Test void sequentialSchedulersMatchTheKernel() throws Exception {
        for (String sched : new String[] {"rr", "wrr", "lc", "wlc", "sed", "nq", "fo", "ovf", "dh", "lblc", "lblcr"}) {
            compare(sched, "", new int[] {1, 2, 1, 3}, -1);
        }
    }

    /**
     * @param zeroAfter index of a server set to weight 0 after it was added (with ipvsadm -e), or -1
     */
    private static int caseNo;

    private void compare(String sched, String flag, int[] weights, int zeroAfter) throws Exception {
        // fresh source ports per case: the kernel keeps connection entries after ipvsadm -C, and a SYN
        // from a known address:port would follow its old entry
        // and fresh real-server addresses: a re-added server comes back from the kernel's dest trash
        // with the connection counters of the previous case
        int no = caseNo++;
        int base = 20000 + 300 * no;
        String net = "10.2." + no + ".";
        run("ipvsadm", "-C");
        List<String> add = new ArrayList<>(List.of("ipvsadm", "-A", "-t", VIP + ":80", "-s", sched));
        if (!flag.isEmpty()) add.addAll(List.of("-b", flag));
        run(add.toArray(new String[0]));
        for (int k = 0; k < weights.length; k++) {
            run("ipvsadm", "-a", "-t", VIP + ":80", "-r", net + (k + 1) + ":80", "-g", "-w", String.valueOf(weights[k]));
        }
        // the mirror: the kernel keeps destinations newest first (list_add); ipvsadm -Ln prints them
        // sorted, so it only confirms the set
        assertEquals(weights.length, Pattern.compile("->\\s+" + Pattern.quote(net) + "\\d+:80\\s+Route").matcher(run("ipvsadm", "-Ln"))
                .results().count());
        List<DestState> mirror = new ArrayList<>();
        Scheduler ours = Schedulers.create(sched, flag.isEmpty() ? List.of() : List.of(flag));
        ours.destinationsChanged(mirror);
        for (int k = 0; k < weights.length; k++) {
            mirror.add(0, new DestState(new Destination.DestinationKey(InetAddress.getByName(net + (k + 1)), 80),
                    weights[k], 0, 0));
            ours.destinationsChanged(mirror);
        }
        if (zeroAfter >= 0) {
            run("ipvsadm", "-e", "-t", VIP + ":80", "-r", net + (zeroAfter + 1) + ":80", "-g", "-w", "0");
            DestState z = mirror.get(weights.length - 1 - zeroAfter);
            z.setWeight(0);
            ours.destinationsChanged(mirror);
        }

        List<SocketChannel> open = new ArrayList<>();
        Map<String, String> expected = new HashMap<>();
        for (int i = 1; i <= CLIENTS; i++) {
            String src = "10.1." + (i * 37 % 256) + "." + i;
            int port = base + i * 7;
            SocketChannel ch = SocketChannel.open();
            ch.bind(new InetSocketAddress(src, port));
            ch.configureBlocking(false);
            ch.connect(new InetSocketAddress(VIP, 80));
            open.add(ch);
            DestState d = ours.pick(mirror, new ClientKey(InetAddress.getByName(src), port, InetAddress.getByName(VIP), 80));
            if (d != null) d.bind(false);
            expected.put(src + ":" + port, d == null ? "none" : d.address().getHostAddress());
            Thread.sleep(5);
        }
        // every client's entry, read until all are there: under the emulated CPU a SYN may leave late
        Map<String, String> kernel = new HashMap<>();
        Pattern entry = Pattern.compile("TCP\\s+\\S+\\s+\\S+\\s+(\\S+:\\d+)\\s+" + Pattern.quote(VIP) + ":80\\s+(\\S+):80");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        do {
            Thread.sleep(300);
            Matcher conn = entry.matcher(run("ipvsadm", "-Lnc"));
            while (conn.find()) {
                if (expected.containsKey(conn.group(1))) kernel.put(conn.group(1), conn.group(2));
            }
        } while (kernel.size() < expected.values().stream().filter(v -> !v.equals("none")).count()
                && System.nanoTime() < until);
        for (SocketChannel ch : open) ch.close();
        for (String k : expected.keySet()) kernel.putIfAbsent(k, "none");
        assertEquals(new java.util.TreeMap<>(kernel), new java.util.TreeMap<>(expected), sched + " " + flag);
        // with only inactive (SYN_RECV) connections sed, nq, ovf, fo, dh and lblc(r) keep choosing one server
        if (List.of("rr", "wrr", "lc", "wlc", "sh", "mh").contains(sched) && zeroAfter < 0) {
            assertTrue(kernel.values().stream().distinct().count() > 1, sched + ": the clients spread");
        }
        Thread.sleep(100);
    }
}
