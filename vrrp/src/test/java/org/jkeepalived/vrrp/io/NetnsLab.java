package org.jkeepalived.vrrp.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away network lab: namespaces named {@code jk<random><role>}, one "bridge" namespace
 * holding {@code br0}, and veth pairs plugging each namespace into it. Code under test runs in child
 * JVMs started with {@code ip netns exec NS java -cp <our class path> MAIN} (a JVM lives in one
 * namespace; setns per thread would leak into the JVM's other threads). {@link #close()} kills every
 * process started here and deletes the namespaces.
 */
public final class NetnsLab implements AutoCloseable {
    private final String prefix;
    private final List<String> namespaces = Collections.synchronizedList(new ArrayList<>());
    private final List<Process> processes = Collections.synchronizedList(new ArrayList<>());
    private String bridgeNs;
    private int vethCount;

    public NetnsLab() {
        String abc = "abcdefghijklmnopqrstuvwxyz";
        StringBuilder b = new StringBuilder("jk");
        for (int i = 0; i < 5; i++) {
            b.append(abc.charAt(ThreadLocalRandom.current().nextInt(abc.length())));
        }
        this.prefix = b.toString();
    }

    /** True when we are root and {@code ip netns} works. */
    public static boolean available() {
        try {
            if (!"root".equals(System.getProperty("user.name"))) {
                return false;
            }
            Process p = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Skips the calling test (with the reason) unless namespaces can be made. */
    public static void assumeAvailable() {
        Assumptions.assumeTrue(available(), "needs root for network namespaces (ip netns)");
    }

    public String prefix() {
        return prefix;
    }

    /** Creates namespace {@code prefix+role} with lo up; returns its name. */
    public String namespace(String role) {
        String ns = prefix + role;
        run("ip", "netns", "add", ns);
        namespaces.add(ns);
        run("ip", "-n", ns, "link", "set", "lo", "up");
        // no duplicate address detection: link-local and test addresses are usable at once; IPv6
        // addresses survive a link going down (tests flap links)
        run("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0",
                "net.ipv6.conf.default.accept_dad=0", "net.ipv6.conf.all.keep_addr_on_down=1",
                "net.ipv6.conf.default.keep_addr_on_down=1");
        return ns;
    }

    /** The bridge namespace (created on first use) with br0 up, multicast snooping off. */
    public synchronized String bridge() {
        if (bridgeNs == null) {
            bridgeNs = namespace("br");
            run("ip", "-n", bridgeNs, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0",
                    "forward_delay", "0");
            run("ip", "-n", bridgeNs, "link", "set", "br0", "up");
        }
        return bridgeNs;
    }

    /**
     * Plugs {@code ns} into the bridge with a veth called {@code ifname} inside {@code ns} (up, with
     * {@code mac} if given); returns the name of the bridge-side end.
     */
    public synchronized String connect(String ns, String ifname, String mac) {
        String br = bridge();
        String peer = "vp" + (vethCount++);
        // created inside the namespaces: nothing ever appears in the host's namespace
        run("ip", "-n", ns, "link", "add", ifname, "type", "veth", "peer", "name", peer, "netns", br);
        if (mac != null) {
            run("ip", "-n", ns, "link", "set", ifname, "address", mac);
        }
        run("ip", "-n", ns, "link", "set", ifname, "up");
        run("ip", "-n", br, "link", "set", peer, "master", "br0");
        run("ip", "-n", br, "link", "set", peer, "up");
        return peer;
    }

    public void addr(String ns, String ifname, String cidr) {
        run("ip", "-n", ns, "addr", "add", cidr, "dev", ifname);
    }

    /** A host: namespace {@code role} with eth0 on the bridge, MAC {@code mac} and the addresses given. */
    public String host(String role, String mac, String... cidrs) {
        String ns = namespace(role);
        connect(ns, "eth0", mac);
        for (String cidr : cidrs) addr(ns, "eth0", cidr);
        return ns;
    }

    /** Skips the test unless Debian's keepalived (the interop peer) is installed. */
    public static void assumeKeepalived() {
        org.junit.jupiter.api.Assumptions.assumeTrue(exec("sh", "-c", "command -v keepalived").exit() == 0,
                "keepalived is not installed");
    }

    /**
     * keepalived's VRRP process in {@code ns} on configuration {@code conf}, in the foreground and
     * logging to the console, its pid files beside the configuration.
     */
    public Child keepalived(String ns, String conf) {
        Path f = tempFile("keepalived.conf", conf);
        Path dir = f.getParent();
        return spawn(ns, List.of("keepalived", "-n", "-l", "-D", "-f", f.toString(), "--vrrp",
                "-p", dir.resolve("keepalived.pid").toString(), "-r", dir.resolve("vrrp.pid").toString(),
                "-i", prefix()));
    }

    /** Runs a command to completion (30 s at most) and returns its output; fails on a non-zero exit. */
    public static String run(String... cmd) {
        Result r = exec(cmd);
        if (r.exit != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " -> exit " + r.exit + ": " + r.output);
        }
        return r.output;
    }

    /** Runs {@code cmd} inside {@code ns}. */
    public static Result execIn(String ns, String... cmd) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(cmd));
        return exec(full.toArray(new String[0]));
    }

    public static Result exec(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " timed out");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public record Result(int exit, String output) {}

    /** Starts a long-running command inside {@code ns}; it is killed by {@link #close()}. */
    public Child spawn(String ns, List<String> cmd) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(cmd);
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
            processes.add(p);
            return new Child(ns, p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts {@code main} in a child JVM inside {@code ns}, with this JVM's class path. */
    public Child java(String ns, Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Xshare:auto");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return spawn(ns, cmd);
    }

    /** Writes {@code text} to a fresh temporary file (deleted at JVM exit). */
    public Path tempFile(String name, String text) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            dir.toFile().deleteOnExit();
            Path f = dir.resolve(name);
            Files.writeString(f, text);
            f.toFile().deleteOnExit();
            return f;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        synchronized (processes) {
            for (Process p : processes) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            for (Process p : processes) {
                try {
                    p.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        List<String> all;
        synchronized (namespaces) {
            all = new ArrayList<>(namespaces);
        }
        Collections.reverse(all);
        for (String ns : all) {
            // anything still running in the namespace (e.g. a daemonised keepalived) goes too
            Result pids = exec("ip", "netns", "pids", ns);
            for (String pid : pids.output().trim().split("\\s+")) {
                if (pid.matches("\\d+")) {
                    exec("kill", "-9", pid);
                }
            }
            exec("ip", "netns", "del", ns);
        }
    }

    /** A process in a namespace whose output is read line by line on a daemon thread. */
    public static final class Child {
        private final String ns;
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final List<String> transcript = Collections.synchronizedList(new ArrayList<>());
        private final Writer stdin;

        Child(String ns, Process process) {
            this.ns = ns;
            this.process = process;
            this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        transcript.add(line);
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // process gone
                }
            }, "netns-child-" + ns);
            t.setDaemon(true);
            t.start();
        }

        public Process process() {
            return process;
        }

        public long pid() {
            return process.pid();
        }

        /** Everything the child printed so far (for failure messages). */
        public String transcript() {
            synchronized (transcript) {
                return String.join("\n", transcript);
            }
        }

        public void send(String line) {
            try {
                stdin.write(line + "\n");
                stdin.flush();
            } catch (IOException e) {
                throw new IllegalStateException("child in " + ns + " is gone: " + transcript(), e);
            }
        }

        /** Waits for the next line matching {@code p}, dropping the others; fails after {@code timeout}. */
        public String await(Predicate<String> p, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            try {
                while (true) {
                    long left = deadline - System.nanoTime();
                    String l = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
                    if (l == null) {
                        throw new AssertionError("timed out in " + ns + "; output so far:\n" + transcript());
                    }
                    if (p.test(l)) {
                        return l;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        public String awaitPrefix(String prefix, Duration timeout) {
            return await(l -> l.startsWith(prefix), timeout);
        }

        /** Sends a command and returns the reply line (the next line starting with OK or ERR). */
        public String call(String command) {
            send(command);
            String reply = await(l -> l.startsWith("OK") || l.startsWith("ERR"), Duration.ofSeconds(15));
            if (reply.startsWith("ERR")) {
                throw new AssertionError(command + " -> " + reply + "\n" + transcript());
            }
            return reply;
        }

        public void kill9() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }

        /**
         * SIGTERM to the process itself (ip netns exec execs, so this is the JVM). Through the
         * handle: Process.destroy() would also close our end of its stdout and lose what it prints
         * while shutting down.
         */
        public void terminate() {
            process.toHandle().destroy();
        }

        public boolean waitFor(Duration d) throws InterruptedException {
            return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
