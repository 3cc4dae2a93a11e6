package org.jkeepalived.vrrp.io;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;

/**
 * A raw IP protocol-112 socket on one interface and one address family: what a VRRP instance sends
 * and receives adverts through. Several instances on the same interface may share one socket and
 * tell their packets apart by VRID.
 */
public interface VrrpSocket extends Closeable {
    /** IP protocol number of VRRP. */
    int IPPROTO_VRRP = 112;

    /**
     * Sends one VRRP message (VRRP header onwards; the kernel builds the IP header with TTL / hop
     * limit 255) from {@code source} (null: the kernel picks the interface's address) to
     * {@code destination}, which is the multicast group or a unicast peer. On an AH socket
     * ({@link VrrpSocketConfig#ah()}) {@code vrrp} is the whole IPv4 datagram, header included
     * (IP_HDRINCL: the ICV covers the header, so the kernel must not choose its fields).
     */
    void send(byte[] vrrp, InetAddress source, InetAddress destination) throws IOException;

    /**
     * Waits up to {@code timeout} for one packet (null timeout = until one arrives) and returns it,
     * or null when the time passes. Blocks in poll(2): no CPU while idle. Throws
     * {@link java.nio.channels.ClosedChannelException} once the socket is closed, including when
     * {@link #close()} is called while this thread waits.
     */
    ReceivedPacket receive(Duration timeout) throws IOException;

    /** The configuration the socket was opened with. */
    VrrpSocketConfig config();

    /** Idempotent; wakes a thread blocked in {@link #receive}. */
    @Override
    void close();
}
