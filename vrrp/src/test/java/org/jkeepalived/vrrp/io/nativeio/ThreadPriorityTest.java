package org.jkeepalived.vrrp.io.nativeio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.jkeepalived.vrrp.io.NetIo;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The VRRP threads' scheduling as vrrp_priority / vrrp_rt_priority ask, read back from /proc. */
class ThreadPriorityTest {
    /** Fields of /proc/self/task/TID/stat after the command name: [16] nice, [37] rt_priority, [38] policy. */
    private static String[] statOfThreadRunning(NetIo.ThreadPriority p) throws Exception {
        AtomicReference<String[]> out = new AtomicReference<>();
        AtomicReference<Exception> failed = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                NativeNetIo.prioritize(p);
                String stat = Files.readString(Path.of("/proc/thread-self/stat"));
                out.set(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
            } catch (Exception e) {
                failed.set(e);
            }
        });
        t.start();
        t.join();
        if (failed.get() != null) throw failed.get();
        return out.get();
    }

    @Test
    void aNiceValue() throws Exception {
        // a positive nice value needs no privilege
        String[] f = statOfThreadRunning(new NetIo.ThreadPriority(7, 0));
        assertEquals("7", f[16]);
        assertEquals("0", f[38], "SCHED_OTHER");
    }

    @Test
    void aRealTimePriority() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "SCHED_RR needs root");
        String[] f = statOfThreadRunning(new NetIo.ThreadPriority(-10, 20));
        assertEquals("2", f[38], "SCHED_RR");
        assertEquals("20", f[37]);
    }
}
