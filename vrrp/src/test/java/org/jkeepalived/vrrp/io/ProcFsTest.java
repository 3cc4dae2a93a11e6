package org.jkeepalived.vrrp.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Processes as /proc shows them: odd names, zombies, rewritten command lines. */
class ProcFsTest {

    private static void proc(Path root, int pid, String stat, String cmdline) throws Exception {
        Path d = Files.createDirectories(root.resolve(Integer.toString(pid)));
        Files.writeString(d.resolve("stat"), stat);
        Files.write(d.resolve("cmdline"), cmdline.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsNameStateParentAndCommandLine(@TempDir Path root) throws Exception {
        proc(root, 10, "10 (haproxy) S 1 10 10 0 -1\n", "/usr/sbin/haproxy\0-f\0/etc/h.cfg\0");
        // a name may hold spaces and parentheses: it ends at the last ')'
        proc(root, 11, "11 (Web (Content)) R 10 10 10 0 -1\n", "firefox\0-contentproc\0");
        proc(root, 12, "12 (defunct) Z 10 10 10 0 -1\n", "");
        // setproctitle-style: one word with spaces, padded with NULs
        proc(root, 13, "13 (nginx) S 1 13 13 0 -1\n", "nginx: master process /usr/sbin/nginx\0\0");
        Files.createDirectories(root.resolve("self"));
        Files.createDirectories(root.resolve("14")); // ended while being read: no stat
        Map<Integer, ProcInfo> all = new ProcFs(root).scan(true);
        assertEquals(4, all.size());
        assertEquals(new ProcInfo("haproxy", List.of("/usr/sbin/haproxy", "-f", "/etc/h.cfg"), false, 1), all.get(10));
        assertEquals("Web (Content)", all.get(11).comm());
        assertEquals(10, all.get(11).ppid());
        assertTrue(all.get(12).zombie());
        assertEquals(List.of("nginx: master process /usr/sbin/nginx", ""), all.get(13).cmdline());
        assertEquals(List.of(), new ProcFs(root).read(10, false).cmdline(), "the command line only when asked");
        assertNull(new ProcFs(root).read(99, true));
    }

    @Test
    void aNameCutInsideAUtf8CharacterIsStillReadAndTheStartTimeToo(@TempDir Path root) throws Exception {
        // "dépôt-synchro-é" cut at 15 bytes ends with the first byte of 'é'
        byte[] name = java.util.Arrays.copyOf("dépôt-synchro-é".getBytes(StandardCharsets.UTF_8), 15);
        Path d = Files.createDirectories(root.resolve("20"));
        java.io.ByteArrayOutputStream stat = new java.io.ByteArrayOutputStream();
        stat.write("20 (".getBytes(StandardCharsets.US_ASCII));
        stat.write(name);
        stat.write(") S 1 20 20 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 987654 1000 10\n".getBytes(StandardCharsets.US_ASCII));
        Files.write(d.resolve("stat"), stat.toByteArray());
        ProcInfo p = new ProcFs(root).scan(false).get(20);
        assertEquals(new String(name, StandardCharsets.UTF_8), p.comm(), "decoded as the kernel's comm event is");
        assertEquals(987654, p.startTime(), "field 22");
    }

    @Test
    void aTableThatCannotBeReadWholeIsNoTable(@TempDir Path root) throws Exception {
        proc(root, 10, "10 (haproxy) S 1 10 10 0 -1\n", "haproxy\0");
        Files.createDirectories(root.resolve("11").resolve("stat")); // EISDIR: not "gone"
        assertThrows(java.io.IOException.class, () -> new ProcFs(root).scan(false));
        assertThrows(java.io.IOException.class, () -> new ProcFs(root).read(11, false));
        assertThrows(java.io.IOException.class, () -> new ProcFs(root.resolve("missing")).scan(false),
                "no directory: not an empty table");
        assertTrue(ProcFs.gone(new java.io.IOException("No such process")), "ESRCH: read a task that just died");
        assertTrue(ProcFs.gone(new java.nio.file.NoSuchFileException("/proc/9/stat")));
        assertFalse(ProcFs.gone(new java.io.IOException("Input/output error")));
    }

    @Test
    void pollingSkipsASnapshotWhenProcCannotBeRead(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("proc"));
        proc(root, 10, "10 (haproxy) S 1 10 10 0 -1\n", "haproxy\0");
        PollingProcessMonitor m = new PollingProcessMonitor(new ProcFs(root), Duration.ofSeconds(1), false);
        List<ProcessEvent> got = new ArrayList<>();
        m.subscribe(false, got::add);
        Files.move(root, dir.resolve("gone"));
        m.poll();
        assertEquals(1, got.size(), "no empty snapshot: every process would count as exited");
        Files.move(dir.resolve("gone"), root);
        m.poll();
        assertEquals(2, got.size());
        assertEquals(((ProcessEvent.Snapshot) got.get(0)).processes(), ((ProcessEvent.Snapshot) got.get(1)).processes());
        assertEquals("haproxy", ((ProcessEvent.Snapshot) got.get(1)).processes().get(10).comm());
    }

    @Test
    void pollingReadsTheCommandLineOfNewProcessesOnly(@TempDir Path root) throws Exception {
        proc(root, 10, "10 (nginx) S 1 10 10 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 500 0 0\n", "nginx\0-g\0");
        PollingProcessMonitor m = new PollingProcessMonitor(new ProcFs(root), Duration.ofSeconds(1), false);
        List<ProcessEvent> got = new ArrayList<>();
        m.subscribe(true, got::add);
        // a command line rewritten without an exec is not read again...
        Files.write(root.resolve("10").resolve("cmdline"), "nginx: worker\0".getBytes(StandardCharsets.UTF_8));
        m.poll();
        assertEquals(List.of("nginx", "-g"), ((ProcessEvent.Snapshot) got.get(1)).processes().get(10).cmdline());
        // ...but a new process with the same pid (another start time) is
        Files.writeString(root.resolve("10").resolve("stat"), "10 (nginx) S 1 10 10 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 900 0 0\n");
        m.poll();
        assertEquals(List.of("nginx: worker"), ((ProcessEvent.Snapshot) got.get(2)).processes().get(10).cmdline());
    }
}
