package org.jkeepalived.vrrp.io.nativeio;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A netlink socket, NETLINK_ROUTE unless told otherwise: request/ack and dump exchanges, or (with
 * groups) notifications.
 */
final class NetlinkSocket implements AutoCloseable {
    private static final int NETLINK_ROUTE = 0;
    /** The kernel connector (process events among others). */
    static final int NETLINK_CONNECTOR = 11;
    private static final AtomicInteger SEQ = new AtomicInteger((int) (System.nanoTime() & 0xffff));

    private final PollableFd fd;
    private final byte[] buf = new byte[256 * 1024];

    NetlinkSocket(int groups) throws IOException {
        this(NETLINK_ROUTE, groups);
    }

    NetlinkSocket(int protocol, int groups) throws IOException {
        int s = Native.check(Native.C.socket(Native.AF_NETLINK, Native.SOCK_RAW | Native.SOCK_CLOEXEC, protocol),
                "socket(netlink)");
        byte[] sa = Structs.sockaddrNl(0, groups);
        if (Native.C.bind(s, sa, sa.length) < 0) {
            IOException e = Native.error("bind(netlink)");
            Native.C.close(s);
            throw e;
        }
        try {
            Native.setInt(s, Native.SOL_SOCKET, Native.SO_RCVBUF, 1 << 20, "SO_RCVBUF");
        } catch (IOException | RuntimeException e) {
            Native.C.close(s);
            throw e;
        }
        this.fd = new PollableFd(s);
    }

    /**
     * The receive buffer: with {@code force} SO_RCVBUFFORCE, past net.core.rmem_max, falling back
     * to SO_RCVBUF (capped there) without CAP_NET_ADMIN. Returns whether it was forced.
     */
    boolean setReceiveBuffer(int bytes, boolean force) throws IOException {
        int s = fd.enter();
        try {
            if (force && Native.C.setsockopt(s, Native.SOL_SOCKET, Native.SO_RCVBUFFORCE, Structs.int32(bytes), 4) == 0) {
                return true;
            }
            Native.setInt(s, Native.SOL_SOCKET, Native.SO_RCVBUF, bytes, "SO_RCVBUF");
            return false;
        } finally {
            fd.exit();
        }
    }

    static int nextSeq() {
        return SEQ.incrementAndGet();
    }

    void send(byte[] msg) throws IOException {
        int s = fd.enter();
        try {
            byte[] kernel = Structs.sockaddrNl(0, 0);
            if (Native.C.sendto(s, msg, msg.length, 0, kernel, kernel.length) < 0) {
                throw Native.error("netlink send");
            }
        } finally {
            fd.exit();
        }
    }

    /** Reads one datagram, waiting up to {@code timeoutMillis} (-1 forever); empty on timeout. */
    synchronized List<Nl.Msg> read(int timeoutMillis) throws IOException {
        int s = fd.enter();
        try {
            if (!fd.awaitReadable(timeoutMillis)) {
                return List.of();
            }
            long n = Native.C.recv(s, buf, buf.length, Native.MSG_DONTWAIT);
            if (n < 0) {
                int e = Native.errno();
                if (e == Native.EAGAIN || e == Native.EINTR) {
                    return List.of();
                }
                throw Native.error("netlink recv");
            }
            return Nl.parse(buf, (int) n);
        } finally {
            fd.exit();
        }
    }

    /**
     * As {@link #read}, keeping only datagrams the kernel sent (sender nl_pid 0): a multicast group
     * may also hear from other privileged processes.
     */
    synchronized List<Nl.Msg> readFromKernel(int timeoutMillis) throws IOException {
        int s = fd.enter();
        try {
            if (!fd.awaitReadable(timeoutMillis)) {
                return List.of();
            }
            byte[] from = new byte[12];
            int[] fromLen = {from.length};
            long n = Native.C.recvfrom(s, buf, buf.length, Native.MSG_DONTWAIT, from, fromLen);
            if (n < 0) {
                int e = Native.errno();
                if (e == Native.EAGAIN || e == Native.EINTR) {
                    return List.of();
                }
                throw Native.error("netlink recv");
            }
            if (fromLen[0] < 8 || java.nio.ByteBuffer.wrap(from).order(java.nio.ByteOrder.nativeOrder()).getInt(4) != 0) {
                return List.of();
            }
            return Nl.parse(buf, (int) n);
        } finally {
            fd.exit();
        }
    }

    /** Sends a request with NLM_F_ACK and waits for its ack; returns 0 or the negative errno. */
    synchronized int request(byte[] msg, int seq) throws IOException {
        send(msg);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (Nl.Msg m : read(1000)) {
                if (m.seq() == seq && m.type() == Nl.NLMSG_ERROR) {
                    return m.error();
                }
            }
        }
        throw new IOException("netlink: no answer from the kernel");
    }

    /** Sends a NLM_F_DUMP request and collects its messages up to NLMSG_DONE. */
    synchronized List<Nl.Msg> dump(byte[] msg, int seq) throws IOException {
        send(msg);
        List<Nl.Msg> out = new ArrayList<>();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (Nl.Msg m : read(1000)) {
                if (m.seq() != seq) {
                    continue;
                }
                if (m.type() == Nl.NLMSG_DONE) {
                    return out;
                }
                if (m.type() == Nl.NLMSG_ERROR) {
                    int e = -m.error();
                    throw new Native.NativeIoException("netlink dump: " + Native.C.strerror(e), e);
                }
                out.add(m);
            }
        }
        throw new IOException("netlink: dump did not finish");
    }

    @Override
    public void close() {
        fd.close();
    }

    boolean isClosed() {
        return fd.isClosed();
    }
}
