package org.jkeepalived.healthcheck.nativeio;

import java.io.IOException;
import java.net.InetAddress;

/**
 * An ICMP (or ICMPv6) echo socket: an unprivileged datagram ICMP socket when the kernel allows it
 * (net.ipv4.ping_group_range), else a raw socket (root / CAP_NET_RAW). The only native I/O of the
 * healthcheck module.
 */
public interface IcmpSocket extends AutoCloseable {

    /** True for a SOCK_DGRAM ICMP socket: the kernel owns the echo identifier. */
    boolean datagram();

    boolean ipv6();

    /** Send one ICMP message (header included; the checksum is filled in here for IPv4). */
    void send(InetAddress to, byte[] icmp) throws IOException;

    /** Wait up to timeoutMillis for one ICMP message; null on timeout. IP header removed. */
    Received receive(int timeoutMillis) throws IOException;

    @Override void close();

    record Received(InetAddress from, byte[] icmp) {}

    /** Open the best socket this process may have for the family. */
    static IcmpSocket open(boolean ipv6) throws IOException {
        return JnrIcmpSocket.open(ipv6);
    }

    /** The Internet checksum (RFC 1071). */
    static int checksum(byte[] b, int off, int len) {
        long sum = 0;
        int i = off;
        for (; i + 1 < off + len; i += 2) sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        if (i < off + len) sum += (b[i] & 0xff) << 8;
        while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
        return (int) (~sum & 0xffff);
    }
}
