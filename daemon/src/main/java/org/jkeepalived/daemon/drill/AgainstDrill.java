package org.jkeepalived.daemon.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jkeepalived.daemon.control.ControlClient;

/**
 * {@code jkeepalived drill --against VIP:PORT --instance NAME}: a drill on a real director pair,
 * run on the current master. Each round hands the instance over gracefully (ctl handoff: priority
 * 0, the peer takes over), measures what a client of the VIP sees, then hands it back. No
 * namespaces, no killing: safe for production rehearsals.
 */
public final class AgainstDrill {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final InetSocketAddress target;
    private final String instance;
    private final Path socket;
    private final int rounds;
    private final long intervalMillis;
    private final Path outDir;
    private final PrintStream out;
    private final List<Drill.Sample> samples = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;

    public AgainstDrill(InetSocketAddress target, String instance, Path socket, int rounds, long intervalMillis,
                        Path outDir, PrintStream out) {
        this.target = target;
        this.instance = instance;
        this.socket = socket;
        this.rounds = rounds;
        this.intervalMillis = intervalMillis;
        this.outDir = outDir;
        this.out = out;
    }

    public int run() throws Exception {
        if (state() != 2) {
            out.println("drill --against: instance " + instance + " is not MASTER here; run it on the current master");
            return 2;
        }
        Thread client = new Thread(this::clientLoop, "drill-against-client");
        client.setDaemon(true);
        client.start();
        List<Drill.EventResult> results = new ArrayList<>();
        try {
            Thread.sleep(1000);
            for (int round = 1; round <= rounds; round++) {
                long t0 = System.currentTimeMillis();
                JsonNode reply = call("handoff", 120);
                if (!reply.path("ok").asBoolean()) throw new IOException("handoff refused: " + reply);
                boolean left = Waits.until(() -> state() != 2, 10_000);
                Long released = left ? System.currentTimeMillis() - t0 : null;
                Waits.until(this::clientHealthy, 15_000);
                Thread.sleep(1000);
                results.add(new Drill.EventResult(round, "handoff (priority 0)", t0, released, outage(t0),
                        failedSince(t0), null, left ? "peer" : "here", left ? null : "instance stayed MASTER"));
                long t1 = System.currentTimeMillis();
                call("handback", 0);
                boolean back = Waits.until(() -> state() == 2, 15_000);
                Waits.until(this::clientHealthy, 15_000);
                Thread.sleep(1000);
                results.add(new Drill.EventResult(round, "handback (preempt)", t1,
                        back ? System.currentTimeMillis() - t1 : null, outage(t1), failedSince(t1), null,
                        back ? "here" : "peer", back ? null : "instance did not return to MASTER"));
            }
        } finally {
            running = false;
        }
        DrillReport.write(new Drill.Settings(rounds, null, outDir, "", intervalMillis, 15_000, List.of()), results, samples, out);
        return DrillReport.verdict(results);
    }

    private void clientLoop() {
        while (running) {
            long wall = System.currentTimeMillis();
            try {
                samples.add(new Drill.Sample(wall, true, DrillClient.request(target, 300)));
            } catch (IOException e) {
                samples.add(new Drill.Sample(wall, false, String.valueOf(e.getMessage())));
            }
            try {
                Thread.sleep(intervalMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private JsonNode call(String cmd, int seconds) throws IOException {
        var req = JSON.createObjectNode().put("cmd", cmd).put("instance", instance);
        if (seconds > 0) req.put("seconds", seconds);
        return ControlClient.call(socket, req);
    }

    private int state() {
        try {
            JsonNode s = ControlClient.call(socket, JSON.createObjectNode().put("cmd", "status"));
            for (JsonNode i : s.path("vrrp_instances")) {
                if (instance.equals(i.path("data").path("iname").asText())) return i.path("data").path("state").asInt();
            }
        } catch (IOException e) {
            // daemon unreachable: not master as far as we can tell
        }
        return -1;
    }

    private Long outage(long t0) {
        return Outage.of(samples, t0);
    }

    private int failedSince(long t0) {
        return Outage.failedSince(samples, t0);
    }

    private boolean clientHealthy() {
        return Outage.healthy(samples);
    }

}
