package org.jkeepalived.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.FileReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.jkeepalived.core.config.ScriptSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** notify_fifo: the FIFO made and removed, keepalived's line format, the FIFO's script fed. */
class NotifyFifoTest {
    @TempDir Path dir;

    @Test
    void makesTheFifoWritesKeepalivedsLinesAndRemovesItAtClose() throws Exception {
        Path p = dir.resolve("notify.fifo");
        NotifyFifo f = NotifyFifo.open(p.toString(), null);
        assertTrue(Files.exists(p) && !Files.isRegularFile(p), "a FIFO was made");
        f.notify("INSTANCE", "VI_1", "MASTER", 120);
        f.notify("GROUP", "G1", "STOP", 0);
        try (BufferedReader r = new BufferedReader(new FileReader(p.toFile()))) {
            assertEquals("INSTANCE \"VI_1\" MASTER 120", r.readLine());
            assertEquals("GROUP \"G1\" STOP 0", r.readLine());
        }
        assertTrue(f.same(p.toString(), null));
        assertFalse(f.same(p.toString(), new ScriptSpec("/bin/cat", List.of("/bin/cat"), null, null)));
        f.close();
        assertFalse(Files.exists(p), "the FIFO we made is gone");
    }

    @Test
    void theScriptGetsTheFifoAsItsLastArgumentAndReadsEveryLine() throws Exception {
        Path p = dir.resolve("n.fifo");
        Path out = dir.resolve("seen.txt");
        Path script = dir.resolve("reader.sh");
        Files.writeString(script, "#!/bin/sh\nwhile read -r line; do echo \"$line\" >> " + out + "; done < \"$1\"\n");
        script.toFile().setExecutable(true);
        NotifyFifo f = NotifyFifo.open(p.toString(), new ScriptSpec(script.toString(), List.of(script.toString()), null, null));
        for (int i = 0; i < 50; i++) f.notify("INSTANCE", "VI_" + i, i % 2 == 0 ? "BACKUP" : "MASTER", 100 + i);
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> Files.exists(out) && Files.readAllLines(out).size() == 50);
        List<String> lines = Files.readAllLines(out);
        assertEquals("INSTANCE \"VI_0\" BACKUP 100", lines.get(0));
        assertEquals("INSTANCE \"VI_49\" MASTER 149", lines.get(49));
        f.close();
    }

    @Test
    void aPathThatIsNotAFifoIsRefused() throws Exception {
        Path p = dir.resolve("plain");
        Files.writeString(p, "x");
        assertThrows(java.io.IOException.class, () -> NotifyFifo.open(p.toString(), null));
        assertEquals("x", Files.readString(p), "left as it was");
    }
}
