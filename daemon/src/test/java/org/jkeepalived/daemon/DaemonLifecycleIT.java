package org.jkeepalived.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jkeepalived.daemon.control.ControlClient;
import org.jkeepalived.daemon.drill.DrillLab;
import org.jkeepalived.daemon.drill.Netns;
import org.jkeepalived.daemon.drill.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged daemon in the drill lab: reloads under traffic lose nothing and do not move the VIP,
 * an invalid reload keeps serving, status and metrics agree with the interface and the table,
 * SIGTERM leaves no VIP and no process behind.
 */
@Tag("netns")
class DaemonLifecycleIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path dir;
    private DrillLab lab;
    private final List<Process> procs = new ArrayList<>();
    private final List<String> samples = new CopyOnWriteArrayList<>();

    @BeforeEach
    void lab() throws Exception {
        Assumptions.assumeTrue(Netns.canUse(), "needs root for network namespaces");
        lab = new DrillLab("jkl" + (ProcessHandle.current().pid() % 1000) + "-");
        lab.create();
        for (String rs : new String[]{"rs1", "rs2"}) {
            String addr = rs.equals("rs1") ? "10.77.0.11" : "10.77.0.12";
            procs.add(start(lab.ns(rs), "drill", "backend", "--name", rs, "--listen", addr + ":8080"));
        }
    }

    @AfterEach
    void cleanup() {
        procs.forEach(Process::destroyForcibly);
        if (lab != null) lab.close();
    }

    private Process start(String ns, String... args) throws Exception {
        return DistLauncher.startIn(ns, dir.resolve(ns + ".log"), args);
    }

    private JsonNode status(Path sock) {
        try {
            return ControlClient.call(sock, JSON.createObjectNode().put("cmd", "status"));
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }


    private static JsonNode instance(JsonNode status) {
        return status.path("vrrp_instances").path(0);
    }

    @Test
    void reloadsUnderTrafficSigtermAndMetrics() throws Exception {
        Path conf = dir.resolve("keepalived.conf");
        Files.copy(DistLauncher.repoRoot().resolve("conf-examples/drill-master.conf"), conf);
        Files.writeString(conf, "static_ipaddress {\n    10.77.1.1/32 dev eth0\n}\n"
                + "static_rules {\n    from 10.77.1.1 table 77 priority 7700\n}\n", java.nio.file.StandardOpenOption.APPEND);
        Path sock = dir.resolve("dir1.sock");
        Process d = start(lab.ns("dir1"), "-n", "-l", "-G", "-f", conf.toString(), "--engine", "userspace",
                "--control-socket", sock.toString(), "-p", dir.resolve("dir1.pid").toString());
        procs.add(d);
        assertTrue(Waits.until(() -> instance(status(sock)).path("data").path("state").asInt() == 2, 20_000),
                "dir1 never became MASTER: " + Files.readString(dir.resolve(lab.ns("dir1") + ".log")));
        assertTrue(Waits.until(() -> status(sock).path("virtual_servers").path(0).path("real_servers").size() == 2
                && allAlive(status(sock)), 10_000), "real servers not up: " + status(sock));

        // a client requesting the VIP all along
        Process client = new ProcessBuilder(DistLauncher.commandIn(lab.ns("client"), "drill", "client", "--target", DrillLab.VIP + ":80",
                "--interval-ms", "20")).redirectError(dir.resolve("client.err").toFile()).start();
        procs.add(client);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII))) {
                for (String l; (l = r.readLine()) != null; ) samples.add(l);
            } catch (Exception e) {
                // client ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        assertTrue(Waits.until(() -> countOk() >= 10, 10_000), "client never got answers: " + samples);

        long becameMaster = instance(status(sock)).path("stats").path("become_master").asLong();
        for (int i = 0; i < 20; i++) {
            Netns.run("kill", "-HUP", Long.toString(d.pid()));
            Thread.sleep(150);
        }
        Thread.sleep(1000);
        JsonNode after = status(sock);
        assertEquals(2, instance(after).path("data").path("state").asInt(), "still MASTER after 20 reloads");
        assertEquals(becameMaster, instance(after).path("stats").path("become_master").asLong(), "no VRRP transition");
        assertEquals(0, failures(), "no request lost across 20 reloads");

        // an invalid new config is rejected; the running one keeps serving
        Files.writeString(conf, Files.readString(conf).replace("virtual_router_id 77", "virtual_router_id 777"));
        JsonNode reply = ControlClient.call(sock, JSON.createObjectNode().put("cmd", "reload"));
        assertFalse(reply.path("ok").asBoolean(true), reply.toString());
        assertTrue(reply.path("diagnostics").toString().contains("777"), reply.toString());
        Thread.sleep(500);
        assertEquals(2, instance(status(sock)).path("data").path("state").asInt());
        assertEquals(0, failures(), "invalid reload lost requests");

        // status agrees with the interface, metrics agree with status
        String addrs = Netns.run("ip", "-n", lab.ns("dir1"), "-o", "addr", "show", "dev", "eth0");
        assertTrue(addrs.contains(DrillLab.VIP + "/24"), addrs);
        assertTrue(addrs.contains("10.77.1.1/32"), "static_ipaddress set: " + addrs);
        String rules = Netns.run("ip", "-n", lab.ns("dir1"), "rule");
        assertTrue(rules.contains("7700:\tfrom 10.77.1.1 lookup 77 proto keepalived"), "static_rules set: " + rules);
        assertTrue(instance(status(sock)).path("data").path("vips").toString().contains(DrillLab.VIP), status(sock).toString());
        String scrape = Netns.run("ip", "netns", "exec", lab.ns("dir1"), "bash", "-c",
                "exec 3<>/dev/tcp/127.0.0.1/9650; printf 'GET /metrics HTTP/1.0\\r\\n\\r\\n' >&3; cat <&3");
        String body = scrape.substring(scrape.indexOf("\r\n\r\n") + 4);
        List<PrometheusText.Sample> metrics = PrometheusText.parse(body);
        assertTrue(metrics.stream().anyMatch(m -> m.name().equals("keepalived_vrrp_state")
                && "VI_DRILL".equals(m.labels().get("iname")) && m.value() == 2.0), "keepalived_vrrp_state == 2");
        assertTrue(metrics.stream().anyMatch(m -> m.name().equals("keepalived_advert_sent_total") && m.value() > 0));
        assertTrue(metrics.stream().anyMatch(m -> m.name().startsWith("jvm_memory")), "JVM metrics exported");

        // status agrees with the table the backend holds (jkeepalived ipvs list)
        JsonNode table = ControlClient.call(sock, JSON.createObjectNode().put("cmd", "ipvs-list").put("mode", "plain"));
        String text = table.path("text").asText();
        assertTrue(text.contains("TCP  10.77.0.100:80 rr"), text);
        for (JsonNode rs : status(sock).path("virtual_servers").path(0).path("real_servers")) {
            assertEquals(rs.path("in_table").asBoolean(), text.contains(rs.path("address").asText() + ":8080"), text);
        }

        // keepalived's dumps: SIGUSR1 -> /tmp/keepalived.data, SIGUSR2 -> .stats, ctl dump json -> .json
        Files.deleteIfExists(Path.of("/tmp/keepalived.data"));
        Netns.run("kill", "-USR1", Long.toString(d.pid()));
        assertTrue(Waits.until(() -> Files.exists(Path.of("/tmp/keepalived.data")), 5000), "SIGUSR1 wrote /tmp/keepalived.data");
        Thread.sleep(200);
        assertTrue(Files.readString(Path.of("/tmp/keepalived.data")).contains("VRRP Instance = VI_DRILL"));
        Files.deleteIfExists(Path.of("/tmp/keepalived.stats"));
        Netns.run("kill", "-USR2", Long.toString(d.pid()));
        assertTrue(Waits.until(() -> Files.exists(Path.of("/tmp/keepalived.stats")), 5000), "SIGUSR2 wrote /tmp/keepalived.stats");
        JsonNode dumped = ControlClient.call(sock, JSON.createObjectNode().put("cmd", "dump").put("what", "json"));
        JsonNode list = JSON.readTree(Files.readString(Path.of(dumped.path("file").asText())));
        assertTrue(list.isArray(), "keepalived.json is a list");
        assertEquals("VI_DRILL", list.get(0).path("data").path("iname").asText());
        assertEquals(2, list.get(0).path("data").path("state").asInt());
        assertTrue(list.get(0).path("stats").has("advert_sent"), list.toString());
        // keepalived's JSON signal (36), which the JVM cannot take, is ignored instead of killing us
        Netns.run("kill", "-36", Long.toString(d.pid()));
        Thread.sleep(500);
        assertTrue(d.isAlive(), "signal 36 killed the daemon");
        assertEquals(2, instance(status(sock)).path("data").path("state").asInt());

        // a second daemon on the same pid file refuses to start (keepalived does) and leaves it alone
        String pidBefore = Files.readString(dir.resolve("dir1.pid"));
        Process second = DistLauncher.startIn(lab.ns("dir1"), dir.resolve("second.log"), "-n", "-l", "-G", "-f",
                conf.toString(), "--engine", "userspace", "--metrics", "off", "--control-socket",
                dir.resolve("second.sock").toString(), "-p", dir.resolve("dir1.pid").toString());
        procs.add(second);
        assertTrue(second.waitFor(60, TimeUnit.SECONDS), "second daemon did not give up");
        assertEquals(1, second.exitValue());
        assertTrue(Files.readString(dir.resolve("second.log")).contains("already running"), Files.readString(dir.resolve("second.log")));
        assertEquals(pidBefore, Files.readString(dir.resolve("dir1.pid")));
        assertEquals(2, instance(status(sock)).path("data").path("state").asInt(), "the first one still MASTER");

        // SIGTERM: priority 0, VIP removed, process and its children gone
        d.destroy();
        assertTrue(d.waitFor(15, TimeUnit.SECONDS), "daemon did not stop on SIGTERM");
        assertEquals(0, d.exitValue());
        String left = Netns.run("ip", "-n", lab.ns("dir1"), "-o", "addr");
        assertFalse(left.contains(DrillLab.VIP), "VIP left behind: " + left);
        assertFalse(left.contains("10.77.1.1/"), "static_ipaddress left behind: " + left);
        assertFalse(Netns.run("ip", "-n", lab.ns("dir1"), "rule").contains("7700:"), "static_rules left behind");
        assertTrue(Netns.run("ip", "netns", "pids", lab.ns("dir1")).isBlank(), "stray process in the director namespace");
    }

    private boolean allAlive(JsonNode s) {
        for (JsonNode rs : s.path("virtual_servers").path(0).path("real_servers")) if (!rs.path("alive").asBoolean()) return false;
        return true;
    }

    private long countOk() {
        return samples.stream().filter(l -> l.contains(" ok ")).count();
    }

    private long failures() {
        return samples.stream().filter(l -> l.contains(" fail ")).count();
    }
}
