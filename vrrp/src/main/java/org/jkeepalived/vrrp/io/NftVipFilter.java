package org.jkeepalived.vrrp.io;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link VipFilter} on nftables, through the {@code nft} program (package nftables): each change
 * rewrites our own table ({@code table inet jkeepalived} unless {@code nftables TABLENAME} says
 * otherwise) in one atomic {@code nft -f -} transaction built by {@link NftBatch}. No other table is
 * read or touched. Calls are synchronous (a run takes a few milliseconds) so the drop rule is in
 * place before the engine adds the VIPs, as keepalived orders it.
 */
public final class NftVipFilter implements VipFilter {
    private static final Logger LOG = LoggerFactory.getLogger(NftVipFilter.class);
    /** A run slower than this is logged: it delays the VRRP thread. */
    private static final long SLOW_MS = 500;

    /** Runs one nft transaction. */
    public interface Runner {
        /** Applies {@code batch}; throws with nft's message when it was refused or could not run. */
        void run(String batch) throws IOException;

        /** False when the program is missing (then nothing can be filtered). */
        boolean available();
    }

    private final Runner runner;
    private final Map<String, List<VipAddress>> blocked = new LinkedHashMap<>();
    private VipFilterOptions options = VipFilterOptions.DEFAULTS;
    /** False after a failed run: the next block() retries even when its addresses did not change. */
    private boolean inSync = true;

    public NftVipFilter(Runner runner) {
        this.runner = runner;
    }

    /** Runs the {@code nft} found on PATH, /usr/sbin or /sbin, each run limited to {@code timeoutMillis}. */
    public static NftVipFilter system(long timeoutMillis) {
        return new NftVipFilter(new ProgramRunner(timeoutMillis));
    }

    @Override
    public synchronized void configure(VipFilterOptions o) {
        if (o.equals(options)) {
            return;
        }
        VipFilterOptions before = options;
        options = o;
        if (!before.table().equals(o.table()) && runner.available()) {
            run(NftBatch.delete(before.table()), null, "cannot remove nftables table inet " + before.table());
        }
        if (!blocked.isEmpty()) {
            apply("nftables");
        }
    }

    @Override
    public synchronized void block(String instance, List<VipAddress> vips) {
        if (vips.isEmpty()) {
            unblock(instance);
            return;
        }
        List<VipAddress> copy = List.copyOf(vips);
        if (inSync && copy.equals(blocked.get(instance))) {
            return;
        }
        try {
            NftBatch.replace(options, copy); // one instance's unusable VIP must not block the others' rules
        } catch (IllegalArgumentException e) {
            LOG.error("({}) cannot build the firewall drop rule: {} - traffic to its VIPs is NOT filtered",
                    instance, e.getMessage());
            return;
        }
        LOG.info("({}) setting firewall drop rule", instance);
        blocked.put(instance, copy);
        apply(instance);
    }

    @Override
    public synchronized void unblock(String instance) {
        if (blocked.remove(instance) == null) {
            return;
        }
        LOG.info("({}) removing firewall drop rule", instance);
        apply(instance);
    }

    @Override
    public synchronized void clear() {
        blocked.clear();
        inSync = true;
        if (!runner.available()) {
            LOG.debug("nft not installed: no nftables table to remove");
            return;
        }
        // a warning: without CAP_NET_ADMIN this fails although nothing may be there to remove
        run(NftBatch.delete(options.table()), "", "cannot remove nftables table inet " + options.table());
    }

    /** The instances that currently block something (for status and tests). */
    public synchronized Map<String, List<VipAddress>> blocked() {
        return Map.copyOf(blocked);
    }

    private void apply(String instance) {
        List<VipAddress> all = new ArrayList<>();
        for (List<VipAddress> l : blocked.values()) {
            all.addAll(l);
        }
        String batch = NftBatch.replace(options, all); // each instance's part was checked by block()
        if (!runner.available()) {
            LOG.error("({}) cannot set the firewall drop rule for no_accept: nft not found (install the nftables"
                    + " package) - traffic to the VIPs is NOT filtered", instance);
            inSync = false;
            return;
        }
        inSync = run(batch, instance, "cannot program the firewall drop rule for no_accept (nftables table inet "
                + options.table() + ") - the previous rules stay");
    }

    /** @param instance who asked (logged as an error), null for the engine (error), "" for a warning */
    private boolean run(String batch, String instance, String what) {
        long t0 = System.nanoTime();
        try {
            runner.run(batch);
        } catch (IOException | RuntimeException e) {
            if (instance == null) {
                LOG.error("{}: {}", what, e.getMessage());
            } else if (instance.isEmpty()) {
                LOG.warn("{}: {}", what, e.getMessage());
            } else {
                LOG.error("({}) {}: {}", instance, what, e.getMessage());
            }
            return false;
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (ms > SLOW_MS) {
            LOG.warn("nft took {} ms", ms);
        }
        return true;
    }

    /** {@code nft -f -} as a child process. */
    static final class ProgramRunner implements Runner {
        private final long timeoutMillis;
        private volatile String program;

        ProgramRunner(long timeoutMillis) {
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        public boolean available() {
            return find() != null;
        }

        private String find() {
            String p = program;
            if (p != null) {
                return p;
            }
            List<String> dirs = new ArrayList<>();
            String path = System.getenv("PATH");
            if (path != null) {
                dirs.addAll(List.of(path.split(File.pathSeparator)));
            }
            dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
            for (String d : dirs) {
                File f = new File(d, "nft");
                if (!d.isEmpty() && f.isFile() && f.canExecute()) {
                    program = f.getPath();
                    return program;
                }
            }
            return null;
        }

        @Override
        public void run(String batch) throws IOException {
            String nft = find();
            if (nft == null) {
                throw new IOException("nft not found (install the nftables package)");
            }
            ProcessBuilder pb = new ProcessBuilder(nft, "-f", "-").redirectErrorStream(true);
            pb.environment().put("LC_ALL", "C");
            Process p = pb.start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(batch.getBytes(StandardCharsets.UTF_8));
            }
            try {
                // nft says little (an error is a few lines): it fits the pipe, no reader needed while waiting
                if (!p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    throw new IOException("nft did not finish in " + timeoutMillis + " ms");
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while nft ran");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.exitValue() != 0) {
                throw new IOException("nft exit " + p.exitValue() + (out.isEmpty() ? "" : ": " + out.replace('\n', ' ')));
            }
        }
    }
}
