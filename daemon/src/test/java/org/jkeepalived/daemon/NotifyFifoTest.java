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
import java.util.Map;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.config.ScriptSpec;
import org.jkeepalived.core.parse.ConfigLoader;
import org.jkeepalived.core.parse.LoadOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** notify_fifo, vrrp_notify_fifo, lvs_notify_fifo: FIFOs made and removed, keepalived's lines, the script fed. */
class NotifyFifoTest {
    @TempDir Path dir;

    @Test
    void eachFifoGetsItsSidesLinesInKeepalivedsFormatAndIsRemovedAtClose() throws Exception {
        Path both = dir.resolve("notify.fifo"), vrrp = dir.resolve("vrrp.fifo"), lvs = dir.resolve("lvs.fifo");
        KeepalivedConfig cfg = ConfigLoader.parse("global_defs {\n notify_fifo " + both + "\n vrrp_notify_fifo " + vrrp
                + "\n lvs_notify_fifo " + lvs + "\n}\n", "keepalived.conf", new LoadOptions(false, null, Map.of())).config();
        NotifyFifos fifos = new NotifyFifos();
        fifos.start(cfg);
        for (Path p : List.of(both, vrrp, lvs)) assertTrue(Files.exists(p) && !Files.isRegularFile(p), p + " made as a FIFO");
        fifos.vrrp("INSTANCE", "VI_1", "MASTER", 120);
        fifos.lvs("RS [10.0.0.2]:tcp:80 [10.0.0.1]:tcp:80 DOWN");
        fifos.vrrp("GROUP", "G1", "STOP", 0);
        assertEquals(List.of("INSTANCE \"VI_1\" MASTER 120", "RS [10.0.0.2]:tcp:80 [10.0.0.1]:tcp:80 DOWN",
                "GROUP \"G1\" STOP 0"), read(both, 3));
        assertEquals(List.of("INSTANCE \"VI_1\" MASTER 120", "GROUP \"G1\" STOP 0"), read(vrrp, 2));
        assertEquals(List.of("RS [10.0.0.2]:tcp:80 [10.0.0.1]:tcp:80 DOWN"), read(lvs, 1));
        fifos.reload(cfg); // unchanged: the same FIFOs stay open
        assertTrue(Files.exists(both));
        fifos.close();
        for (Path p : List.of(both, vrrp, lvs)) assertFalse(Files.exists(p), p + ": the FIFO we made is gone");
    }

    private static List<String> read(Path fifo, int lines) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        try (BufferedReader r = new BufferedReader(new FileReader(fifo.toFile()))) {
            for (int i = 0; i < lines; i++) out.add(r.readLine());
        }
        return out;
    }

    @Test
    void theScriptGetsTheFifoAsItsLastArgumentAndReadsEveryLine() throws Exception {
        Path p = dir.resolve("n.fifo");
        Path out = dir.resolve("seen.txt");
        Path script = dir.resolve("reader.sh");
        Files.writeString(script, "#!/bin/sh\nwhile read -r line; do echo \"$line\" >> " + out + "; done < \"$1\"\n");
        script.toFile().setExecutable(true);
        NotifyFifo f = NotifyFifo.open(p.toString(), new ScriptSpec(script.toString(), List.of(script.toString()), null, null),
                org.jkeepalived.core.config.ScriptPolicy.plain());
        for (int i = 0; i < 50; i++) f.write("INSTANCE \"VI_" + i + "\" " + (i % 2 == 0 ? "BACKUP" : "MASTER") + " " + (100 + i));
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
        assertThrows(java.io.IOException.class, () -> NotifyFifo.open(p.toString(), null, org.jkeepalived.core.config.ScriptPolicy.plain()));
        assertEquals("x", Files.readString(p), "left as it was");
    }
}
