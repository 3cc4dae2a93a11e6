package org.jkeepalived.vrrp.io.nativeio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jkeepalived.vrrp.io.ProcFs;
import org.jkeepalived.vrrp.io.ProcessEvent;
import org.jkeepalived.vrrp.io.ProcessMonitor;
import org.jkeepalived.vrrp.io.ProcessSubscribers;
import org.jkeepalived.vrrp.io.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ProcessMonitor} on the kernel's process events connector (NETLINK_CONNECTOR, group
 * CN_IDX_PROC, PROC_CN_MCAST_LISTEN), as keepalived's track_process: exec, fork, exit and comm
 * events of processes (threads are left out), read by one daemon thread. An exec'd process is
 * read from /proc on that thread.
 *
 * <p>When the kernel drops events (ENOBUFS) the receive buffer is doubled (up to
 * {@link #MAX_RCVBUF}) and /proc read again for a new snapshot, at most once a second however
 * often events are lost.
 *
 * <p>Opening needs CAP_NET_ADMIN and the initial user and PID namespaces. Without CAP_NET_ADMIN
 * the kernel answers EPERM; from another namespace it ignores the request without a word, so
 * {@link #open} fails only once {@link #ACK_TIMEOUT_MILLIS} pass without an answer (the caller
 * then polls /proc). That wait is on the caller's thread: the VRRP thread when a reload adds the
 * first vrrp_track_process.
 *
 * <p>When the last listener leaves, the monitor stops listening (PROC_CN_MCAST_IGNORE) and closes,
 * so the kernel no longer sends us every fork, exec and exit; {@link NativeNetIo#processes} opens
 * a new one when needed.
 */
final class ProcConnectorMonitor implements ProcessMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(ProcConnectorMonitor.class);

    static final int CN_IDX_PROC = 1;
    static final int CN_VAL_PROC = 1;
    static final int PROC_CN_MCAST_LISTEN = 1;
    static final int PROC_CN_MCAST_IGNORE = 2;
    static final int PROC_EVENT_NONE = 0;
    static final int PROC_EVENT_FORK = 0x1;
    static final int PROC_EVENT_EXEC = 0x2;
    static final int PROC_EVENT_COMM = 0x200;
    static final int PROC_EVENT_EXIT = 0x80000000;
    /** struct cn_msg: cb_id (idx, val), seq, ack, len, flags. */
    private static final int CN_MSG = 20;
    /** struct proc_event: what, cpu, timestamp_ns, then the event's data. */
    private static final int EVENT_DATA = CN_MSG + 16;

    /** The kernel answers a listen request as it handles it; this only bounds the silent case. */
    static final int ACK_TIMEOUT_MILLIS = 200;
    static final long DEFAULT_RCVBUF = 1 << 20;
    static final long MAX_RCVBUF = 64L << 20;
    private static final long RESYNC_NANOS = 1_000_000_000L;

    /** The socket as the monitor uses it; a fake one in tests. */
    interface Channel {
        void send(byte[] msg) throws IOException;

        /** The kernel's datagrams, waiting up to {@code timeoutMillis} (-1 forever); empty on timeout. */
        List<Nl.Msg> read(int timeoutMillis) throws IOException;

        /** Returns whether SO_RCVBUFFORCE took. */
        boolean setReceiveBuffer(int bytes, boolean force) throws IOException;

        void close();
    }

    private final Channel ch;
    private final ProcFs proc;
    private final LongSupplier clock;
    private final ProcessSubscribers subscribers = new ProcessSubscribers(this::close, this::requestResync);
    private final RateLimitedLog errors = new RateLimitedLog(LOG);
    private final Thread thread;
    private boolean force;
    private long rcvBuf;
    private volatile boolean resyncPending;
    private long lastResync;
    private volatile boolean closed;

    ProcConnectorMonitor(Channel ch, ProcFs proc, LongSupplier clock, long rcvBuf, boolean force) {
        this.ch = ch;
        this.proc = proc;
        this.clock = clock;
        this.rcvBuf = rcvBuf;
        this.force = force;
        this.lastResync = clock.getAsLong() - RESYNC_NANOS;
        this.thread = new Thread(this::run, "vrrp-process-monitor");
        this.thread.setDaemon(true);
    }

    /** Subscribes to the kernel's process events and waits for its acknowledgement. */
    static ProcConnectorMonitor open(ProcFs proc, ProcessMonitor.Settings settings) throws IOException {
        NetlinkSocket s = new NetlinkSocket(NetlinkSocket.NETLINK_CONNECTOR, CN_IDX_PROC);
        Channel ch = new SocketChannel(s);
        long buf = settings.rcvBufs() > 0 ? Math.min(settings.rcvBufs(), Integer.MAX_VALUE) : DEFAULT_RCVBUF;
        boolean force = settings.rcvBufsForce() == null || settings.rcvBufsForce();
        try {
            ch.setReceiveBuffer((int) buf, force);
            listen(ch, java.util.concurrent.ThreadLocalRandom.current().nextInt() | 1, ACK_TIMEOUT_MILLIS);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        ProcConnectorMonitor m = new ProcConnectorMonitor(ch, proc, System::nanoTime, buf, force);
        m.settings = settings;
        m.thread.start();
        return m;
    }

    private ProcessMonitor.Settings settings;

    /** New global_defs (a reload): the configured receive buffer, if it changed. */
    synchronized void apply(ProcessMonitor.Settings s) {
        if (s.equals(settings)) return;
        settings = s;
        long buf = s.rcvBufs() > 0 ? Math.min(s.rcvBufs(), Integer.MAX_VALUE) : DEFAULT_RCVBUF;
        boolean f = s.rcvBufsForce() == null || s.rcvBufsForce();
        try {
            ch.setReceiveBuffer((int) buf, f);
            rcvBuf = buf;
            force = f;
        } catch (IOException e) {
            LOG.warn("process monitor: cannot set the receive buffer to {} bytes: {}", buf, e.getMessage());
        }
    }

    /** nlmsghdr (type NLMSG_DONE) + cn_msg for the proc connector (seq, ack) + enum proc_cn_mcast_op. */
    static byte[] mcastOp(int op, int seq, int ack) {
        return new Nl.Builder(Nl.NLMSG_DONE, 0, seq)
                .u32(CN_IDX_PROC).u32(CN_VAL_PROC).u32(seq).u32(ack).u16(4).u16(0)
                .u32(op).build();
    }

    /**
     * Sends PROC_CN_MCAST_LISTEN with {@code nonce} as its cn_msg ack and waits for the kernel's
     * answer to it; without CONFIG_PROC_EVENTS, or from a non-initial namespace, nothing answers.
     */
    static void listen(Channel ch, int nonce, int timeoutMillis) throws IOException {
        ch.send(mcastOp(PROC_CN_MCAST_LISTEN, NetlinkSocket.nextSeq(), nonce));
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            for (Nl.Msg m : ch.read((int) Math.max(1, left / 1_000_000L))) {
                Integer err = ackError(m, nonce);
                if (err == null) {
                    continue;
                }
                if (err != 0) {
                    throw new Native.NativeIoException("proc connector listen: " + Native.C.strerror(err), err);
                }
                return;
            }
        }
        throw new IOException("proc connector: no answer from the kernel within " + timeoutMillis
                + " ms (not the initial PID/user namespace, or CONFIG_PROC_EVENTS not set?)");
    }

    /**
     * The error number of the kernel's answer to our request sent with cn_msg ack {@code nonce}
     * (0: done), or null for any other message. The kernel multicasts the answer to every listener,
     * as a PROC_EVENT_NONE whose ack is the request's + 1: another process's answer or a netlink
     * error/noop must not pass for ours. Its seq cannot tell: the kernel (6.x seen) overwrites it
     * with its per-CPU event counter, as for every event, so the nonce travels in ack.
     */
    static Integer ackError(Nl.Msg m, int nonce) {
        if (m.type() != Nl.NLMSG_DONE || !fromProcConnector(m) || m.body().length < EVENT_DATA + 4) {
            return null;
        }
        ByteBuffer b = m.buf();
        if (b.getInt(12) != nonce + 1 || b.getInt(CN_MSG) != PROC_EVENT_NONE) {
            return null;
        }
        return b.getInt(EVENT_DATA);
    }

    private static boolean fromProcConnector(Nl.Msg m) {
        if (m.body().length < EVENT_DATA) {
            return false;
        }
        ByteBuffer b = m.buf();
        return b.getInt(0) == CN_IDX_PROC && b.getInt(4) == CN_VAL_PROC;
    }

    /**
     * One connector message as a {@link ProcessEvent} (an Exec without its /proc data yet), or null
     * for anything else: acks, netlink errors, other events, threads (pid ≠ tgid).
     */
    static ProcessEvent decode(Nl.Msg m) {
        if (m.type() != Nl.NLMSG_DONE || !fromProcConnector(m)) {
            return null;
        }
        ByteBuffer b = m.buf();
        int what = b.getInt(CN_MSG);
        int len = m.body().length;
        switch (what) {
            case PROC_EVENT_FORK: {
                if (len < EVENT_DATA + 16) return null;
                int parentTgid = b.getInt(EVENT_DATA + 4);
                int childPid = b.getInt(EVENT_DATA + 8);
                int childTgid = b.getInt(EVENT_DATA + 12);
                return childPid == childTgid ? new ProcessEvent.Fork(parentTgid, childTgid) : null;
            }
            case PROC_EVENT_EXEC:
            case PROC_EVENT_EXIT: {
                if (len < EVENT_DATA + 8) return null;
                int pid = b.getInt(EVENT_DATA);
                int tgid = b.getInt(EVENT_DATA + 4);
                if (pid != tgid) return null;
                return what == PROC_EVENT_EXEC ? new ProcessEvent.Exec(tgid, null) : new ProcessEvent.Exit(tgid);
            }
            case PROC_EVENT_COMM: {
                if (len < EVENT_DATA + 24) return null;
                int pid = b.getInt(EVENT_DATA);
                int tgid = b.getInt(EVENT_DATA + 4);
                if (pid != tgid) return null;
                byte[] comm = Arrays.copyOfRange(m.body(), EVENT_DATA + 8, EVENT_DATA + 24);
                return new ProcessEvent.Comm(tgid, Nl.cString(comm));
            }
            default:
                return null;
        }
    }

    private void run() {
        while (!closed) {
            try {
                step();
            } catch (ClosedChannelException e) {
                return;
            } catch (RuntimeException e) {
                // a bug must not end tracking silently: what was missed is read again from /proc
                errors.warn("process monitor: {} - re-reading /proc", e.toString());
                LOG.debug("process monitor failure", e);
                requestResync();
                pause();
            }
        }
    }

    /** One read from the kernel, or the resync that is due. */
    void step() throws ClosedChannelException {
        int timeout = 1000; // bounded: a resync asked for by another thread is not left waiting for an event
        if (resyncPending) {
            long wait = lastResync + RESYNC_NANOS - clock.getAsLong();
            if (wait <= 0) {
                resync();
                return;
            }
            timeout = (int) Math.max(1, wait / 1_000_000L);
        }
        List<Nl.Msg> msgs;
        try {
            msgs = ch.read(timeout);
        } catch (ClosedChannelException e) {
            throw e;
        } catch (Native.NativeIoException e) {
            if (e.errno == Native.ENOBUFS) {
                lostEvents();
            } else {
                errors.warn("process monitor: {}", e.getMessage());
                pause();
            }
            return;
        } catch (IOException e) {
            errors.warn("process monitor: {}", e.getMessage());
            pause();
            return;
        }
        if (subscribers.isEmpty()) {
            return; // nobody counts: no decoding, no /proc reads
        }
        for (Nl.Msg m : msgs) {
            ProcessEvent ev = decode(m);
            if (ev == null) {
                continue;
            }
            if (ev instanceof ProcessEvent.Exec x) {
                try {
                    ev = new ProcessEvent.Exec(x.pid(), proc.read(x.pid(), subscribers.wantCmdline()));
                } catch (IOException e) {
                    // not known gone: counting it gone could be wrong, so look at everything again
                    errors.warn("process monitor: cannot read process {} ({}) - re-reading /proc", x.pid(), e.toString());
                    requestResync();
                    continue;
                }
            }
            subscribers.deliver(ev);
        }
    }

    /** The kernel dropped events: a bigger buffer, and a new look at /proc (coalesced, see step). */
    private synchronized void lostEvents() {
        if (rcvBuf < MAX_RCVBUF) {
            rcvBuf = Math.min(rcvBuf * 2, MAX_RCVBUF);
            try {
                boolean forced = ch.setReceiveBuffer((int) rcvBuf, force);
                LOG.warn("process monitor: events lost - receive buffer now {} bytes{}; consider global_defs "
                        + "process_monitor_rcv_bufs {}", rcvBuf, forced ? "" : " (capped by net.core.rmem_max)", rcvBuf);
            } catch (IOException e) {
                errors.warn("process monitor: events lost, cannot grow the receive buffer: {}", e.getMessage());
            }
        } else {
            errors.warn("process monitor: events lost - re-reading /proc");
        }
        requestResync();
    }

    private void requestResync() {
        resyncPending = true;
    }

    private void resync() {
        resyncPending = false;
        lastResync = clock.getAsLong();
        if (!subscribers.snapshot(cmdline -> proc.scan(cmdline))) {
            resyncPending = true; // /proc unreadable: try again in a second
        }
    }

    /** The receive buffer now (bytes asked for). */
    long receiveBuffer() {
        return rcvBuf;
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The snapshot is taken under the lock the event thread delivers under, after the subscription to
     * the kernel: an event read meanwhile waits and follows the snapshot (the listener must take a
     * repeated event, such as a fork of a process the snapshot already holds, in its stride).
     */
    @Override
    public AutoCloseable subscribe(boolean cmdline, Consumer<ProcessEvent> listener) {
        if (closed) {
            throw new IllegalStateException("process monitor closed");
        }
        return subscribers.add(cmdline, listener, c -> proc.scan(c));
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        try {
            ch.send(mcastOp(PROC_CN_MCAST_IGNORE, NetlinkSocket.nextSeq(), 0));
        } catch (IOException e) {
            // closing anyway
        }
        ch.close();
    }

    /** The real socket: the kernel's datagrams only. */
    private static final class SocketChannel implements Channel {
        private final NetlinkSocket sock;

        SocketChannel(NetlinkSocket sock) {
            this.sock = sock;
        }

        @Override
        public void send(byte[] msg) throws IOException {
            sock.send(msg);
        }

        @Override
        public List<Nl.Msg> read(int timeoutMillis) throws IOException {
            return sock.readFromKernel(timeoutMillis);
        }

        @Override
        public boolean setReceiveBuffer(int bytes, boolean force) throws IOException {
            return sock.setReceiveBuffer(bytes, force);
        }

        @Override
        public void close() {
            sock.close();
        }
    }
}
