package org.jkeepalived.vrrp.io.nativeio;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The few libc calls Java lacks for VRRP: raw IP, netlink and AF_PACKET sockets. Byte arrays carry
 * the C structs, laid out by hand in {@link Structs} (Linux LP64: x86_64 and aarch64 agree).
 */
public interface LibC {
    int socket(int domain, int type, int protocol);

    int setsockopt(int fd, int level, int optname, @In byte[] optval, int optlen);

    int bind(int fd, @In byte[] addr, int addrlen);

    @ssize_t long sendto(int fd, @In byte[] buf, @size_t long len, int flags, @In byte[] addr, int addrlen);

    @ssize_t long sendmsg(int fd, Pointer msg, int flags);

    @ssize_t long recvmsg(int fd, Pointer msg, int flags);

    @ssize_t long recv(int fd, @Out byte[] buf, @size_t long len, int flags);

    @ssize_t long recvfrom(int fd, @Out byte[] buf, @size_t long len, int flags, @Out byte[] addr, @In @Out int[] addrlen);

    int poll(@In @Out byte[] fds, long nfds, int timeoutMillis);

    int close(int fd);

    int eventfd(int initval, int flags);

    @ssize_t long write(int fd, @In byte[] buf, @size_t long n);

    @ssize_t long read(int fd, @Out byte[] buf, @size_t long n);

    int if_nametoindex(String name);

    String strerror(int errnum);

    int gettid();

    int setpriority(int which, int who, int prio);

    /** {@code param}: struct sched_param, one int (the real-time priority). */
    int sched_setscheduler(int pid, int policy, @In int[] param);
}
