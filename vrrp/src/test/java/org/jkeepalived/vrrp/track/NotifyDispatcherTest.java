package org.jkeepalived.vrrp.track;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jkeepalived.core.config.ScriptSpec;
import org.jkeepalived.core.config.VrrpState;
import org.jkeepalived.vrrp.fsm.Action;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotifyDispatcherTest {
    final ProcessScriptRunner runner = new ProcessScriptRunner();
    @TempDir
    Path dir;

    @AfterEach
    void close() {
        runner.close();
    }

    ScriptSpec logger(String tag) throws Exception {
        Path log = dir.resolve("log");
        Path p = dir.resolve(tag + ".sh");
        // appends "<tag> <args...>" so order and arguments can be checked
        Files.writeString(p, "#!/bin/sh\necho \"" + tag + " $*\" >> " + log + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new ScriptSpec(p + " configured-arg", List.of(p.toString(), "configured-arg"), null, null);
    }

    @Test
    void specificScriptAndGenericWithFourArguments() throws Exception {
        NotifyDispatcher d = new NotifyDispatcher(runner, Duration.ofSeconds(5));
        d.register(Action.Target.INSTANCE, "VI_1", new NotifyDispatcher.Scripts(logger("master"), logger("backup"),
                logger("fault"), logger("stop"), logger("notify")));
        d.register(Action.Target.GROUP, "G1", new NotifyDispatcher.Scripts(null, null, null, null, logger("gnotify")));
        // started together, as keepalived starts them: the order of the lines is the scheduler's
        var all = java.util.concurrent.CompletableFuture.allOf(
                d.dispatch(new Action.Notify(Action.Target.INSTANCE, "VI_1", VrrpState.MASTER, 150)),
                d.dispatch(new Action.Notify(Action.Target.INSTANCE, "VI_1", VrrpState.FAULT, 120)),
                d.dispatch(new Action.Notify(Action.Target.INSTANCE, "VI_2", VrrpState.FAULT, 120)), // not registered
                d.dispatch(new Action.Notify(Action.Target.INSTANCE, "VI_1", VrrpState.STOP, 120)),
                d.dispatch(new Action.Notify(Action.Target.GROUP, "G1", VrrpState.BACKUP, 0)));
        all.get(10, TimeUnit.SECONDS);
        List<String> lines = Files.readAllLines(dir.resolve("log")).stream().sorted().toList();
        assertEquals(java.util.stream.Stream.of(
                "master configured-arg",
                "notify configured-arg INSTANCE VI_1 MASTER 150",
                "fault configured-arg",
                "notify configured-arg INSTANCE VI_1 FAULT 120",
                "stop configured-arg",
                "notify configured-arg INSTANCE VI_1 STOP 120",
                "gnotify configured-arg GROUP G1 BACKUP 0").sorted().toList(), lines);
    }

    @Test
    void aHangingNotifyScriptDelaysNothingAndIsKilledAtItsTimeout() throws Exception {
        Path hang = dir.resolve("hang.sh");
        Files.writeString(hang, "#!/bin/sh\nexec sleep 30\n");
        Files.setPosixFilePermissions(hang, PosixFilePermissions.fromString("rwxr-xr-x"));
        NotifyDispatcher d = new NotifyDispatcher(runner, Duration.ofSeconds(8));
        d.register(Action.Target.INSTANCE, "VI_1", new NotifyDispatcher.Scripts(
                new ScriptSpec(hang.toString(), List.of(hang.toString()), null, null), logger("backup"), null, null,
                logger("notify")));
        long t0 = System.nanoTime();
        var master = d.dispatch(new Action.Notify(Action.Target.INSTANCE, "VI_1", VrrpState.MASTER, 100));
        // notify_backup runs now, not after notify_master's 8 s timeout (keepalived waits for neither)
        d.dispatch(new Action.Notify(Action.Target.INSTANCE, "VI_1", VrrpState.BACKUP, 100)).get(5, TimeUnit.SECONDS);
        assertEquals(java.util.Set.of("backup configured-arg", "notify configured-arg INSTANCE VI_1 MASTER 100",
                "notify configured-arg INSTANCE VI_1 BACKUP 100"), java.util.Set.copyOf(Files.readAllLines(dir.resolve("log"))));
        assertEquals(false, master.isDone(), "notify_master still running");
        master.get(20, TimeUnit.SECONDS); // killed at its timeout
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(true, ms >= 7900 && ms < 20000, "killed after " + ms + " ms");
    }
}
