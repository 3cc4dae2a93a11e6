package org.jkeepalived.vrrp.io.nativeio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jkeepalived.vrrp.io.ProcFs;
import org.jkeepalived.vrrp.io.ProcessEvent;
import org.jkeepalived.vrrp.io.ProcessMonitor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ProcessMonitor} on the kernel's process events connector (NETLINK_CONNECTOR, group
 * CN_IDX_PROC, PROC_CN_MCAST_LISTEN), as keepalived's track_process: exec, fork, exit and comm
 * events of processes (threads are left out), read by one daemon thread. An exec'd process is
 * read from /proc on that thread. When the kernel drops events (ENOBUFS) /proc is read again and
 * the listeners get a new snapshot. Opening needs CAP_NET_ADMIN in the initial user and network
 * namespaces; {@link #open} fails otherwise.
 */
public final class ProcConnectorMonitor implements ProcessMonitor {
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

    private final NetlinkSocket sock;
    private final ProcFs proc;
    private final Object lock = new Object();
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final Thread thread;

    private record Subscriber(boolean cmdline, Consumer<ProcessEvent> listener) {}

    private ProcConnectorMonitor(NetlinkSocket sock, ProcFs proc) {
        this.sock = sock;
        this.proc = proc;
        this.thread = new Thread(this::run, "vrrp-process-monitor");
        this.thread.setDaemon(true);
    }

    /** Subscribes to the kernel's process events and waits for its acknowledgement (up to a second). */
    public static ProcConnectorMonitor open(ProcFs proc) throws IOException {
        NetlinkSocket s = new NetlinkSocket(NetlinkSocket.NETLINK_CONNECTOR, CN_IDX_PROC);
        try {
            s.send(mcastOp(PROC_CN_MCAST_LISTEN));
            awaitAck(s);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        ProcConnectorMonitor m = new ProcConnectorMonitor(s, proc);
        m.thread.start();
        return m;
    }

    /** nlmsghdr (type NLMSG_DONE) + cn_msg for the proc connector + enum proc_cn_mcast_op. */
    static byte[] mcastOp(int op) {
        return new Nl.Builder(Nl.NLMSG_DONE, 0, NetlinkSocket.nextSeq())
                .u32(CN_IDX_PROC).u32(CN_VAL_PROC).u32(0).u32(0).u16(4).u16(0)
                .u32(op).build();
    }

    /**
     * The kernel answers a listen request with a PROC_EVENT_NONE carrying an error number; without
     * CONFIG_PROC_EVENTS nothing answers at all.
     */
    private static void awaitAck(NetlinkSocket s) throws IOException {
        long deadline = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (Nl.Msg m : s.read(200)) {
                ByteBuffer b = m.buf();
                if (!fromProcConnector(m) || m.body().length < EVENT_DATA + 4 || b.getInt(CN_MSG) != PROC_EVENT_NONE) {
                    continue;
                }
                int err = b.getInt(EVENT_DATA);
                if (err != 0) {
                    throw new Native.NativeIoException("proc connector listen: " + Native.C.strerror(err), err);
                }
                return;
            }
        }
        throw new IOException("proc connector: no answer from the kernel (CONFIG_PROC_EVENTS not set?)");
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
     * for anything else: acks, other events, threads (pid ≠ tgid).
     */
    static ProcessEvent decode(Nl.Msg m) {
        if (!fromProcConnector(m)) {
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
        while (true) {
            List<Nl.Msg> msgs;
            try {
                msgs = sock.read(-1);
            } catch (ClosedChannelException e) {
                return;
            } catch (Native.NativeIoException e) {
                if (e.errno == Native.ENOBUFS) {
                    // the kernel dropped events: only a new look at /proc tells what we missed
                    LOG.warn("process monitor: events lost - re-reading /proc");
                    resnapshot();
                } else {
                    LOG.warn("process monitor: {}", e.getMessage());
                    pause();
                }
                continue;
            } catch (IOException e) {
                LOG.warn("process monitor: {}", e.getMessage());
                pause();
                continue;
            }
            for (Nl.Msg m : msgs) {
                ProcessEvent ev = decode(m);
                if (ev == null) {
                    continue;
                }
                if (ev instanceof ProcessEvent.Exec x) {
                    ev = new ProcessEvent.Exec(x.pid(), proc.read(x.pid(), wantCmdline()));
                }
                synchronized (lock) {
                    for (Subscriber s : subscribers) {
                        deliver(s, ev);
                    }
                }
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean wantCmdline() {
        for (Subscriber s : subscribers) {
            if (s.cmdline()) return true;
        }
        return false;
    }

    private void resnapshot() {
        synchronized (lock) {
            if (subscribers.isEmpty()) return;
            ProcessEvent.Snapshot snap = new ProcessEvent.Snapshot(proc.scan(wantCmdline()));
            for (Subscriber s : subscribers) {
                deliver(s, snap);
            }
        }
    }

    private static void deliver(Subscriber s, ProcessEvent e) {
        try {
            s.listener().accept(e);
        } catch (RuntimeException ex) {
            LOG.warn("process listener failed on {}", e, ex);
        }
    }

    /**
     * The snapshot is taken under the lock the event thread delivers under, after the subscription to
     * the kernel: an event read meanwhile waits and follows the snapshot (the listener must take a
     * repeated event, such as a fork of a process the snapshot already holds, in its stride).
     */
    @Override
    public AutoCloseable subscribe(boolean cmdline, Consumer<ProcessEvent> listener) {
        Subscriber sub = new Subscriber(cmdline, listener);
        synchronized (lock) {
            deliver(sub, new ProcessEvent.Snapshot(proc.scan(cmdline)));
            subscribers.add(sub);
        }
        return () -> subscribers.remove(sub);
    }

    @Override
    public boolean kernelEvents() {
        return true;
    }

    @Override
    public void close() {
        if (sock.isClosed()) return;
        try {
            sock.send(mcastOp(PROC_CN_MCAST_IGNORE));
        } catch (IOException e) {
            // closing anyway
        }
        sock.close();
    }
}
