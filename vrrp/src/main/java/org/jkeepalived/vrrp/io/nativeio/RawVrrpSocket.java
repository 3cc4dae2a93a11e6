package org.jkeepalived.vrrp.io.nativeio;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import org.jkeepalived.vrrp.io.ReceivedPacket;
import org.jkeepalived.vrrp.io.VrrpSocket;
import org.jkeepalived.vrrp.io.VrrpSocketConfig;

/**
 * {@link VrrpSocket} on a raw protocol-112 socket. IPv4 reads return the IP header, which gives
 * TTL and destination; IPv6 reads take the hop limit and destination from ancillary data
 * (IPV6_RECVHOPLIMIT, IPV6_RECVPKTINFO). Sends go through sendmsg with an IP_PKTINFO /
 * IPV6_PKTINFO cmsg so each instance can pick its own source (unicast_src_ip, mcast_src_ip, or the
 * interface's primary address the v3 checksum was computed with).
 *
 * <p>With {@link VrrpSocketConfig#ah()} the socket is for IP protocol 51 (IPsec AH, IPv4): it
 * sends whole datagrams with IP_HDRINCL (the ICV covers the IP header, so the header is ours) and
 * returns whole datagrams from {@link #receive}. Group membership and the device binding are as
 * for protocol 112.
 */
public final class RawVrrpSocket implements VrrpSocket {
    private static final int MAX_PACKET = 65536;
    private static final int MSGHDR = 56;
    private static final int CMSG_HDR = 16;

    private final VrrpSocketConfig config;
    private final int ifindex;
    private final PollableFd fd;
    private final Object sendLock = new Object();
    private final Object recvLock = new Object();
    private final Pointer sendMem; // msghdr | iovec | sockaddr | cmsg | payload
    private final Pointer recvMem; // msghdr | iovec | sockaddr | cmsg | payload
    private final byte[] recvBuf = new byte[MAX_PACKET];

    private RawVrrpSocket(VrrpSocketConfig config, int ifindex, int fd) throws IOException {
        this.config = config;
        this.ifindex = ifindex;
        this.fd = new PollableFd(fd);
        this.sendMem = Memory.allocateDirect(Native.RT, 512 + MAX_PACKET);
        this.recvMem = Memory.allocateDirect(Native.RT, 512 + MAX_PACKET);
    }

