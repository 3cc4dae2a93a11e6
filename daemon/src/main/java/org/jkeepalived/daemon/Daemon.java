package org.jkeepalived.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.parse.ConfigLoader;
import org.jkeepalived.core.parse.Diagnostic;
import org.jkeepalived.core.parse.LoadOptions;
import org.jkeepalived.core.parse.LoadResult;
import org.jkeepalived.daemon.cli.Options;
import org.jkeepalived.daemon.control.ControlServer;
import org.jkeepalived.daemon.logging.LogSetup;
import org.jkeepalived.daemon.metrics.MetricsServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The long-running process: loads the config, starts the subsystems, then serves signals and the
 * control socket from one "main" thread so reloads, dumps and stop never run concurrently.
 */
public final class Daemon {
    private static final Logger log = LoggerFactory.getLogger("Keepalived");

    private final Options options;
    private final LoadOptions loadOptions;
    private final Path configFile;
    private final List<Subsystem> subsystems = new ArrayList<>();
    private final ExecutorService main = Executors.newSingleThreadExecutor(r -> new Thread(r, "jkeepalived-main"));
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final ObjectMapper json = new ObjectMapper();
    private volatile KeepalivedConfig config;
    private PrometheusMeterRegistry registry;
    private MetricsServer metrics;
    private ControlServer control;

    Daemon(Options options, LoadOptions loadOptions) {
        this.options = options;
        this.loadOptions = loadOptions;
        this.configFile = Path.of(options.configFileOrDefault());
    }

    static int run(Options o, LoadOptions lo, PrintStream out, PrintStream err) {
        LogSetup.configure(o.logConsole(), !o.noSyslog(), o.logFacility(), o.logFile(), o.logDetail());
        Daemon d = new Daemon(o, lo);
        try {
            return d.runUntilStopped();
        } catch (StartupException e) {
            log.error(e.getMessage());
            err.println("jkeepalived: " + e.getMessage());
            return 1;
        }
    }

    static final class StartupException extends Exception {
        StartupException(String m, Throwable cause) { super(m, cause); }
    }

    int runUntilStopped() throws StartupException {
        log.info("Starting jkeepalived {}", Main.VERSION);
        refuseIfRunning();
        LoadResult r = load();
        if (r.config() == null) throw new StartupException("configuration " + configFile + " has errors; not starting", null);
        config = r.config();
        if (options.logConf()) {
            for (String line : org.jkeepalived.core.parse.ConfigMapper.toYaml(config).split("\n")) log.info("{}", line);
        }
        // Handlers first, startup on the main thread: a signal that comes while we start waits for the
        // start to finish and is then acted on (a stop releases what was set up), instead of killing
        // the JVM with VIPs, nft table and IPVS entries left behind.
        installSignals();
        writePidFiles();
        registry = MetricsServer.newRegistry();
        try {
            main.submit(() -> {
                if (!"off".equals(options.metrics())) metrics = new MetricsServer(registry, parseAddress(options.metrics()));
                control = new ControlServer(Path.of(options.controlSocket()), options.controlGroup(), this::onControl);
                subsystems.addAll(Subsystems.create(options, registry, this::onSubsystemFailure));
                for (Subsystem s : subsystems) s.start(config);
                return null;
            }).get();
        } catch (Exception e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
            try {
                main.submit(this::shutdown).get();
            } catch (Exception ignored) {
                shutdown();
            }
            throw new StartupException("startup failed: " + cause.getMessage(), cause);
        }
        log.info("Startup complete ({}); metrics on {}, control on {}", subsystemNames(),
                metrics == null ? "off" : metrics.address(), control.path());
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LogSetup.flush();
        return 0;
    }

    private LoadResult load() {
        try {
            LoadResult r = ConfigLoader.load(configFile, loadOptions);
            for (Diagnostic d : r.diagnostics()) {
                if (d.severity() == Diagnostic.Severity.ERROR) log.error(d.format());
                else if (d.severity() == Diagnostic.Severity.WARNING) log.warn(d.format());
                else log.debug(d.format());
            }
            return r;
        } catch (IOException e) {
            log.error("Configuration file {} cannot be read: {}", configFile, e.getMessage());
            return new LoadResult(null, List.of());
        }
    }

    private void installSignals() {
        // keepalived's JSON dump signal (SIGRTMIN+2, 36 here; --signum=JSON prints it): the JVM cannot
        // take it, and its default action would kill us without a clean stop, so it is ignored
        try {
            if (!org.jkeepalived.daemon.nativeio.SignalDisposition.ignore(36)) log.warn("cannot ignore signal 36");
        } catch (RuntimeException | LinkageError e) {
            log.warn("cannot ignore signal 36 (keepalived's JSON dump signal): {}", e.toString());
        }
        Signal.handle(new Signal("HUP"), s -> main.submit(this::reload));
        Signal.handle(new Signal("TERM"), s -> main.submit(this::stop));
        Signal.handle(new Signal("INT"), s -> main.submit(this::stop));
        Signal.handle(new Signal("USR1"), s -> main.submit(() -> Dumps.write(Dumps.Kind.DATA, statusTree())));
        Signal.handle(new Signal("USR2"), s -> main.submit(() -> Dumps.write(Dumps.Kind.STATS, statusTree())));
    }

