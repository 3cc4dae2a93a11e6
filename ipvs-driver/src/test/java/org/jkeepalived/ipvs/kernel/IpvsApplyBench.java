package org.jkeepalived.ipvs.kernel;

import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.jkeepalived.core.table.DesiredTable;
import org.jkeepalived.core.table.Destination;
import org.jkeepalived.core.table.TableChange;
import org.jkeepalived.core.table.VirtualService;
import org.jkeepalived.ipvs.IpvsSemantics;
import org.jkeepalived.ipvs.TestTables;
import org.jkeepalived.ipvs.reconcile.ReconcileResult;
import org.jkeepalived.ipvs.reconcile.Reconciler;

/**
 * The speed check, run inside ../shared/kernel-vm/run (needs kernel IPVS and ipvsadm):
 * 500 services x 20 destinations applied from empty by our reconciler over generic netlink, and by
 * ipvsadm-restore of the same table, in the same VM; then a one-destination change and no-op
 * reconciles. Prints a side-by-side table. Usage: java ... org.jkeepalived.ipvs.kernel.IpvsApplyBench [services] [dests]
 */
public final class IpvsApplyBench {
    public static void main(String[] args) throws Exception {
        // per-change log lines go to the VM's emulated serial console (~9 ms a line) and would be
        // timed too; the daemon logs asynchronously, so measure the table work, not the console
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Reconciler.class))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int m = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        List<VirtualService> table = TestTables.big(n, m);
        DesiredTable want = new DesiredTable(table);
        File rules = File.createTempFile("ipvs-bench", ".rules");
        rules.deleteOnExit();
        Files.writeString(rules.toPath(), restoreText(table));

        List<String[]> rows = new ArrayList<>();
        try (KernelIpvsBackend b = KernelIpvsBackend.open()) {
            double[] ours = new double[2];
            double[] restore = new double[2];
            for (int round = 0; round < 2; round++) {
                b.flush();
                long t0 = System.nanoTime();
                run(rules, "ipvsadm-restore");
                restore[round] = ms(System.nanoTime() - t0);
                check(b, n, m);
                b.flush();
                Reconciler r = new Reconciler(b);
                long w0 = b.writeCount();
                t0 = System.nanoTime();
                ReconcileResult res = r.reconcile(want);
                ours[round] = ms(System.nanoTime() - t0);
                if (!res.ok()) throw new IllegalStateException(res.toString());
                if (b.writeCount() - w0 != n + (long) n * m) throw new IllegalStateException("writes " + (b.writeCount() - w0));
                check(b, n, m);
            }
            row(rows, "whole table from empty (" + n + " x " + m + "), 1st run",
                    f(ours[0]), f(restore[0]), String.format("%.2f", ours[0] / restore[0]));
            row(rows, "whole table from empty, 2nd run", f(ours[1]), f(restore[1]),
                    String.format("%.2f", ours[1] / restore[1]));

            Reconciler r = new Reconciler(b);
            r.reconcile(want, true); // learns the table (a no-op)
            VirtualService s0 = table.get(n / 2);
            Destination d0 = s0.destinations().get(m / 2);
            // The daemon is a long-running JVM: its reconcile path is JIT-compiled after the first
            // few changes. Warm up the same path (real kernel writes), then time many changes.
            for (int i = 0; i < WARMUP_CHANGES; i++) {
                DesiredTable changed = want.apply(new TableChange.UpsertDestination(s0.key(), d0.withWeight(2 + i % 50), "warm-up"));
                r.reconcile(changed);
                r.reconcile(changed);
            }
            double[] change = new double[MEASURED_CHANGES];
            double[] noop = new double[MEASURED_CHANGES];
            double[] full = new double[5];
            for (int i = 0; i < MEASURED_CHANGES; i++) {
                DesiredTable changed = want.apply(new TableChange.UpsertDestination(s0.key(), d0.withWeight(100 + i), "bench"));
                long w0 = b.writeCount();
                long t0 = System.nanoTime();
                ReconcileResult res = r.reconcile(changed);
                change[i] = ms(System.nanoTime() - t0);
                if (res.applied().size() != 1 || b.writeCount() - w0 != 1) throw new IllegalStateException(res.toString());
                w0 = b.writeCount();
                t0 = System.nanoTime();
                res = r.reconcile(changed);
                noop[i] = ms(System.nanoTime() - t0);
                if (i < full.length) {
                    t0 = System.nanoTime();
                    ReconcileResult fullRes = r.reconcile(changed, true);
                    full[i] = ms(System.nanoTime() - t0);
                    if (!fullRes.noop()) throw new IllegalStateException("not a no-op");
                }
                if (!res.noop() || b.writeCount() != w0) throw new IllegalStateException("not a no-op");
            }
            double ipvsadmChange = Double.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                run(null, "ipvsadm", "-e", "-t", IpvsSemantics.hostPort(s0.key().address(), s0.key().port()), "-r",
                        IpvsSemantics.hostPort(d0.address(), d0.port()), "-m", "-w", String.valueOf(3 + i));
                ipvsadmChange = Math.min(ipvsadmChange, ms(System.nanoTime() - t0));
            }
            double ipvsadmRead = Double.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                run(null, "ipvsadm", "-Sn");
                ipvsadmRead = Math.min(ipvsadmRead, ms(System.nanoTime() - t0));
            }
            double rtt = Double.MAX_VALUE;
            for (int i = 0; i < 20; i++) {
                long t0 = System.nanoTime();
                b.info();
                rtt = Math.min(rtt, ms(System.nanoTime() - t0));
            }
            row(rows, "one-destination change (median / best of " + MEASURED_CHANGES + ")", medianBest(change),
                    f(ipvsadmChange) + " (ipvsadm -e)", "");
            row(rows, "  for scale: one netlink round trip (GET_INFO)", String.format("%.2f", rtt), "-", "");
            row(rows, "no-op reconcile, known table (median / best)", medianBest(noop), "-", "");
            row(rows, "no-op reconcile with full re-read (median / best of 5)", medianBest(full),
                    f(ipvsadmRead) + " (ipvsadm -Sn)", "");
            b.flush();
        }
        System.out.println();
        System.out.printf("%-48s %14s %22s %7s%n", "IPVS apply benchmark (ms)", "jkeepalived", "ipvsadm-restore", "ratio");
        for (String[] row : rows) System.out.printf("%-48s %14s %22s %7s%n", (Object[]) row);
    }

    static final int WARMUP_CHANGES = 300;
    static final int MEASURED_CHANGES = 50;

    static String medianBest(double[] xs) {
        double[] c = xs.clone();
        java.util.Arrays.sort(c);
        return String.format("%.2f / %.2f", c[c.length / 2], c[0]);
    }

    static void row(List<String[]> rows, String... cells) {
        rows.add(cells);
        System.out.printf("%-48s %14s %22s %7s%n", (Object[]) cells);
    }

    static String restoreText(List<VirtualService> table) {
        StringBuilder sb = new StringBuilder();
        for (VirtualService s : table) {
            String vs = "-t " + IpvsSemantics.hostPort(s.key().address(), s.key().port());
            sb.append("-A ").append(vs).append(" -s ").append(s.scheduler()).append('\n');
            for (Destination d : s.destinations()) {
                sb.append("-a ").append(vs).append(" -r ").append(IpvsSemantics.hostPort(d.address(), d.port()))
                        .append(" -m -w ").append(d.weight()).append('\n');
            }
        }
        return sb.toString();
    }

    static void check(KernelIpvsBackend b, int n, int m) throws Exception {
        List<VirtualService> t = b.readTable();
        int dests = t.stream().mapToInt(s -> s.destinations().size()).sum();
        if (t.size() != n || dests != n * m) throw new IllegalStateException("table has " + t.size() + " services, " + dests + " destinations");
    }

    static void run(File stdin, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (stdin != null) pb.redirectInput(stdin);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
    }

    static double ms(long nanos) { return nanos / 1e6; }

    static String f(double ms) { return String.format("%.1f", ms); }
}
