package org.jkeepalived.vrrp.io.nativeio;

import java.io.IOException;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/** Loads libc once and turns failed calls into IOExceptions carrying errno, as strerror words them. */
final class Native {
    static final LibC C = LibraryLoader.create(LibC.class).load("c");
    static final Runtime RT = Runtime.getRuntime(C);

    // socket families, types, levels and options (Linux, asm-generic values used by x86_64 and aarch64)
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int AF_NETLINK = 16;
    static final int AF_PACKET = 17;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_RCVBUF = 8;
    /** As SO_RCVBUF, past net.core.rmem_max (needs CAP_NET_ADMIN). */
    static final int SO_RCVBUFFORCE = 33;
    static final int SO_BINDTODEVICE = 25;
    static final int IPPROTO_IP = 0;
    static final int IPPROTO_IPV6 = 41;
    static final int IPPROTO_RAW = 255;
    static final int IP_TTL = 2;
    static final int IP_HDRINCL = 3;
    static final int IP_PKTINFO = 8;
    static final int IP_MULTICAST_IF = 32;
    static final int IP_MULTICAST_TTL = 33;
    static final int IP_MULTICAST_LOOP = 34;
    static final int IP_ADD_MEMBERSHIP = 35;
    static final int IPV6_CHECKSUM = 7;
    static final int IPV6_UNICAST_HOPS = 16;
    static final int IPV6_MULTICAST_IF = 17;
    static final int IPV6_MULTICAST_HOPS = 18;
    static final int IPV6_MULTICAST_LOOP = 19;
    static final int IPV6_JOIN_GROUP = 20;
    static final int IPV6_RECVPKTINFO = 49;
    static final int IPV6_PKTINFO = 50;
    static final int IPV6_RECVHOPLIMIT = 51;
    static final int IPV6_HOPLIMIT = 52;
    static final int POLLIN = 1;
    static final int EFD_NONBLOCK = 0x800;
    static final int EFD_CLOEXEC = 0x80000;
    static final int MSG_DONTWAIT = 0x40;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int ENOBUFS = 105;

    private Native() {}

    static int errno() {
        return LastError.getLastError(RT);
    }

    static IOException error(String what) {
        int e = errno();
        return new NativeIoException(what + ": " + C.strerror(e) + " (errno " + e + ")", e);
    }

    static int check(int rc, String what) throws IOException {
        if (rc < 0) {
            throw error(what);
        }
        return rc;
    }

    static void setInt(int fd, int level, int opt, int value, String what) throws IOException {
        check(C.setsockopt(fd, level, opt, Structs.int32(value), 4), "setsockopt " + what);
    }

    /** An IOException with the errno it came from, so callers can tell EEXIST from worse. */
    static final class NativeIoException extends IOException {
        final int errno;

        NativeIoException(String message, int errno) {
            super(message);
            this.errno = errno;
        }
    }
}
