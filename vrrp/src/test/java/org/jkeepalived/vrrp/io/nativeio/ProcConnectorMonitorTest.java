package org.jkeepalived.vrrp.io.nativeio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
        return message(Nl.NLMSG_DONE, idx, 7, 0, what, data);
    }

    private static Nl.Msg message(int type, int idx, int seq, int ack, int what, int... data) {
        ByteBuffer b = ByteBuffer.allocate(36 + Math.max(24, data.length * 4)).order(ByteOrder.nativeOrder());
        b.putInt(idx).putInt(1).putInt(seq).putInt(ack).putShort((short) 40).putShort((short) 0);
        b.putInt(what).putInt(-1).putLong(123456789L);
        for (int d : data) b.putInt(d);
        return new Nl.Msg(type, 0, seq, 0, b.array());
    }

    @Test
    void onlyTheKernelsAnswerToOurRequestIsOurAck() {
        int nonce = 4242;
        // the seq is the kernel's per-CPU event counter (530 as a 6.18 kernel sent it), not ours
        assertEquals(0, ProcConnectorMonitor.ackError(message(Nl.NLMSG_DONE, 1, 530, nonce + 1, 0, 0), nonce));
        assertEquals(1, ProcConnectorMonitor.ackError(message(Nl.NLMSG_DONE, 1, 530, nonce + 1, 0, 1), nonce), "EPERM");
        assertNull(ProcConnectorMonitor.ackError(message(Nl.NLMSG_DONE, 1, 530, 1, 0, 0), nonce),
                "another listener's answer, multicast to us too");
        assertNull(ProcConnectorMonitor.ackError(message(Nl.NLMSG_DONE, 1, 530, nonce, 0, 0), nonce),
                "the kernel sets ack to the request's + 1");
        assertNull(ProcConnectorMonitor.ackError(message(Nl.NLMSG_DONE, 1, 530, nonce + 1, 0x2, 0), nonce), "an exec event");
        assertNull(ProcConnectorMonitor.ackError(message(Nl.NLMSG_DONE, 2, 530, nonce + 1, 0, 0), nonce), "another connector");
        assertNull(ProcConnectorMonitor.ackError(message(Nl.NLMSG_ERROR, 1, 530, nonce + 1, 0, 0), nonce), "NLMSG_ERROR");
        assertNull(ProcConnectorMonitor.ackError(message(1, 1, 530, nonce + 1, 0, 0), nonce), "NLMSG_NOOP");
        assertNull(ProcConnectorMonitor.ackError(new Nl.Msg(Nl.NLMSG_DONE, 0, 0, 0, new byte[20]), nonce), "short");
    }

    /** A socket that hands out what the test queued; an empty queue reads as a timeout. */
    private static final class FakeChannel implements ProcConnectorMonitor.Channel {
        final java.util.ArrayDeque<Object> reads = new java.util.ArrayDeque<>();
        final List<byte[]> sent = new java.util.ArrayList<>();
        final List<Integer> buffers = new java.util.ArrayList<>();
        boolean closed;

        @Override
        public void send(byte[] msg) {
            sent.add(msg);
        }

        @Override
        public List<Nl.Msg> read(int timeoutMillis) throws java.io.IOException {
            Object r = reads.poll();
            if (r instanceof java.io.IOException e) throw e;
            if (r instanceof Nl.Msg m) return List.of(m);
            return List.of();
        }

        @Override
        public boolean setReceiveBuffer(int bytes, boolean force) {
            buffers.add(bytes);
            return force;
        }

        @Override
        public void close() {
            closed = true;
        }

        void enobufs() {
            reads.add(new Native.NativeIoException("netlink recv: No buffer space available", Native.ENOBUFS));
        }
    }

    @Test
    void listenSkipsOtherAnswersAndFailsOnSilence() throws Exception {
        FakeChannel ch = new FakeChannel();
        ch.reads.add(message(Nl.NLMSG_DONE, 1, 99, 1, 0, 0));
        ch.reads.add(message(Nl.NLMSG_DONE, 1, 100, 6, 0, 0));
        ProcConnectorMonitor.listen(ch, 5, 200);
        ByteBuffer sent = ByteBuffer.wrap(ch.sent.get(0)).order(ByteOrder.nativeOrder());
        assertEquals(5, sent.getInt(28), "cn_msg.ack: the nonce");
        FakeChannel silent = new FakeChannel();
        silent.reads.add(message(Nl.NLMSG_DONE, 1, 99, 1, 0, 0));
        assertThrows(java.io.IOException.class, () -> ProcConnectorMonitor.listen(silent, 6, 50),
                "a non-initial namespace: the kernel says nothing");
    }

    @Test
    void lostEventsGrowTheBufferAndResyncAtMostOnceASecond(@TempDir Path proc) throws Exception {
        FakeChannel ch = new FakeChannel();
        long[] now = {0};
        ProcConnectorMonitor m = new ProcConnectorMonitor(ch, new ProcFs(proc), () -> now[0], 1 << 20, true);
        List<ProcessEvent> got = new java.util.ArrayList<>();
        AutoCloseable sub = m.subscribe(false, got::add);
        assertEquals(1, got.size(), "the first snapshot");
        ch.enobufs();
        m.step(); // ENOBUFS
        assertEquals(List.of(2 << 20), ch.buffers, "doubled");
        m.step(); // the resync, at once
        assertEquals(2, got.size());
        assertTrue(got.get(1) instanceof ProcessEvent.Snapshot);
        for (int i = 0; i < 3; i++) {
            now[0] += 100_000_000L;
            ch.enobufs();
            m.step();
            m.step(); // a read timing out: no resync yet
        }
        assertEquals(2, got.size(), "resyncs coalesced within a second");
        assertEquals(16 << 20, m.receiveBuffer());
        now[0] += 700_000_000L;
        m.step();
        assertEquals(3, got.size(), "one resync for the three losses");
        assertTrue(got.get(2) instanceof ProcessEvent.Snapshot);
        for (int i = 0; i < 10; i++) {
            ch.enobufs();
            m.step();
        }
        assertEquals(ProcConnectorMonitor.MAX_RCVBUF, m.receiveBuffer(), "capped");
        sub.close();
    }

    @Test
    void aProcUnreadableOnResyncDeliversNothingAndRetries(@TempDir Path dir) throws Exception {
        Path proc = Files.createDirectories(dir.resolve("proc"));
        FakeChannel ch = new FakeChannel();
        long[] now = {0};
        ProcConnectorMonitor m = new ProcConnectorMonitor(ch, new ProcFs(proc), () -> now[0], 1 << 20, true);
        List<ProcessEvent> got = new java.util.ArrayList<>();
        m.subscribe(false, got::add);
        Files.delete(proc);
        ch.enobufs();
        m.step();
        m.step();
        assertEquals(1, got.size(), "no empty table: that would be every process exiting");
        Files.createDirectories(proc);
        now[0] += 1_000_000_000L;
        m.step();
        assertEquals(2, got.size(), "retried a second later");
    }

    @Test
    void theLastListenerLeavingStopsListeningAndCloses(@TempDir Path proc) throws Exception {
        FakeChannel ch = new FakeChannel();
        ProcConnectorMonitor m = new ProcConnectorMonitor(ch, new ProcFs(proc), System::nanoTime, 1 << 20, true);
        List<ProcessEvent> got = new java.util.ArrayList<>();
        AutoCloseable a = m.subscribe(false, got::add);
        AutoCloseable b = m.subscribe(false, ev -> {});
        a.close();
        assertFalse(ch.closed);
        ch.reads.add(event(1, 0x2, 20, 20));
        m.step();
        assertEquals(1, got.size(), "no events after unsubscribing");
        b.close();
        assertTrue(ch.closed);
        assertTrue(m.isClosed());
        ByteBuffer last = ByteBuffer.wrap(ch.sent.get(ch.sent.size() - 1)).order(ByteOrder.nativeOrder());
        assertEquals(ProcConnectorMonitor.PROC_CN_MCAST_IGNORE, last.getInt(36));
        assertThrows(IllegalStateException.class, () -> m.subscribe(false, ev -> {}));
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
        assertNull(ProcConnectorMonitor.decode(message(Nl.NLMSG_ERROR, 1, 7, 0, 0x2, 60, 60)), "a netlink error");
    }

    @Test
    void listenMessageIsAProcConnectorMcastOp() {
        ByteBuffer b = ByteBuffer.wrap(ProcConnectorMonitor.mcastOp(ProcConnectorMonitor.PROC_CN_MCAST_LISTEN, 77, 0))
                .order(ByteOrder.nativeOrder());
        assertEquals(40, b.getInt(0), "nlmsghdr + cn_msg + the op");
        assertEquals(Nl.NLMSG_DONE, b.getShort(4));
        assertEquals(1, b.getInt(16), "CN_IDX_PROC");
        assertEquals(1, b.getInt(20), "CN_VAL_PROC");
        assertEquals(77, b.getInt(8), "nlmsg_seq");
        assertEquals(77, b.getInt(24), "cn_msg.seq");
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
        try (ProcConnectorMonitor m = ProcConnectorMonitor.open(ProcFs.SYSTEM, ProcessMonitor.Settings.DEFAULT)) {
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
