package org.jkeepalived.core.config;

import java.net.InetAddress;

/** unicast_peer { ADDR [min_ttl N] [max_ttl N] }. */
public record UnicastPeer(InetAddress address, Integer minTtl, Integer maxTtl) {
}
