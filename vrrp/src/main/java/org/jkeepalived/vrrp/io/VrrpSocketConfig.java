package org.jkeepalived.vrrp.io;

import java.net.InetAddress;
import java.util.Objects;

/**
 * How to open a {@link VrrpSocket}.
 *
 * @param iface            interface the socket is bound to (SO_BINDTODEVICE) and joins the group on
 * @param ipv6             address family
 * @param multicastGroup   group to join and send adverts to (224.0.0.18 / ff02::12), or null for
 *                         unicast-only instances (unicast_peer), which join nothing
 * @param ttl              TTL / hop limit for unicast and multicast sends (255 as RFC 5798 demands;
 *                         unicast_ttl may lower it for unicast)
 * @param kernelIpv6Checksum when true, IPV6_CHECKSUM = 6 makes the kernel fill the VRRPv3 checksum on
 *                         send and silently drop bad ones on receive. Off by default: the codec
 *                         computes and verifies it, so a bad checksum is logged and counted as
 *                         keepalived counts it instead of vanishing in the kernel.
 * @param protocol         IP protocol: 112 (VRRP) or 51 (IPsec AH, IPv4 only). An AH socket sends and
 *                         receives whole IPv4 datagrams (IP_HDRINCL), because the AH ICV covers the
 *                         IP header: see {@link VrrpSocket#send} and {@link ReceivedPacket#vrrp}.
 */
public record VrrpSocketConfig(String iface, boolean ipv6, InetAddress multicastGroup, int ttl,
                               boolean kernelIpv6Checksum, int protocol) {
    public static final int IPPROTO_AH = 51;
    public static final InetAddress VRRP_GROUP4 = literal("224.0.0.18");
    public static final InetAddress VRRP_GROUP6 = literal("ff02::12");

    /** A protocol-112 (plain VRRP) socket. */
    public VrrpSocketConfig(String iface, boolean ipv6, InetAddress multicastGroup, int ttl, boolean kernelIpv6Checksum) {
        this(iface, ipv6, multicastGroup, ttl, kernelIpv6Checksum, VrrpSocket.IPPROTO_VRRP);
    }

    public VrrpSocketConfig {
        Objects.requireNonNull(iface, "iface");
        if (protocol != VrrpSocket.IPPROTO_VRRP && protocol != IPPROTO_AH) {
            throw new IllegalArgumentException("protocol " + protocol);
        }
        if (protocol == IPPROTO_AH && ipv6) {
            throw new IllegalArgumentException("IPsec AH is IPv4 only");
        }
        if (ttl < 1 || ttl > 255) {
            throw new IllegalArgumentException("ttl " + ttl);
        }
        if (multicastGroup != null && (multicastGroup instanceof java.net.Inet6Address) != ipv6) {
            throw new IllegalArgumentException("group " + multicastGroup + " is not of the socket's family");
        }
    }

    /** The usual multicast VRRP socket on {@code iface}. */
    public static VrrpSocketConfig multicast(String iface, boolean ipv6) {
        return new VrrpSocketConfig(iface, ipv6, ipv6 ? VRRP_GROUP6 : VRRP_GROUP4, 255, false);
    }

    /** A socket for unicast_peer instances: no group membership. */
    public static VrrpSocketConfig unicast(String iface, boolean ipv6) {
        return new VrrpSocketConfig(iface, ipv6, null, 255, false);
    }

    /** True for an IPsec AH (protocol 51) socket. */
    public boolean ah() {
        return protocol == IPPROTO_AH;
    }

    static InetAddress literal(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
