package org.jkeepalived.core.config;

/** lvs_method TUN [type ipip|gue port N|gre] [nocsum|csum|remcsum]. */
public record TunnelSpec(String type, Integer port, String checksum) {
    public static final TunnelSpec IPIP = new TunnelSpec("ipip", null, null);
}
