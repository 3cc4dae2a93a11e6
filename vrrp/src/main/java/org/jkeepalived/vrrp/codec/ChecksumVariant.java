package org.jkeepalived.vrrp.codec;

/** Which checksum computation a received advertisement matched (or an encoder used). */
public enum ChecksumVariant {
    /** VRRPv2: over the VRRP message only. */
    V2_MESSAGE_ONLY,
    /**
     * VRRPv3: with the IPv4 or IPv6 pseudo-header, as RFC 5798 section 5.2.8 says; also keepalived's
     * VRRPv2 over IPv6 (the kernel's IPV6_CHECKSUM computes the same).
     */
    V3_PSEUDO_HEADER,
    /**
     * VRRPv3 over IPv4 unicast as older keepalived computed it and keepalived 2.2.7 still does with
     * {@code old_unicast_checksum}: the IPv4 pseudo-header with the multicast group 224.0.0.18 as
     * destination instead of the unicast peer (observed on the wire from keepalived 2.2.7).
     */
    V3_OLD_UNICAST,
    /** VRRPv3 over IPv4 without any pseudo-header, as some other stacks send it (receive only). */
    V3_NO_PSEUDO_HEADER
}
