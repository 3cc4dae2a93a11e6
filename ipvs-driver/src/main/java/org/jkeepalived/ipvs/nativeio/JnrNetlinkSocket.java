package org.jkeepalived.ipvs.nativeio;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/** The netlink socket over libc through jnr-ffi. One instance is not safe for concurrent use. */
final class JnrNetlinkSocket implements NetlinkSocket {
    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_SNDBUF = 7;
    private static final int SO_RCVBUF = 8;
    private static final int SO_RCVTIMEO = 20;
    private static final int SO_SNDBUFFORCE = 32;
    private static final int SO_RCVBUFFORCE = 33;
    private static final int SOL_NETLINK = 270;
    private static final int NETLINK_CAP_ACK = 10;
    private static final int NETLINK_EXT_ACK = 11;
    private static final int EINTR = 4;
    private static final int BUFFER = 1 << 20;

    public interface LibC {
        @SaveError int socket(int domain, int type, int protocol);
        @SaveError int bind(int fd, @In Pointer addr, int len);
        @SaveError int setsockopt(int fd, int level, int name, @In Pointer value, int len);
        @SaveError @ssize_t long send(int fd, @In Pointer buf, @size_t long len, int flags);
        @SaveError @ssize_t long recv(int fd, @Out Pointer buf, @size_t long len, int flags);
        int close(int fd);
        String strerror(int errnum);
    }

    private static volatile LibC libc;
    private static volatile Runtime runtime;

    private final int fd;
    private final Pointer sendBuf;
    private final Pointer recvBuf;
    private volatile boolean closed;

    private JnrNetlinkSocket(int fd) {
        this.fd = fd;
        this.sendBuf = Memory.allocateDirect(runtime, BUFFER);
        this.recvBuf = Memory.allocateDirect(runtime, BUFFER);
    }

    private static LibC lib() {
        if (libc == null) {
            synchronized (JnrNetlinkSocket.class) {
                if (libc == null) {
                    LibC l = LibraryLoader.create(LibC.class).load("c");
                    runtime = Runtime.getRuntime(l);
                    libc = l;
                }
            }
        }
        return libc;
    }

    static JnrNetlinkSocket open(int protocol) throws NetlinkIoException {
        LibC c = lib();
        int fd = c.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
        if (fd < 0) throw error("socket(AF_NETLINK)");
        JnrNetlinkSocket s = new JnrNetlinkSocket(fd);
        try {
            Pointer addr = Memory.allocateDirect(runtime, 12);
            addr.putShort(0, (short) AF_NETLINK); // nl_family; nl_pid 0 = kernel picks; nl_groups 0
            addr.putShort(2, (short) 0);
            addr.putInt(4, 0);
            addr.putInt(8, 0);
            if (c.bind(fd, addr, 12) < 0) throw error("bind(AF_NETLINK)");
            // room for many ACK/error datagrams of one batch; FORCE works as root, plain as a fallback
            if (!s.setInt(SOL_SOCKET, SO_RCVBUFFORCE, 8 << 20)) s.setInt(SOL_SOCKET, SO_RCVBUF, 8 << 20);
            if (!s.setInt(SOL_SOCKET, SO_SNDBUFFORCE, 4 << 20)) s.setInt(SOL_SOCKET, SO_SNDBUF, 4 << 20);
            s.setInt(SOL_NETLINK, NETLINK_CAP_ACK, 1);   // errors without the echoed request
            s.setInt(SOL_NETLINK, NETLINK_EXT_ACK, 1);   // the kernel's own error text, when it has one
            Pointer tv = Memory.allocateDirect(runtime, 16);
            tv.putLong(0, 10);  // a kernel that never answers must not hang the daemon
            tv.putLong(8, 0);
            c.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv, 16);
            return s;
        } catch (NetlinkIoException e) {
            s.close();
            throw e;
        }
    }

    private boolean setInt(int level, int name, int value) {
        Pointer p = Memory.allocateDirect(runtime, 4);
        p.putInt(0, value);
        return libc.setsockopt(fd, level, name, p, 4) == 0;
    }

    @Override public void send(byte[] data, int len) throws NetlinkIoException {
        if (len > BUFFER) throw new NetlinkIoException("netlink request of " + len + " bytes exceeds the send buffer", 90);
        sendBuf.put(0, data, 0, len);
        while (true) {
            long n = libc.send(fd, sendBuf, len, 0);
            if (n >= 0) return;
            int errno = runtime.getLastError();
            if (errno != EINTR) throw new NetlinkIoException("send(netlink): " + libc.strerror(errno), errno);
        }
    }

    @Override public int receive(byte[] into) throws NetlinkIoException {
        int cap = Math.min(into.length, BUFFER);
        while (true) {
            long n = libc.recv(fd, recvBuf, cap, 0);
            if (n >= 0) {
                recvBuf.get(0, into, 0, (int) n);
                return (int) n;
            }
            int errno = runtime.getLastError();
            if (errno != EINTR) throw new NetlinkIoException("recv(netlink): " + libc.strerror(errno), errno);
        }
    }

    @Override public void close() {
        if (!closed) {
            closed = true;
            libc.close(fd);
        }
    }

    private static NetlinkIoException error(String what) {
        int errno = runtime.getLastError();
        return new NetlinkIoException(what + ": " + libc.strerror(errno), errno);
    }
}
