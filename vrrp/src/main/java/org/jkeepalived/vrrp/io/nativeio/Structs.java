package org.jkeepalived.vrrp.io.nativeio;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** C structs laid out by hand. Host order is the machine's; ports and IPs are network order. */
final class Structs {
    private Structs() {}

    static byte[] int32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }

    /** struct sockaddr_in (16 bytes). */
    static byte[] sockaddrIn(Inet4Address a) {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
        b.putShort((short) Native.AF_INET);
        b.putShort((short) 0);
        b.put(a.getAddress());
        return b.array();
    }

    /** struct sockaddr_in6 (28 bytes); scope id is the interface index for link-local peers. */
    static byte[] sockaddrIn6(Inet6Address a, int scopeId) {
        ByteBuffer b = ByteBuffer.allocate(28).order(ByteOrder.nativeOrder());
        b.putShort((short) Native.AF_INET6);
        b.putShort((short) 0);
        b.putInt(0);
        b.put(a.getAddress());
        b.putInt(scopeId);
        return b.array();
    }

    /** struct sockaddr_nl (12 bytes). */
    static byte[] sockaddrNl(int pid, int groups) {
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder());
        b.putShort((short) Native.AF_NETLINK);
        b.putShort((short) 0);
        b.putInt(pid);
        b.putInt(groups);
        return b.array();
    }

    /** struct sockaddr_ll (20 bytes). */
    static byte[] sockaddrLl(int protocol, int ifindex, byte[] mac) {
        ByteBuffer b = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder());
        b.putShort((short) Native.AF_PACKET);
        b.order(ByteOrder.BIG_ENDIAN).putShort((short) protocol).order(ByteOrder.nativeOrder());
        b.putInt(ifindex);
        b.putShort((short) 1); // ARPHRD_ETHER
        b.put((byte) 0);
        b.put((byte) mac.length);
        b.put(mac);
        return b.array();
    }

    /** struct ip_mreqn: multiaddr, address (any), ifindex. */
    static byte[] ipMreqn(Inet4Address group, int ifindex) {
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder());
        b.put(group.getAddress());
        b.putInt(0);
        b.putInt(ifindex);
        return b.array();
    }

    /** struct ipv6_mreq: multiaddr, ifindex. */
    static byte[] ipv6Mreq(Inet6Address group, int ifindex) {
        ByteBuffer b = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder());
        b.put(group.getAddress());
        b.putInt(ifindex);
        return b.array();
    }

    static InetAddress inet(byte[] raw, int off, int len) {
        byte[] a = new byte[len];
        System.arraycopy(raw, off, a, 0, len);
        try {
            return InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
