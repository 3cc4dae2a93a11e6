package org.jkeepalived.healthcheck.nativeio;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ThreadLocalRandom;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/** {@link UdpTtlSocket} over libc (Linux, LP64 layouts of msghdr / iovec / cmsghdr). */
final class JnrUdpTtlSocket implements UdpTtlSocket {

    public interface LibC {
        @SaveError int socket(int domain, int type, int protocol);

        @SaveError int bind(int fd, @In byte[] addr, int addrlen);

        @SaveError @ssize_t long sendto(int fd, @In byte[] buf, @size_t long len, int flags, @In byte[] addr, int addrlen);

        @SaveError @ssize_t long recvmsg(int fd, Pointer msg, int flags);

        @SaveError int setsockopt(int fd, int level, int optname, @In byte[] optval, int optlen);

        int close(int fd);

        String strerror(int errnum);
    }

    private static final int AF_INET = 2, AF_INET6 = 10, SOCK_DGRAM = 2, SOL_SOCKET = 1, SO_RCVTIMEO = 20;
    private static final int IPPROTO_IP = 0, IP_TTL = 2, IP_RECVTTL = 12;
    private static final int IPPROTO_IPV6 = 41, IPV6_UNICAST_HOPS = 16, IPV6_V6ONLY = 26, IPV6_RECVHOPLIMIT = 51,
            IPV6_HOPLIMIT = 52;
    private static final int EAGAIN = 11, EINTR = 4, EADDRINUSE = 98, MSG_DONTWAIT = 0x40;


    private final int fd;
    private final boolean v6;
    private final int port;
    private int currentTimeout = -1;
    private volatile boolean closed;
    // recvmsg buffers, used by the one receiving thread
    private Pointer msg, iov, name, control, data;

    private JnrUdpTtlSocket(int fd, boolean v6, int port) {
        this.fd = fd;
        this.v6 = v6;
        this.port = port;
    }

    /** libc, loaded on first use (the holder class initialises once, thread-safely). */
    private static final class Lib {
        static final LibC C = LibraryLoader.create(LibC.class).load("c");
    }

    private static LibC lib() {
        return Lib.C;
    }

    private static int errno() {
        return Runtime.getRuntime(lib()).getLastError();
    }

    private static String err() {
        return lib().strerror(errno());
    }

