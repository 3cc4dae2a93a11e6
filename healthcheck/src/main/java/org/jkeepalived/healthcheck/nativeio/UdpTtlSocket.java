package org.jkeepalived.healthcheck.nativeio;

import java.io.IOException;
import java.net.InetAddress;

/**
 * A UDP socket that sets the TTL / hop limit of what it sends and reports the TTL / hop limit of what
 * it receives (IP_RECVTTL / IPV6_RECVHOPLIMIT ancillary data): what BFD single hop (RFC 5881) needs and
 * what Netty's datagram channels do not report. Blocking, over libc through jnr-ffi.
 */
public interface UdpTtlSocket extends AutoCloseable {

    /** Opens sockets; tests substitute one that opens them inside a network namespace. */
    @FunctionalInterface
    interface Opener {
        /**
         * @param bind   local address, null for the wildcard of the family
         * @param port   local port; 0 picks a free one in 49152-65535 (RFC 5881 source ports)
         * @param ttl    TTL / hop limit of sent packets
         */
        UdpTtlSocket open(boolean ipv6, InetAddress bind, int port, int ttl) throws IOException;
    }

    Opener SYSTEM = JnrUdpTtlSocket::open;

    int localPort();

    void send(InetAddress to, int port, byte[] data) throws IOException;

    /** Wait up to timeoutMillis for one datagram; null on timeout. */
    Received receive(int timeoutMillis) throws IOException;

    @Override void close();

    /** @param ttl the received TTL / hop limit, -1 if the kernel did not say */
    record Received(InetAddress from, int fromPort, int ttl, byte[] data) {}
}
