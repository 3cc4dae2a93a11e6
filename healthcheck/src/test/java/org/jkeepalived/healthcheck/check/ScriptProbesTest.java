package org.jkeepalived.healthcheck.check;

import static org.jkeepalived.healthcheck.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jkeepalived.core.config.Checker;
import org.jkeepalived.core.config.CheckerCommon;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.config.RealServer;
import org.jkeepalived.core.config.ScriptSpec;
import org.jkeepalived.core.config.TrackFile;
import org.jkeepalived.core.config.VirtualServer;
import org.jkeepalived.healthcheck.CheckResult;
import org.jkeepalived.healthcheck.CheckTarget;
import org.jkeepalived.healthcheck.ScriptRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MISC_CHECK (exit codes, misc_dynamic, timeout kill, user) and FILE_CHECK. */
class ScriptProbesTest extends ProbeTestSupport {
    @TempDir Path dir;

    Path script(String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    static CheckerCommon cc() {
        return common("127.0.0.1", 80, Duration.ofSeconds(1), 0, Duration.ofSeconds(1), Duration.ofSeconds(5), false);
    }

    CheckResult misc(ScriptSpec spec, Duration timeout, boolean dynamic, int rsWeight) throws Exception {
        Checker.MiscCheck c = new Checker.MiscCheck(cc(), spec, timeout, dynamic);
        RealServer rs = rs("127.0.0.1", 80, rsWeight, c);
        return run(c, rs, null);
    }

    @Test void exitStatusDecides() throws Exception {
        assertTrue(misc(spec(script("ok.sh", "exit 0")), Duration.ofSeconds(5), false, 1).ok());
        CheckResult down = misc(spec(script("down.sh", "exit 1")), Duration.ofSeconds(5), false, 1);
        assertEquals("script_exit", down.reason());
        assertEquals("script_exit", misc(spec(script("e7.sh", "exit 7")), Duration.ofSeconds(5), false, 1).reason(),
                "without misc_dynamic any non-zero exit is a failure");
    }

    @Test void miscDynamicWeightIsExitMinusTwo() throws Exception {
        CheckResult r = misc(spec(script("w.sh", "exit 12")), Duration.ofSeconds(5), true, 3);
        assertTrue(r.ok());
        assertEquals(10 - 3, r.weightDelta(), "weight 10 as a delta to the configured 3");
        assertEquals("script_exit", misc(spec(script("d1.sh", "exit 1")), Duration.ofSeconds(5), true, 3).reason());
        // exit 0 with misc_dynamic: back to the configured weight (keepalived: dynamic part 0)
        assertEquals(0, misc(spec(script("z.sh", "exit 0")), Duration.ofSeconds(5), true, 3).weightDelta());
        assertNull(misc(spec(script("y.sh", "exit 0")), Duration.ofSeconds(5), false, 3).weightDelta());
    }

    @Test void timeoutKillsTheScript() throws Exception {
        Path marker = dir.resolve("still-running");
        long t0 = System.nanoTime();
        CheckResult r = misc(spec(script("slow.sh", "sleep 7.123; touch " + marker)), Duration.ofMillis(300), false, 1);
        assertEquals("script_timeout", r.reason());
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 3000);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(3)).until(() -> scripts.running() == 0);
        // the script and its child (sleep) are gone, not left running in the background
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(3)).until(() -> ProcessHandle.allProcesses()
                .noneMatch(ph -> ph.info().commandLine().map(c -> c.contains(dir.toString()) || c.contains("sleep 7.123")).orElse(false)));
        assertFalse(Files.exists(marker));
    }

    @Test void runsAsUserThroughRunuser() throws Exception {
        // as root (the policy is told so here): a script's own user through runuser
        var asRoot = new org.jkeepalived.core.config.ScriptPolicy(null, null, false, true);
        List<String> a = asRoot.commandLine(new ScriptSpec("/x a", List.of("/x", "a"), "nobody", null), List.of());
        assertTrue(a.get(0).endsWith("runuser"), a.toString());
        assertEquals(List.of("-u", "nobody", "--", "/x", "a"), a.subList(1, a.size()));
        List<String> b = asRoot.commandLine(new ScriptSpec("/x", List.of("/x"), "nobody", "nogroup"), List.of());
        assertEquals(List.of("-u", "nobody", "-g", "nogroup", "--", "/x"), b.subList(1, b.size()));
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name"))
                && (Files.isExecutable(Path.of("/usr/sbin/runuser")) || Files.isExecutable(Path.of("/sbin/runuser"))),
                "runuser needs root");
        Path out = dir.resolve("whoami");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path s = script("who.sh", "id -un > " + out);
        CheckResult r = misc(new ScriptSpec(s.toString(), List.of(s.toString()), "nobody", null), Duration.ofSeconds(5), false, 1);
        assertTrue(r.ok(), r.message());
        assertEquals("nobody", Files.readString(out).trim());
    }

    static ScriptSpec spec(Path p) {
        return new ScriptSpec(p.toString(), List.of(p.toString()), null, null);
    }

    // ------------------------------------------------------------------ FILE_CHECK

    CheckResult file(Path f, Integer weight, boolean reverse, boolean dynamic, int trackWeight) throws Exception {
        TrackFile tf = new TrackFile("tf", f.toString(), trackWeight, false, null, false);
        Checker.FileCheck c = new Checker.FileCheck(null, "tf", dynamic, weight, reverse);
        VirtualServer vs = vs("127.0.0.1", 80);
        RealServer rs = rs("127.0.0.1", 80, 5, c);
        KeepalivedConfig cfg = config(List.of(), List.of(tf), vs);
        return factory(cfg).create(new CheckTarget(vs, rs, c)).check().get(5, TimeUnit.SECONDS);
    }

    @Test void fileCheckWeightZeroNonZeroValueFails() throws Exception {
        Path f = dir.resolve("v");
        Files.writeString(f, "0\n");
        assertTrue(file(f, null, false, false, 0).ok());
        Files.writeString(f, "3\n");
        assertEquals("file_value", file(f, null, false, false, 0).reason());
        assertTrue(file(dir.resolve("missing"), null, false, false, 0).ok(), "a missing file reads as 0");
    }

    @Test void fileCheckDynamicAdjustsWeight() throws Exception {
        Path f = dir.resolve("v");
        Files.writeString(f, "4\n");
        CheckResult r = file(f, 2, false, true, 0);
        assertTrue(r.ok());
        assertEquals(8, r.weightDelta());
        assertEquals(-8, file(f, 2, true, true, 0).weightDelta(), "reverse");
        assertEquals(12, file(f, null, false, true, 3).weightDelta(), "weight from the track_file");
        // not dynamic: fails once the weight would drop below 1 (5 - 4*2 < 1)
        assertEquals("file_value", file(f, -2, false, false, 0).reason());
        assertTrue(file(f, 2, false, false, 0).ok());
    }
}
