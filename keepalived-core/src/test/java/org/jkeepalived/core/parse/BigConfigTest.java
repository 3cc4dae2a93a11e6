package org.jkeepalived.core.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jkeepalived.core.config.Checker;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark config loads completely and cleanly (its timing is measured by the lead's benchmark script). */
class BigConfigTest {
    @Test
    void tenThousandRealServers(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("big.conf");
        BigConfigGenerator.main(new String[] {f.toString()});
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long t0 = cpu.getCurrentThreadCpuTime();
        LoadResult r = ConfigLoader.load(f, LoadOptions.DEFAULT);
        long ms = (cpu.getCurrentThreadCpuTime() - t0) / 1_000_000;
        assertTrue(r.diagnostics().isEmpty(), TestSupport.formatAll(r.diagnostics()));
        KeepalivedConfig c = r.config();
        assertEquals(500, c.virtualServers().size());
        assertEquals(10_000, c.virtualServers().stream().mapToInt(v -> v.realServers().size()).sum());
        Checker.HttpGet h = (Checker.HttpGet) c.virtualServers().get(499).realServers().get(19).checkers().get(0);
        assertEquals(3, h.common().retry());
        assertEquals(80, h.common().connectPort());
        // CPU time, generous: the real target (< 1 s for the whole cold process) is the lead's benchmark
        assertTrue(ms < 10_000, "took " + ms + " ms of CPU");
        assertTrue(Files.size(f) > 1_000_000);
    }
}
