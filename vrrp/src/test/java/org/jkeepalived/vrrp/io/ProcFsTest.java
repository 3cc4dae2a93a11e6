package org.jkeepalived.vrrp.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
