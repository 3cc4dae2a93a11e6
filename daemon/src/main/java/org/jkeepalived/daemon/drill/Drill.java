package org.jkeepalived.daemon.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jkeepalived.daemon.control.ControlClient;

/**
 * {@code jkeepalived drill}: builds the namespace lab, runs two directors (this daemon) and two real
 * servers, keeps a client requesting the VIP, and measures what each failure costs: VRRP takeover
 * time, client-visible outage, failed requests, checker removal time. Reports in the terminal,
 * as JSON and as HTML with a timeline.
 */
public final class Drill {
    /** Client-visible results: one sample per request. */
    public record Sample(long wallMillis, boolean ok, String detail) {}

    /** One measured event. Null fields: not applicable or not reached within the limit. */
    public record EventResult(int round, String event, long startMillis, Long takeoverMillis, Long outageMillis,
                              int failedRequests, Long checkerRemovalMillis, String newMaster, String note) {}

    public record Settings(int rounds, Path confDir, Path outDir, String prefix, long clientIntervalMillis,
                           long eventTimeoutMillis, List<String> daemonArgs) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Settings settings;
    private final PrintStream out;
    private final DrillLab lab;
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final List<EventResult> results = new ArrayList<>();
    private final Map<String, Process> procs = new TreeMap<>();
    private final Path runDir;
    private String phase = "starting";

    public Drill(Settings settings, PrintStream out) throws IOException {
        this.settings = settings;
        this.out = out;
        this.lab = new DrillLab(settings.prefix());
        this.runDir = Files.createTempDirectory("jkeepalived-drill");
    }

    public int run() throws Exception {
        if (!Netns.canUse()) {
            out.println("drill: needs root and ip(8) with network namespaces");
            return 2;
        }
        Path master = settings.confDir().resolve("drill-master.conf");
        Path backup = settings.confDir().resolve("drill-backup.conf");
        if (!Files.isRegularFile(master) || !Files.isRegularFile(backup)) {
            out.println("drill: drill-master.conf / drill-backup.conf not found in " + settings.confDir()
                    + " (use --conf-dir)");
            return 2;
        }
        Thread progress = null;
        try {
            lab.create();
            startBackend("rs1");
            startBackend("rs2");
            startDirector("dir1", master);
            startDirector("dir2", backup);
            startClient();
            progress = startProgress();
            phase = "waiting for dir1 to become MASTER";
            require(Waits.until(() -> isMaster("dir1") && clientHealthy(), 30_000), "dir1 never became MASTER with traffic flowing");
            for (int round = 1; round <= settings.rounds(); round++) {
                crashMaster(round);
                gracefulStop(round);
                linkCut(round);
                killRealServer(round);
            }
            phase = "done";
        } finally {
            if (progress != null) progress.interrupt();
            procs.values().forEach(Process::destroyForcibly);
            lab.close();
        }
        DrillReport.write(settings, results, samples, out);
        return DrillReport.verdict(results);
    }

    // ---- events ----

    private void crashMaster(int round) throws Exception {
        phase = "round " + round + ": crash master (SIGKILL dir1)";
        long t0 = System.currentTimeMillis();
        procs.remove("dir1").destroyForcibly();
        results.add(measureTakeover(round, "crash master (SIGKILL)", t0));
        recoverDir1(round);
    }

    private void gracefulStop(int round) throws Exception {
        phase = "round " + round + ": graceful stop (SIGTERM dir1)";
        long t0 = System.currentTimeMillis();
        Process p = procs.remove("dir1");
        p.destroy(); // SIGTERM
        EventResult r = measureTakeover(round, "graceful stop (SIGTERM)", t0);
        p.waitFor(10, TimeUnit.SECONDS);
        results.add(r);
        recoverDir1(round);
    }

    private void linkCut(int round) throws Exception {
        phase = "round " + round + ": link cut (dir1 eth0 down)";
        long t0 = System.currentTimeMillis();
        lab.linkDown("dir1");
        results.add(measureTakeover(round, "link cut", t0));
        lab.linkUp("dir1");
        phase = "round " + round + ": link restored, waiting for dir1";
        long t1 = System.currentTimeMillis();
        boolean back = Waits.until(() -> isMaster("dir1") && clientHealthy(), settings.eventTimeoutMillis());
        results.add(new EventResult(round, "link restored (dir1 preempts)", t1,
                back ? System.currentTimeMillis() - t1 : null, outage(t1), failedSince(t1), null,
                back ? "dir1" : masterName(), back ? null : "dir1 did not return to MASTER"));
    }

    private void killRealServer(int round) throws Exception {
        phase = "round " + round + ": kill real server rs1";
        long t0 = System.currentTimeMillis();
        procs.remove("rs1").destroyForcibly();
        boolean removed = Waits.until(() -> realServerDown("dir1", "10.77.0.11"), settings.eventTimeoutMillis());
        Long removal = removed ? System.currentTimeMillis() - t0 : null;
        sleep(2000);
        results.add(new EventResult(round, "real server killed", t0, null, outage(t0), failedSince(t0), removal,
                masterName(), removed ? null : "checker did not remove rs1"));
        startBackend("rs1");
        phase = "round " + round + ": rs1 back, waiting for the checker";
        long t1 = System.currentTimeMillis();
        boolean up = Waits.until(() -> !realServerDown("dir1", "10.77.0.11"), settings.eventTimeoutMillis());
        results.add(new EventResult(round, "real server restored", t1, null, null, failedSince(t1),
                up ? System.currentTimeMillis() - t1 : null, masterName(), up ? null : "rs1 not back in the table"));
    }

