package org.jkeepalived.daemon.nativeio;

import java.nio.charset.StandardCharsets;
import jnr.ffi.LibraryLoader;

/**
 * Sends datagrams to an AF_UNIX SOCK_DGRAM socket such as /dev/log (Java has only stream unix
 * sockets). Not thread-safe by itself; the syslog appender serialises calls.
 */
public final class UnixDatagramSender implements AutoCloseable {
    public interface LibC {
        int socket(int domain, int type, int protocol);

        long sendto(int fd, byte[] buf, long len, int flags, byte[] addr, int addrlen);

        int close(int fd);
    }

    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static volatile LibC libc;

    private final int fd;
    private final byte[] addr;

    public UnixDatagramSender(String path) {
        if (libc == null) libc = LibraryLoader.create(LibC.class).load("c");
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        if (p.length > 107) throw new IllegalArgumentException("unix socket path too long: " + path);
        addr = new byte[2 + p.length + 1];
        addr[0] = (byte) AF_UNIX; // sa_family_t, little-endian on the platforms we run on
        System.arraycopy(p, 0, addr, 2, p.length);
        fd = libc.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) throw new IllegalStateException("socket(AF_UNIX, SOCK_DGRAM) failed");
    }

    /** @return true when the datagram was accepted by the receiver */
    public boolean send(byte[] datagram) {
        return libc.sendto(fd, datagram, datagram.length, 0, addr, addr.length) >= 0;
    }

    @Override public void close() {
        libc.close(fd);
    }
}
