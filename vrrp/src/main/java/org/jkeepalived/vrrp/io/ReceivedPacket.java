package org.jkeepalived.vrrp.io;

import java.net.InetAddress;

/**
 * One packet read from a {@link VrrpSocket}.
 *
 * @param source      IP source address
 * @param destination IP destination (the group, or our address for unicast); null if unknown
 * @param ttl         IPv4 TTL or IPv6 hop limit as received (RFC 5798: must be 255)
 * @param ifindex     receiving interface index (0 if unknown)
 * @param vrrp        the VRRP message: from the VRRP header to the end of the IP payload; on an
 *                    IPsec AH socket the whole IPv4 datagram (IP header, AH, VRRP), because the
 *                    ICV covers the IP header
 * @param receivedNanos {@link System#nanoTime()} when the packet was read
 */
public record ReceivedPacket(InetAddress source, InetAddress destination, int ttl, int ifindex,
                             byte[] vrrp, long receivedNanos) {
}