    private EventResult measureTakeover(int round, String event, long t0) throws InterruptedException {
        boolean took = Waits.until(() -> isMaster("dir2"), settings.eventTimeoutMillis());
        Long takeover = took ? System.currentTimeMillis() - t0 : null;
        Waits.until(this::clientHealthy, settings.eventTimeoutMillis());
        sleep(1000);
        return new EventResult(round, event, t0, takeover, outage(t0), failedSince(t0), null, masterName(),
                took ? null : "dir2 did not take over");
    }

    private void recoverDir1(int round) throws Exception {
        phase = "round " + round + ": restarting dir1";
        startDirector("dir1", settings.confDir().resolve("drill-master.conf"));
        long t1 = System.currentTimeMillis();
        boolean back = Waits.until(() -> isMaster("dir1") && clientHealthy(), settings.eventTimeoutMillis());
        sleep(1000);
        results.add(new EventResult(round, "dir1 restarted (preempts)", t1, back ? System.currentTimeMillis() - t1 : null,
                outage(t1), failedSince(t1), null, back ? "dir1" : masterName(), back ? null : "dir1 did not return to MASTER"));
    }

    // ---- measurements from the client's samples ----

    Long outage(long t0) {
        return Outage.of(samples, t0);
    }

    int failedSince(long t0) {
        return Outage.failedSince(samples, t0);
    }

    private boolean clientHealthy() {
        return Outage.healthy(samples);
    }

    // ---- the daemons ----

    private JsonNode status(String director) {
        try {
            return ControlClient.call(runDir.resolve(director + ".sock"), JSON.createObjectNode().put("cmd", "status"));
        } catch (IOException e) {
            return null;
        }
    }

    private boolean isMaster(String director) {
        JsonNode s = status(director);
        if (s == null) return false;
        for (JsonNode i : s.path("vrrp_instances")) if (i.path("data").path("state").asInt() == 2) return true;
        return false;
    }

    private String masterName() {
        return isMaster("dir1") ? "dir1" : isMaster("dir2") ? "dir2" : "none";
    }

    private boolean realServerDown(String director, String address) {
        JsonNode s = status(director);
        if (s == null) return false;
        for (JsonNode vs : s.path("virtual_servers")) {
            for (JsonNode rs : vs.path("real_servers")) {
                if (address.equals(rs.path("address").asText())) return !rs.path("alive").asBoolean();
            }
        }
        return false;
    }

    private void startDirector(String name, Path conf) throws IOException {
        List<String> cmd = new ArrayList<>(javaCommand());
        cmd.addAll(List.of("-n", "-l", "-G", "-f", conf.toString(), "--engine", "userspace",
                "--control-socket", runDir.resolve(name + ".sock").toString(),
                "--metrics", "127.0.0.1:9650", "-p", runDir.resolve(name + ".pid").toString()));
        cmd.addAll(settings.daemonArgs());
        procs.put(name, start(name, Netns.exec(lab.ns(name), cmd.toArray(String[]::new))));
    }

    private void startBackend(String name) throws IOException {
        int i = List.of(DrillLab.HOSTS).indexOf(name);
        List<String> cmd = new ArrayList<>(javaCommand());
        cmd.addAll(List.of("drill", "backend", "--name", name, "--listen", DrillLab.ADDRS[i] + ":8080"));
        procs.put(name, start(name, Netns.exec(lab.ns(name), cmd.toArray(String[]::new))));
    }

    private void startClient() throws IOException {
        List<String> cmd = new ArrayList<>(javaCommand());
        cmd.addAll(List.of("drill", "client", "--target", DrillLab.VIP + ":80",
                "--interval-ms", Long.toString(settings.clientIntervalMillis())));
        Process p = new ProcessBuilder(Netns.exec(lab.ns("client"), cmd.toArray(String[]::new)))
                .redirectError(runDir.resolve("client.log").toFile()).start();
        procs.put("client", p);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
                String line;
                while ((line = r.readLine()) != null) {
                    String[] f = line.split(" ");
                    if (f.length >= 3) samples.add(new Sample(Long.parseLong(f[0]), f[1].equals("ok"), f[2]));
                }
            } catch (IOException | NumberFormatException e) {
                // client ended
            }
        }, "drill-client-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private Process start(String name, List<String> cmd) throws IOException {
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(runDir.resolve(name + ".log").toFile())).start();
    }

    /** The same JVM and classpath as this process, with the daemon's memory settings. */
    private static List<String> javaCommand() {
        String java = ProcessHandle.current().info().command().orElse("java");
        return List.of(java, "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), "org.jkeepalived.daemon.Main");
    }

    // ---- plumbing ----

    private Thread startProgress() {
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                int ok = 0, fail = 0;
                for (Sample s : samples) {
                    if (s.ok()) ok++;
                    else fail++;
                }
                out.printf("\r%-60s requests ok %6d failed %4d ", phase, ok, fail);
                out.flush();
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "drill-progress");
        t.setDaemon(true);
        t.start();
        return t;
    }


    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalStateException(message);
    }

    private static void sleep(long ms) throws InterruptedException {
        Thread.sleep(ms);
    }

    public Path runDir() {
        return runDir;
    }

    static ObjectNode toJson(EventResult r) {
        return JSON.valueToTree(r);
    }
}