    /** SIGHUP / ctl reload: a bad new config is rejected whole and the running one kept. */
    private JsonNode reload() {
        long t0 = System.nanoTime();
        log.info("Reloading");
        ObjectNode reply = json.createObjectNode();
        LoadResult r = load();
        if (r.config() == null) {
            log.error("New configuration has errors; keeping the running configuration");
            reply.put("ok", false);
            reply.put("error", "configuration has errors; running configuration kept");
            r.diagnostics().forEach(d -> reply.withArray("diagnostics").add(d.format()));
            return reply;
        }
        List<String> failed = new ArrayList<>();
        for (Subsystem s : subsystems) {
            try {
                s.reload(r.config());
            } catch (Exception e) {
                log.error("{}: reload failed: {}", s.name(), e.getMessage());
                failed.add(s.name() + ": " + e.getMessage());
            }
        }
        config = r.config();
        reply.put("ok", failed.isEmpty());
        failed.forEach(f -> reply.withArray("errors").add(f));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        reply.put("elapsed_ms", ms);
        log.info("Reload finished in {} ms", ms);
        return reply;
    }

    private JsonNode stop() {
        log.info("Stopping");
        shutdown();
        log.info("Stopped jkeepalived {}", Main.VERSION);
        stopped.countDown();
        ObjectNode reply = json.createObjectNode();
        reply.put("ok", true);
        return reply;
    }

    /** VRRP first: the priority-0 advert goes out before anything else is torn down, so the peer takes over at once. */
    private void shutdown() {
        for (Subsystem s : subsystems) {
            try {
                s.close();
            } catch (RuntimeException e) {
                log.error("{}: stop failed: {}", s.name(), e.getMessage());
            }
        }
        if (control != null) control.close();
        if (metrics != null) metrics.close();
        deletePidFiles();
    }

    private void onSubsystemFailure(String subsystem, Throwable t) {
        log.error("{} failed: {}", subsystem, t.toString());
    }

    /** Control requests run on the main thread, like signals. */
    private JsonNode onControl(JsonNode req) {
        Future<JsonNode> f = main.submit(() -> handle(req));
        try {
            return f.get();
        } catch (Exception e) {
            throw new IllegalStateException(e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
        }
    }

    private JsonNode handle(JsonNode req) throws Exception {
        String cmd = req.get("cmd").asText();
        switch (cmd) {
            case "status":
                return statusTree();
            case "reload":
                return reload();
            case "stop":
                main.submit(this::stop);
                return json.createObjectNode().put("ok", true);
            case "dump": {
                Dumps.Kind kind = Dumps.Kind.valueOf(req.path("what").asText("json").toUpperCase());
                Path p = Dumps.write(kind, statusTree());
                return json.createObjectNode().put("ok", true).put("file", p.toString());
            }
            default:
                for (Subsystem s : subsystems) {
                    if (s instanceof ControlHandler h) {
                        JsonNode reply = h.handle(cmd, req);
                        if (reply != null) return reply;
                    }
                }
                throw new IllegalArgumentException("unknown command '" + cmd + "'");
        }
    }

    ObjectNode statusTree() {
        ObjectNode root = json.createObjectNode();
        root.put("version", Main.VERSION);
        root.put("config", configFile.toString());
        root.put("pid", ProcessHandle.current().pid());
        for (Subsystem s : subsystems) s.status(root);
        return root;
    }

    /** A subsystem that answers control commands of its own (handoff, ipvs-list...). */
    interface ControlHandler {
        /** @return the reply, or null when the command is not this subsystem's */
        JsonNode handle(String cmd, JsonNode request) throws Exception;
    }

    private String subsystemNames() {
        return String.join(", ", subsystems.stream().map(Subsystem::name).toList());
    }

    /** keepalived refuses to start while the daemon named in its pid file runs: so do we. */
    private void refuseIfRunning() throws StartupException {
        for (String p : pidFiles()) {
            try {
                long pid = Long.parseLong(Files.readString(Path.of(p)).trim());
                java.util.Optional<ProcessHandle> h = ProcessHandle.of(pid);
                if (pid != ProcessHandle.current().pid() && h.isPresent() && h.get().isAlive()
                        && h.get().info().commandLine().map(c -> c.contains("jkeepalived")).orElse(true)) {
                    throw new StartupException("daemon is already running (pid " + pid + " in " + p + ")", null);
                }
            } catch (IOException | NumberFormatException e) {
                // no pid file, or not ours: nothing runs
            }
        }
    }

    private void writePidFiles() throws StartupException {
        for (String p : pidFiles()) {
            try {
                Files.createDirectories(Path.of(p).toAbsolutePath().getParent());
                Files.writeString(Path.of(p), ProcessHandle.current().pid() + "\n");
            } catch (IOException e) {
                throw new StartupException("cannot write pid file " + p + ": " + e.getMessage(), e);
            }
        }
    }

    private void deletePidFiles() {
        for (String p : pidFiles()) {
            try {
                Files.deleteIfExists(Path.of(p));
            } catch (IOException e) {
                log.warn("cannot remove pid file {}: {}", p, e.getMessage());
            }
        }
    }

    /** One JVM runs both halves, so every pid file keepalived would write holds our pid. */
    private List<String> pidFiles() {
        List<String> l = new ArrayList<>();
        l.add(options.pidFile() != null ? options.pidFile() : "/run/jkeepalived.pid");
        if (options.vrrpPidFile() != null) l.add(options.vrrpPidFile());
        if (options.checkersPidFile() != null) l.add(options.checkersPidFile());
        return l;
    }

    static InetSocketAddress parseAddress(String hostPort) {
        int i = hostPort.lastIndexOf(':');
        if (i <= 0) throw new IllegalArgumentException("address must be HOST:PORT, not '" + hostPort + "'");
        String host = hostPort.substring(0, i);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        return new InetSocketAddress(host, Integer.parseInt(hostPort.substring(i + 1)));
    }
}
