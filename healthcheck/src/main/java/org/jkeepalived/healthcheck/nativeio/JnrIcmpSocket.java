package org.jkeepalived.healthcheck.nativeio;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/** {@link IcmpSocket} over libc through jnr-ffi (Linux). */
final class JnrIcmpSocket implements IcmpSocket {

    public interface LibC {
        @SaveError int socket(int domain, int type, int protocol);

        @SaveError @ssize_t long sendto(int fd, @In byte[] buf, @size_t long len, int flags, @In byte[] addr, int addrlen);

        @SaveError @ssize_t long recvfrom(int fd, @Out byte[] buf, @size_t long len, int flags, @Out byte[] addr,
                                          @In @Out int[] addrlen);

        @SaveError int setsockopt(int fd, int level, int optname, @In byte[] optval, int optlen);

        int close(int fd);

        String strerror(int errnum);
    }

    private static final int AF_INET = 2, AF_INET6 = 10, SOCK_DGRAM = 2, SOCK_RAW = 3;
    private static final int IPPROTO_ICMP = 1, IPPROTO_ICMPV6 = 58, SOL_SOCKET = 1, SO_RCVTIMEO = 20;
    private static final int EAGAIN = 11, EINTR = 4, MSG_DONTWAIT = 0x40;


    private final int fd;
    private final boolean dgram;
    private final boolean v6;
    private int currentTimeout = -1;
    private volatile boolean closed;

    private JnrIcmpSocket(int fd, boolean dgram, boolean v6) {
        this.fd = fd;
        this.dgram = dgram;
        this.v6 = v6;
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

    static IcmpSocket open(boolean ipv6) throws IOException {
        LibC c = lib();
        int domain = ipv6 ? AF_INET6 : AF_INET, proto = ipv6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
        int fd = c.socket(domain, SOCK_DGRAM, proto);
        if (fd >= 0) return new JnrIcmpSocket(fd, true, ipv6);
        int e1 = errno();
        fd = c.socket(domain, SOCK_RAW, proto);
        if (fd >= 0) return new JnrIcmpSocket(fd, false, ipv6);
        int e2 = errno();
        throw new IOException("cannot open an ICMP socket: datagram: " + c.strerror(e1) + "; raw: " + c.strerror(e2));
    }

    @Override public boolean datagram() { return dgram; }

    @Override public boolean ipv6() { return v6; }

    @Override public void send(InetAddress to, byte[] icmp) throws IOException {
        if (!v6) {
            icmp[2] = 0;
            icmp[3] = 0;
            int sum = IcmpSocket.checksum(icmp, 0, icmp.length);
            icmp[2] = (byte) (sum >> 8);
            icmp[3] = (byte) sum;
        }
        byte[] sa = sockaddr(to);
        // MSG_DONTWAIT: a full socket buffer fails this echo instead of blocking the caller's loop
        long n = lib().sendto(fd, icmp, icmp.length, MSG_DONTWAIT, sa, sa.length);
        if (n < 0) throw new IOException("sendto " + to.getHostAddress() + ": " + lib().strerror(errno()));
    }

    private byte[] sockaddr(InetAddress a) {
        byte[] addr = a.getAddress();
        ByteBuffer b = ByteBuffer.allocate(v6 ? 28 : 16).order(ByteOrder.nativeOrder());
        b.putShort((short) (v6 ? AF_INET6 : AF_INET));
        b.order(ByteOrder.BIG_ENDIAN).putShort((short) 0);
        if (v6) {
            b.putInt(0);
            b.put(addr);
            b.order(ByteOrder.nativeOrder()).putInt(a instanceof Inet6Address i6 ? i6.getScopeId() : 0);
        } else {
            b.put(addr);
        }
        return b.array();
    }

    @Override public Received receive(int timeoutMillis) throws IOException {
        if (closed) throw new IOException("socket closed");
        if (timeoutMillis != currentTimeout) {
            ByteBuffer tv = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
            tv.putLong(timeoutMillis / 1000).putLong((timeoutMillis % 1000) * 1000L);
            if (lib().setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv.array(), 16) != 0) {
                throw new IOException("setsockopt SO_RCVTIMEO: " + lib().strerror(errno()));
            }
            currentTimeout = timeoutMillis;
        }
        byte[] buf = new byte[2048];
        byte[] sa = new byte[28];
        int[] salen = {28};
        long n = lib().recvfrom(fd, buf, buf.length, 0, sa, salen);
        if (n < 0) {
            int e = errno();
            if (e == EAGAIN || e == EINTR) return null;
            throw new IOException("recvfrom: " + lib().strerror(e));
        }
        InetAddress from;
        try {
            byte[] a = new byte[v6 ? 16 : 4];
            System.arraycopy(sa, v6 ? 8 : 4, a, 0, a.length);
            from = InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            throw new IOException(e);
        }
        int off = 0;
        if (!v6 && !dgram && n > 0) off = (buf[0] & 0x0f) * 4; // raw IPv4 sockets deliver the IP header
        if (off > n) return null;
        byte[] icmp = new byte[(int) n - off];
        System.arraycopy(buf, off, icmp, 0, icmp.length);
        return new Received(from, icmp);
    }

    @Override public void close() {
        if (closed) return;
        closed = true;
        lib().close(fd);
    }
}
