package org.jkeepalived.vrrp.track;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jkeepalived.core.config.ScriptSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessScriptRunnerTest {
    final ProcessScriptRunner runner = new ProcessScriptRunner();
    @TempDir
    Path dir;

    @AfterEach
    void close() {
        runner.close();
    }

    Path script(String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    static ScriptSpec spec(Path p, String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of(p.toString()));
        argv.addAll(List.of(args));
        return new ScriptSpec(String.join(" ", argv), argv, null, null);
    }

    @Test
    void returnsExitStatusWithoutBlockingTheCaller() throws Exception {
        Path s = script("exit3.sh", "sleep 0.3; exit $1");
        long t0 = System.nanoTime();
        CompletableFuture<Integer> f = runner.run(spec(s, "3"), Duration.ofSeconds(5));
        assertTrue(System.nanoTime() - t0 < 200_000_000L, "run() returned at once");
        assertEquals(3, f.get(5, TimeUnit.SECONDS));
        assertEquals(0, runner.run(spec(script("ok.sh", "exit 0")), Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS));
    }

    @Test
    void killsTheScriptAndItsChildrenOnTimeout() throws Exception {
        Path pids = dir.resolve("pids");
        Path s = script("hang.sh", "echo $$ > " + pids + "; sleep 30 & echo $! >> " + pids + "; wait");
        long t0 = System.nanoTime();
        int code = runner.run(spec(s), Duration.ofMillis(300)).get(5, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(ScriptRunner.TIMED_OUT, code);
        assertTrue(ms >= 300 && ms < 3000, "timed out after " + ms + " ms");
        List<String> lines = Files.readAllLines(pids);
        assertEquals(2, lines.size());
        for (String pid : lines) {
            await().atMost(Duration.ofSeconds(3)).until(() -> ProcessHandle.of(Long.parseLong(pid.trim()))
                    .map(h -> !h.isAlive()).orElse(true));
        }
    }

    @Test
    void missingScriptFailsToStart() throws Exception {
        ScriptSpec none = new ScriptSpec("/nonexistent/x", List.of("/nonexistent/x"), null, null);
        assertEquals(ScriptRunner.FAILED_TO_START, runner.run(none, Duration.ofSeconds(1)).get(5, TimeUnit.SECONDS));
        assertEquals(ScriptRunner.FAILED_TO_START,
                runner.run(new ScriptSpec("", List.of(), null, null), Duration.ofSeconds(1)).get(5, TimeUnit.SECONDS));
    }

    @Test
    void runsAsTheGivenUserThroughRunuser() throws Exception {
        Assumptions.assumeTrue(org.jkeepalived.core.config.ScriptPolicy.runningAsRoot(), "needs root to switch user");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/runuser")) || Files.isExecutable(Path.of("/sbin/runuser")),
                "runuser not installed");
        Path open = Files.createDirectories(dir.resolve("open"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path out = open.resolve("uid");
        Path s = script("whoami.sh", "id -un > " + out);
        ScriptSpec asNobody = new ScriptSpec(s.toString(), List.of(s.toString()), "nobody", null);
        assertEquals(List.of("/usr/sbin/runuser", "-u", "nobody", "--", s.toString()).subList(1, 5),
                runner.commandLine(asNobody, List.of()).subList(1, 5));
        assertEquals(0, runner.run(asNobody, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS));
        assertEquals("nobody", Files.readString(out).trim());
    }
}