    static UdpTtlSocket open(boolean ipv6, InetAddress bind, int port, int ttl) throws IOException {
        LibC c = lib();
        int fd = c.socket(ipv6 ? AF_INET6 : AF_INET, SOCK_DGRAM, 0);
        if (fd < 0) throw new IOException("socket: " + err());
        try {
            if (ipv6) {
                opt(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1, "IPV6_V6ONLY");
                opt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, ttl, "IPV6_UNICAST_HOPS");
                opt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1, "IPV6_RECVHOPLIMIT");
            } else {
                opt(fd, IPPROTO_IP, IP_TTL, ttl, "IP_TTL");
                opt(fd, IPPROTO_IP, IP_RECVTTL, 1, "IP_RECVTTL");
            }
            InetAddress local = bind != null ? bind : InetAddress.getByAddress(new byte[ipv6 ? 16 : 4]);
            if (port != 0) {
                byte[] sa = sockaddr(ipv6, local, port);
                if (c.bind(fd, sa, sa.length) != 0) throw new IOException("bind " + local.getHostAddress() + ":" + port + ": " + err());
                return new JnrUdpTtlSocket(fd, ipv6, port);
            }
            int start = ThreadLocalRandom.current().nextInt(49152, 65536);
            for (int i = 0; i < 16384; i++) {
                int p = 49152 + (start - 49152 + i) % 16384;
                byte[] sa = sockaddr(ipv6, local, p);
                if (c.bind(fd, sa, sa.length) == 0) return new JnrUdpTtlSocket(fd, ipv6, p);
                int e = errno();
                if (e != EADDRINUSE) throw new IOException("bind " + local.getHostAddress() + ":" + p + ": " + lib().strerror(e));
            }
            throw new IOException("no free UDP port in 49152-65535 on " + local.getHostAddress());
        } catch (IOException | RuntimeException e) {
            c.close(fd);
            throw e;
        }
    }

    private static void opt(int fd, int level, int name, int value, String what) throws IOException {
        byte[] v = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
        if (lib().setsockopt(fd, level, name, v, 4) != 0) throw new IOException("setsockopt " + what + ": " + err());
    }

    private static byte[] sockaddr(boolean v6, InetAddress a, int port) {
        byte[] addr = a.getAddress();
        ByteBuffer b = ByteBuffer.allocate(v6 ? 28 : 16).order(ByteOrder.nativeOrder());
        b.putShort((short) (v6 ? AF_INET6 : AF_INET));
        b.order(ByteOrder.BIG_ENDIAN).putShort((short) port);
        if (v6) {
            b.putInt(0);
            b.put(addr);
            b.order(ByteOrder.nativeOrder()).putInt(a instanceof Inet6Address i6 ? i6.getScopeId() : 0);
        } else {
            b.put(addr);
        }
        return b.array();
    }

    @Override public int localPort() { return port; }

    @Override public void send(InetAddress to, int toPort, byte[] payload) throws IOException {
        byte[] sa = sockaddr(v6, to, toPort);
        long n = lib().sendto(fd, payload, payload.length, MSG_DONTWAIT, sa, sa.length);
        if (n < 0) throw new IOException("sendto " + to.getHostAddress() + ":" + toPort + ": " + err());
    }

    @Override public Received receive(int timeoutMillis) throws IOException {
        if (closed) throw new IOException("socket closed");
        LibC c = lib();
        if (timeoutMillis != currentTimeout) {
            ByteBuffer tv = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
            tv.putLong(timeoutMillis / 1000).putLong((timeoutMillis % 1000) * 1000L);
            if (c.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv.array(), 16) != 0) throw new IOException("SO_RCVTIMEO: " + err());
            currentTimeout = timeoutMillis;
        }
        Runtime rt = Runtime.getRuntime(c);
        if (msg == null) {
            msg = Memory.allocateDirect(rt, 56, true);
            iov = Memory.allocateDirect(rt, 16, true);
            name = Memory.allocateDirect(rt, 28, true);
            control = Memory.allocateDirect(rt, 128, true);
            data = Memory.allocateDirect(rt, 2048, true);
        }
        iov.putAddress(0, data.address());
        iov.putLong(8, 2048);
        msg.putAddress(0, name.address());
        msg.putInt(8, 28);
        msg.putAddress(16, iov.address());
        msg.putLong(24, 1);
        msg.putAddress(32, control.address());
        msg.putLong(40, 128);
        msg.putInt(48, 0);
        long n = c.recvmsg(fd, msg, 0);
        if (n < 0) {
            int e = errno();
            if (e == EAGAIN || e == EINTR) return null;
            throw new IOException("recvmsg: " + c.strerror(e));
        }
        byte[] payload = new byte[(int) n];
        data.get(0, payload, 0, payload.length);
        InetAddress from;
        int fromPort = ((name.getByte(2) & 0xff) << 8) | (name.getByte(3) & 0xff);
        try {
            byte[] a = new byte[v6 ? 16 : 4];
            name.get(v6 ? 8 : 4, a, 0, a.length);
            from = InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            throw new IOException(e);
        }
        int ttl = -1;
        long controlLen = msg.getLong(40);
        long off = 0;
        while (off + 16 <= controlLen) {
            long len = control.getLong(off);
            if (len < 16) break;
            int level = control.getInt(off + 8), type = control.getInt(off + 12);
            if ((level == IPPROTO_IP && type == IP_TTL) || (level == IPPROTO_IPV6 && type == IPV6_HOPLIMIT)) {
                ttl = control.getInt(off + 16);
            }
            off += (len + 7) & ~7L;
        }
        return new Received(from, fromPort, ttl, payload);
    }

    @Override public void close() {
        if (closed) return;
        closed = true;
        lib().close(fd);
    }
}
