package org.jkeepalived.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jkeepalived.daemon.control.ControlClient;
import org.jkeepalived.daemon.drill.DrillLab;
import org.jkeepalived.daemon.drill.Netns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `jkeepalived drill --against VIP:PORT --instance NAME` on a running pair: handoff and handback measured. */
@Tag("netns")
class HandoffDrillIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path dir;
    private DrillLab lab;
    private final List<Process> procs = new ArrayList<>();

    @AfterEach
    void cleanup() {
        procs.forEach(Process::destroyForcibly);
        if (lab != null) lab.close();
    }

    private Process start(String ns, String... args) throws Exception {
        Process p = DistLauncher.startIn(ns, dir.resolve(ns + ".log"), args);
        procs.add(p);
        return p;
    }

    private static int state(Path sock) {
        return DistLauncher.vrrpState(sock);
    }

    @Test
    void handoffAndHandbackOnARunningPair() throws Exception {
        Assumptions.assumeTrue(Netns.canUse(), "needs root for network namespaces");
        lab = new DrillLab("jkh" + (ProcessHandle.current().pid() % 1000) + "-");
        lab.create();
        start(lab.ns("rs1"), "drill", "backend", "--name", "rs1", "--listen", "10.77.0.11:8080");
        start(lab.ns("rs2"), "drill", "backend", "--name", "rs2", "--listen", "10.77.0.12:8080");
        Path conf = DistLauncher.repoRoot().resolve("conf-examples");
        Path s1 = dir.resolve("dir1.sock"), s2 = dir.resolve("dir2.sock");
        start(lab.ns("dir2"), "-n", "-G", "-f", conf.resolve("drill-backup.conf").toString(), "--engine", "userspace",
                "--control-socket", s2.toString(), "-p", dir.resolve("d2.pid").toString());
        start(lab.ns("dir1"), "-n", "-G", "-f", conf.resolve("drill-master.conf").toString(), "--engine", "userspace",
                "--control-socket", s1.toString(), "-p", dir.resolve("d1.pid").toString());
        long end = System.currentTimeMillis() + 20_000;
        while (state(s1) != 2 && System.currentTimeMillis() < end) Thread.sleep(50);
        assertEquals(2, state(s1), "dir1 MASTER");
        Thread.sleep(2500); // checkers bring the real servers in

        // ctl handoff refuses an unknown instance with a clear message
        JsonNode bad = ControlClient.call(s1, JSON.createObjectNode().put("cmd", "handoff").put("instance", "NOPE"));
        assertTrue(!bad.path("ok").asBoolean() && bad.path("message").asText().contains("NOPE"), bad.toString());

        Path out = dir.resolve("report");
        Process drill = new ProcessBuilder("ip", "netns", "exec", lab.ns("dir1"),
                DistLauncher.launcher().toAbsolutePath().toString(), "drill", "--against", DrillLab.VIP + ":80",
                "--instance", "VI_DRILL", "--control-socket", s1.toString(), "--rounds", "1", "--out", out.toString())
                .redirectErrorStream(true).start();
        String text = new String(drill.getInputStream().readAllBytes());
        assertEquals(0, drill.waitFor(), text);
        JsonNode report = JSON.readTree(Files.readString(out.resolve("report.json")));
        JsonNode handoff = report.path("events").get(0), handback = report.path("events").get(1);
        assertEquals("handoff (priority 0)", handoff.path("event").asText());
        // priority-0 advert: the backup takes over after Skew_Time (0.61 s at priority 100)
        assertTrue(handoff.path("outageMillis").asLong() < 2000, handoff.toString());
        assertTrue(handback.path("note").isNull(), handback.toString());
        assertEquals(2, state(s1), "dir1 MASTER again after handback");
    }
}
