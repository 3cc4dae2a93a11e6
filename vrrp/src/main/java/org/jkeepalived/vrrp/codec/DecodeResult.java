package org.jkeepalived.vrrp.codec;

import java.net.InetAddress;

/**
 * Outcome of {@link VrrpCodec#decode}: either {@code packet} (reason null) or a rejection
 * ({@code packet} null, {@code reason} set, {@code detail} a short human explanation for the log).
 * {@code source}, {@code destination} and {@code ttl} are those of the IP layer (from the IPv4
 * header for {@link VrrpCodec#decodeIpv4Packet}, else as passed in); they may be null / -1 when a
 * whole-packet parse failed before reading them.
 */
public record DecodeResult(
        VrrpPacket packet,
        RejectReason reason,
        String detail,
        ChecksumVariant checksumVariant,
        InetAddress source,
        InetAddress destination,
        int ttl) {

    public boolean ok() {
        return packet != null;
    }

    static DecodeResult accepted(VrrpPacket p, ChecksumVariant v, InetAddress src, InetAddress dst, int ttl) {
        return new DecodeResult(p, null, null, v, src, dst, ttl);
    }

    static DecodeResult rejected(RejectReason r, String detail, InetAddress src, InetAddress dst, int ttl) {
        return new DecodeResult(null, r, detail, null, src, dst, ttl);
    }
}
