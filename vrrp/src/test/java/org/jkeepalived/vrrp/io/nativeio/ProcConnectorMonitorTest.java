package org.jkeepalived.vrrp.io.nativeio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jkeepalived.core.config.ScriptPolicy;
import org.jkeepalived.core.config.TrackProcess;
import org.jkeepalived.vrrp.io.PollingProcessMonitor;
import org.jkeepalived.vrrp.io.ProcFs;
import org.jkeepalived.vrrp.io.ProcessEvent;
import org.jkeepalived.vrrp.io.ProcessMonitor;
import org.jkeepalived.vrrp.track.ProcessTracker;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kernel's process events as the connector delivers them, decoded; and a real process seen start and end. */
class ProcConnectorMonitorTest {

    /** body of a connector message: cn_msg + proc_event header + event data. */
    private static Nl.Msg event(int idx, int what, int... data) {
        ByteBuffer b = ByteBuffer.allocate(36 + Math.max(24, data.length * 4)).order(ByteOrder.nativeOrder());
        b.putInt(idx).putInt(1).putInt(7).putInt(0).putShort((short) 40).putShort((short) 0);
        b.putInt(what).putInt(0).putLong(123456789L);
        for (int d : data) b.putInt(d);
        return new Nl.Msg(Nl.NLMSG_DONE, 0, 0, 0, b.array());
    }

    @Test
    void decodesProcessEventsAndLeavesThreadsOut() {
        assertEquals(new ProcessEvent.Fork(10, 11), ProcConnectorMonitor.decode(event(1, 0x1, 10, 10, 11, 11)));
        assertNull(ProcConnectorMonitor.decode(event(1, 0x1, 10, 10, 12, 11)), "a new thread of 11");
        assertEquals(new ProcessEvent.Exec(20, null), ProcConnectorMonitor.decode(event(1, 0x2, 20, 20)));
        assertNull(ProcConnectorMonitor.decode(event(1, 0x2, 21, 20)));
        assertEquals(new ProcessEvent.Exit(30), ProcConnectorMonitor.decode(event(1, 0x80000000, 30, 30, 0, 9)));
        assertNull(ProcConnectorMonitor.decode(event(1, 0x80000000, 31, 30, 0, 0)), "a thread ending");
        Nl.Msg comm = event(1, 0x200, 40, 40, 0, 0, 0, 0);
        byte[] name = "Web Content".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(name, 0, comm.body(), 44, name.length);
        assertEquals(new ProcessEvent.Comm(40, "Web Content"), ProcConnectorMonitor.decode(comm));
        assertNull(ProcConnectorMonitor.decode(event(1, 0, 0)), "the listen acknowledgement");
        assertNull(ProcConnectorMonitor.decode(event(1, 0x4, 50, 50)), "uid change");
        assertNull(ProcConnectorMonitor.decode(event(2, 0x2, 60, 60)), "another connector");
    }

    @Test
    void listenMessageIsAProcConnectorMcastOp() {
        ByteBuffer b = ByteBuffer.wrap(ProcConnectorMonitor.mcastOp(ProcConnectorMonitor.PROC_CN_MCAST_LISTEN))
                .order(ByteOrder.nativeOrder());
        assertEquals(40, b.getInt(0), "nlmsghdr + cn_msg + the op");
        assertEquals(Nl.NLMSG_DONE, b.getShort(4));
        assertEquals(1, b.getInt(16), "CN_IDX_PROC");
        assertEquals(1, b.getInt(20), "CN_VAL_PROC");
        assertEquals(4, b.getShort(32), "cn_msg.len");
        assertEquals(1, b.getInt(36), "PROC_CN_MCAST_LISTEN");
    }

    /** A copy of sleep under a name no other process has, so only this test's process can match. */
    private static Path uniqueSleep(Path dir) throws Exception {
        String name = "jk-tp-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 30, 1L << 35), 36);
        Path sleep = Files.isExecutable(Path.of("/bin/sleep")) ? Path.of("/bin/sleep") : Path.of("/usr/bin/sleep");
        Path copy = dir.resolve(name);
        Files.copy(sleep, copy, StandardCopyOption.COPY_ATTRIBUTES);
        assertTrue(name.length() <= 15, "a process name holds 15 characters");
        return copy;
    }

    /** Feeds the monitor's events to a tracker of one vrrp_track_process; the statuses come out in order. */
    private static void upThenDown(ProcessMonitor m, Path exe, Duration timeout) throws Exception {
        String name = exe.getFileName().toString();
        ProcessTracker t = new ProcessTracker(List.of(new TrackProcess("t", name, List.of(), TrackProcess.ParamMatch.NONE,
                false, 0, false, 1, null, null, null)));
        LinkedBlockingQueue<Boolean> changes = new LinkedBlockingQueue<>();
        AutoCloseable sub = m.subscribe(false, ev -> {
            synchronized (t) {
                t.onEvent(ev, System.nanoTime()).forEach(c -> changes.add(c.up()));
            }
        });
        try {
            assertEquals(Boolean.FALSE, changes.poll(), "the first snapshot: not running");
            Process p = new ProcessBuilder(exe.toString(), "30").start();
            try {
                assertEquals(Boolean.TRUE, changes.poll(timeout.toMillis(), TimeUnit.MILLISECONDS), "quorum once it runs");
                p.destroy();
                assertTrue(p.waitFor(5, TimeUnit.SECONDS));
                assertEquals(Boolean.FALSE, changes.poll(timeout.toMillis(), TimeUnit.MILLISECONDS), "lost once it ends");
            } finally {
                p.destroyForcibly();
            }
        } finally {
            sub.close();
        }
    }

    @Test
    void realProcessThroughTheKernelConnector(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(ScriptPolicy.runningAsRoot(),
                "needs root (CAP_NET_ADMIN) for the kernel's process events connector");
        Path exe = uniqueSleep(dir);
        try (ProcConnectorMonitor m = ProcConnectorMonitor.open(ProcFs.SYSTEM)) {
            assertTrue(m.kernelEvents());
            // kernel events arrive within milliseconds; a poll would need a second
            upThenDown(m, exe, Duration.ofMillis(900));
        }
    }

    @Test
    void realProcessThroughPollingProc(@TempDir Path dir) throws Exception {
        Path exe = uniqueSleep(dir);
        try (PollingProcessMonitor m = new PollingProcessMonitor(ProcFs.SYSTEM, Duration.ofMillis(100))) {
            upThenDown(m, exe, Duration.ofSeconds(3));
        }
    }
}
