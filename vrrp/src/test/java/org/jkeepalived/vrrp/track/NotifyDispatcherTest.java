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
    void specificScriptThenGenericWithFourArguments() throws Exception {
        NotifyDispatcher d = new NotifyDispatcher(runner, Duration.ofSeconds(5));
        d.register(Action.Target.INSTANCE, "VI_1", new NotifyDispatcher.Scripts(logger("master"), logger("backup"),
                logger("fault"), logger("stop"), logger("notify")));
        d.register(Action.Target.GROUP, "G1", new NotifyDispatcher.Scripts(null, null, null, null, logger("gnotify")));
        d.dispatch(new Action.Notify(Action.Target.INSTANCE, "VI_1", VrrpState.MASTER, 150));
        d.dispatch(new Action.Notify(Action.Target.INSTANCE, "VI_1", VrrpState.FAULT, 120));
        d.dispatch(new Action.Notify(Action.Target.INSTANCE, "VI_2", VrrpState.FAULT, 120)); // not registered
        d.dispatch(new Action.Notify(Action.Target.INSTANCE, "VI_1", VrrpState.STOP, 120))
                .get(10, TimeUnit.SECONDS);
        d.dispatch(new Action.Notify(Action.Target.GROUP, "G1", VrrpState.BACKUP, 0)).get(10, TimeUnit.SECONDS);
        List<String> lines = Files.readAllLines(dir.resolve("log"));
        assertEquals(List.of(
                "master configured-arg",
                "notify configured-arg INSTANCE VI_1 MASTER 150",
                "fault configured-arg",
                "notify configured-arg INSTANCE VI_1 FAULT 120",
                "stop configured-arg",
                "notify configured-arg INSTANCE VI_1 STOP 120",
                "gnotify configured-arg GROUP G1 BACKUP 0"), lines);
    }

    @Test
    void aHangingNotifyScriptIsKilledAndDoesNotBlockTheNextOne() throws Exception {
        Path hang = dir.resolve("hang.sh");
        Files.writeString(hang, "#!/bin/sh\nexec sleep 30\n");
        Files.setPosixFilePermissions(hang, PosixFilePermissions.fromString("rwxr-xr-x"));
        NotifyDispatcher d = new NotifyDispatcher(runner, Duration.ofMillis(200));
        d.register(Action.Target.INSTANCE, "VI_1", new NotifyDispatcher.Scripts(
                new ScriptSpec(hang.toString(), List.of(hang.toString()), null, null), logger("backup"), null, null, null));
        long t0 = System.nanoTime();
        d.dispatch(new Action.Notify(Action.Target.INSTANCE, "VI_1", VrrpState.MASTER, 100));
        d.dispatch(new Action.Notify(Action.Target.INSTANCE, "VI_1", VrrpState.BACKUP, 100)).get(10, TimeUnit.SECONDS);
        assertEquals(List.of("backup configured-arg"), Files.readAllLines(dir.resolve("log")));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(true, ms < 5000, "took " + ms + " ms");
    }
}