    /** Opens, binds to the device, sets TTL / hop limits and loop off, and joins the group. */
    public static RawVrrpSocket open(VrrpSocketConfig config) throws IOException {
        int ifindex = Native.C.if_nametoindex(config.iface());
        if (ifindex <= 0) {
            throw new IOException("interface " + config.iface() + " does not exist");
        }
        int family = config.ipv6() ? Native.AF_INET6 : Native.AF_INET;
        int s = Native.check(Native.C.socket(family, Native.SOCK_RAW | Native.SOCK_CLOEXEC, config.protocol()),
                "socket(raw, " + config.protocol() + ")");
        try {
            byte[] name = (config.iface() + "\0").getBytes(StandardCharsets.US_ASCII);
            Native.check(Native.C.setsockopt(s, Native.SOL_SOCKET, Native.SO_BINDTODEVICE, name, name.length),
                    "setsockopt SO_BINDTODEVICE " + config.iface());
            int ttl = config.ttl();
            if (!config.ipv6()) {
                byte[] mreqn = Structs.ipMreqn((Inet4Address) VrrpSocketConfig.VRRP_GROUP4, ifindex);
                Native.check(Native.C.setsockopt(s, Native.IPPROTO_IP, Native.IP_MULTICAST_IF, mreqn, mreqn.length),
                        "setsockopt IP_MULTICAST_IF");
                Native.setInt(s, Native.IPPROTO_IP, Native.IP_MULTICAST_TTL, ttl, "IP_MULTICAST_TTL");
                Native.setInt(s, Native.IPPROTO_IP, Native.IP_TTL, ttl, "IP_TTL");
                Native.setInt(s, Native.IPPROTO_IP, Native.IP_MULTICAST_LOOP, 0, "IP_MULTICAST_LOOP");
                if (config.ah()) {
                    Native.setInt(s, Native.IPPROTO_IP, Native.IP_HDRINCL, 1, "IP_HDRINCL");
                }
                if (config.multicastGroup() != null) {
                    byte[] join = Structs.ipMreqn((Inet4Address) config.multicastGroup(), ifindex);
                    Native.check(Native.C.setsockopt(s, Native.IPPROTO_IP, Native.IP_ADD_MEMBERSHIP, join, join.length),
                            "setsockopt IP_ADD_MEMBERSHIP " + config.multicastGroup().getHostAddress());
                }
            } else {
                Native.setInt(s, Native.IPPROTO_IPV6, Native.IPV6_MULTICAST_IF, ifindex, "IPV6_MULTICAST_IF");
                Native.setInt(s, Native.IPPROTO_IPV6, Native.IPV6_MULTICAST_HOPS, ttl, "IPV6_MULTICAST_HOPS");
                Native.setInt(s, Native.IPPROTO_IPV6, Native.IPV6_UNICAST_HOPS, ttl, "IPV6_UNICAST_HOPS");
                Native.setInt(s, Native.IPPROTO_IPV6, Native.IPV6_MULTICAST_LOOP, 0, "IPV6_MULTICAST_LOOP");
                Native.setInt(s, Native.IPPROTO_IPV6, Native.IPV6_RECVHOPLIMIT, 1, "IPV6_RECVHOPLIMIT");
                Native.setInt(s, Native.IPPROTO_IPV6, Native.IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO");
                if (config.kernelIpv6Checksum()) {
                    // offset of the checksum inside the VRRP header
                    Native.setInt(s, Native.IPPROTO_IPV6, Native.IPV6_CHECKSUM, 6, "IPV6_CHECKSUM");
                }
                if (config.multicastGroup() != null) {
                    byte[] join = Structs.ipv6Mreq((Inet6Address) config.multicastGroup(), ifindex);
                    Native.check(Native.C.setsockopt(s, Native.IPPROTO_IPV6, Native.IPV6_JOIN_GROUP, join, join.length),
                            "setsockopt IPV6_JOIN_GROUP " + config.multicastGroup().getHostAddress());
                }
            }
            return new RawVrrpSocket(config, ifindex, s);
        } catch (IOException | RuntimeException e) {
            Native.C.close(s);
            throw e;
        }
    }

    @Override
    public VrrpSocketConfig config() {
        return config;
    }

    @Override
    public void send(byte[] vrrp, InetAddress source, InetAddress destination) throws IOException {
        if ((destination instanceof Inet6Address) != config.ipv6()) {
            throw new IllegalArgumentException("destination " + destination + " is not of the socket's family");
        }
        if (vrrp.length > MAX_PACKET - 64) {
            throw new IllegalArgumentException("VRRP message too long: " + vrrp.length);
        }
        int s = fd.enter();
        try {
            synchronized (sendLock) {
                Pointer m = sendMem;
                long base = m.address();
                int iovOff = MSGHDR;
                int nameOff = iovOff + 16;
                int ctlOff = nameOff + 32;
                int dataOff = ctlOff + 64;
                byte[] name;
                int ctlLen = 0;
                if (!config.ipv6()) {
                    name = Structs.sockaddrIn((Inet4Address) destination);
                    if (source != null && !config.ah()) {
                        // struct in_pktinfo { int ipi_ifindex; in_addr ipi_spec_dst; in_addr ipi_addr; }
                        ctlLen = cmsg(m, ctlOff, Native.IPPROTO_IP, Native.IP_PKTINFO, 12);
                        m.putInt(ctlOff + CMSG_HDR, ifindex);
                        m.put(ctlOff + CMSG_HDR + 4, ((Inet4Address) source).getAddress(), 0, 4);
                        m.putInt(ctlOff + CMSG_HDR + 8, 0);
                    }
                } else {
                    name = Structs.sockaddrIn6((Inet6Address) destination, ifindex);
                    // struct in6_pktinfo { in6_addr ipi6_addr; int ipi6_ifindex; }
                    ctlLen = cmsg(m, ctlOff, Native.IPPROTO_IPV6, Native.IPV6_PKTINFO, 20);
                    byte[] src = source == null ? new byte[16] : ((Inet6Address) source).getAddress();
                    m.put(ctlOff + CMSG_HDR, src, 0, 16);
                    m.putInt(ctlOff + CMSG_HDR + 16, ifindex);
                }
                m.put(nameOff, name, 0, name.length);
                m.put(dataOff, vrrp, 0, vrrp.length);
                m.putAddress(iovOff, base + dataOff);
                m.putLong(iovOff + 8, vrrp.length);
                m.putAddress(0, base + nameOff);
                m.putInt(8, name.length);
                m.putInt(12, 0);
                m.putAddress(16, base + iovOff);
                m.putLong(24, 1);
                m.putAddress(32, ctlLen == 0 ? 0 : base + ctlOff);
                m.putLong(40, ctlLen);
                m.putInt(48, 0);
                m.putInt(52, 0);
                long n = Native.C.sendmsg(s, m, 0);
                if (n < 0) {
                    throw Native.error("sendmsg to " + destination.getHostAddress() + " on " + config.iface());
                }
            }
        } finally {
            fd.exit();
        }
    }

    /** Writes a cmsghdr at {@code off}; returns CMSG_SPACE(len). */
    private static int cmsg(Pointer m, int off, int level, int type, int len) {
        m.putLong(off, CMSG_HDR + len);
        m.putInt(off + 8, level);
        m.putInt(off + 12, type);
        int space = CMSG_HDR + ((len + 7) & ~7);
        for (int i = CMSG_HDR + len; i < space; i++) {
            m.putByte(off + i, (byte) 0);
        }
        return space;
    }

    @Override
    public ReceivedPacket receive(Duration timeout) throws IOException {
        int s = fd.enter();
        try {
            long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
            synchronized (recvLock) {
                while (true) {
                    int waitMs;
                    if (timeout == null) {
                        waitMs = -1;
                    } else {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            return null;
                        }
                        // round up so we never spin on a sub-millisecond remainder
                        waitMs = (int) Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000);
                    }
                    if (!fd.awaitReadable(waitMs)) {
                        continue;
                    }
                    ReceivedPacket p = config.ipv6() ? read6(s) : read4(s);
                    if (p != null) {
                        return p;
                    }
                }
            }
        } finally {
            fd.exit();
        }
    }

    private ReceivedPacket read4(int s) throws IOException {
        byte[] buf = recvBuf; // guarded by recvLock; the VRRP part is copied out
        long n = Native.C.recv(s, buf, buf.length, Native.MSG_DONTWAIT);
        long now = System.nanoTime();
        if (n < 0) {
            int e = Native.errno();
            if (e == Native.EAGAIN || e == Native.EINTR) {
                return null;
            }
            throw Native.error("recv on " + config.iface());
        }
        Ipv4Header h = Ipv4Header.parse(buf, (int) n);
        if (h == null) {
            return null; // not even an IP header: nothing the codec could count
        }
        if (config.ah()) {
            // the ICV covers the IP header: hand over the whole datagram
            byte[] whole = new byte[h.headerLength() + h.payloadLength()];
            System.arraycopy(buf, 0, whole, 0, whole.length);
            return new ReceivedPacket(h.source(), h.destination(), h.ttl(), ifindex, whole, now);
        }
        byte[] vrrp = new byte[h.payloadLength()];
        System.arraycopy(buf, h.headerLength(), vrrp, 0, vrrp.length);
        return new ReceivedPacket(h.source(), h.destination(), h.ttl(), ifindex, vrrp, now);
    }

    private ReceivedPacket read6(int s) throws IOException {
        Pointer m = recvMem;
        long base = m.address();
        int iovOff = MSGHDR;
        int nameOff = iovOff + 16;
        int ctlOff = nameOff + 32;
        int ctlCap = 256;
        int dataOff = ctlOff + ctlCap;
        m.putAddress(iovOff, base + dataOff);
        m.putLong(iovOff + 8, MAX_PACKET);
        m.putAddress(0, base + nameOff);
        m.putInt(8, 28);
        m.putInt(12, 0);
        m.putAddress(16, base + iovOff);
        m.putLong(24, 1);
        m.putAddress(32, base + ctlOff);
        m.putLong(40, ctlCap);
        m.putInt(48, 0);
        long n = Native.C.recvmsg(s, m, Native.MSG_DONTWAIT);
        long now = System.nanoTime();
        if (n < 0) {
            int e = Native.errno();
            if (e == Native.EAGAIN || e == Native.EINTR) {
                return null;
            }
            throw Native.error("recvmsg on " + config.iface());
        }
        byte[] sa = new byte[28];
        m.get(nameOff, sa, 0, 28);
        InetAddress src = Structs.inet(sa, 8, 16);
        int hops = -1;
        InetAddress dst = null;
        int inIf = ifindex;
        long ctlLen = m.getLong(40);
        int off = 0;
        while (off + CMSG_HDR <= ctlLen) {
            long len = m.getLong(ctlOff + off);
            int level = m.getInt(ctlOff + off + 8);
            int type = m.getInt(ctlOff + off + 12);
            if (len < CMSG_HDR) {
                break;
            }
            if (level == Native.IPPROTO_IPV6 && type == Native.IPV6_HOPLIMIT) {
                hops = m.getInt(ctlOff + off + CMSG_HDR);
            } else if (level == Native.IPPROTO_IPV6 && type == Native.IPV6_PKTINFO) {
                byte[] pi = new byte[20];
                m.get(ctlOff + off + CMSG_HDR, pi, 0, 20);
                dst = Structs.inet(pi, 0, 16);
                inIf = java.nio.ByteBuffer.wrap(pi, 16, 4).order(java.nio.ByteOrder.nativeOrder()).getInt();
            }
            off += (int) ((len + 7) & ~7L);
        }
        byte[] vrrp = new byte[(int) n];
        m.get(dataOff, vrrp, 0, vrrp.length);
        return new ReceivedPacket(src, dst, hops, inIf, vrrp, now);
    }

    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return "RawVrrpSocket[" + config.iface() + (config.ipv6() ? ",ipv6" : ",ipv4") + (config.ah() ? ",ah" : "") + "]";
    }
}
