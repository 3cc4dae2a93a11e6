package org.jkeepalived.vrrp.codec;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One VRRP advertisement, v2 (RFC 3768) or v3 (RFC 5798).
 *
 * <p>The advertisement interval is kept twice: {@code rawAdvertInterval} is the field as on the
 * wire (seconds in v2, centiseconds in v3) and {@code advertIntervalCentis} is the same value in
 * centiseconds for both versions, which is what the state machine computes with.
 *
 * <p>{@code authType} and {@code authData} exist only in v2 (0 and null in v3). {@code checksum}
 * is the value read from the wire on decode; {@link VrrpCodec#encode} ignores it and computes it.
 */
public record VrrpPacket(
        int version,
        int type,
        int vrid,
        int priority,
        int count,
        int authType,
        int advertIntervalCentis,
        int rawAdvertInterval,
        int checksum,
        List<InetAddress> addresses,
        byte[] authData) {

    /** The only VRRP packet type defined by both RFCs. */
    public static final int TYPE_ADVERTISEMENT = 1;
    public static final int AUTH_NONE = 0;
    public static final int AUTH_PASS = 1;
    /** IPsec AH (RFC 2402) — RFC 3768 type 2; the AH wrapping is {@link IpsecAh}'s. */
    public static final int AUTH_AH = 2;
    public static final int AUTH_DATA_LEN = 8;

    public VrrpPacket {
        addresses = List.copyOf(addresses);
        authData = authData == null ? null : authData.clone();
    }

    /** A v2 advertisement; {@code authData} is padded/truncated to 8 bytes (null means zeros). */
    public static VrrpPacket v2(int vrid, int priority, int advertIntervalSeconds, int authType,
                                byte[] authData, List<InetAddress> addresses) {
        byte[] auth = new byte[AUTH_DATA_LEN];
        if (authData != null) {
            System.arraycopy(authData, 0, auth, 0, Math.min(AUTH_DATA_LEN, authData.length));
        }
        return new VrrpPacket(2, TYPE_ADVERTISEMENT, vrid, priority, addresses.size(), authType,
                advertIntervalSeconds * 100, advertIntervalSeconds, 0, addresses, auth);
    }

    /** A v3 advertisement with the interval in centiseconds (1..4095). */
    public static VrrpPacket v3(int vrid, int priority, int advertIntervalCentis, List<InetAddress> addresses) {
        return new VrrpPacket(3, TYPE_ADVERTISEMENT, vrid, priority, addresses.size(), 0,
                advertIntervalCentis, advertIntervalCentis, 0, addresses, null);
    }

    /** The same advertisement with another priority (priority 0 on shutdown, effective priority changes). */
    public VrrpPacket withPriority(int newPriority) {
        return new VrrpPacket(version, type, vrid, newPriority, count, authType, advertIntervalCentis,
                rawAdvertInterval, checksum, addresses, authData);
    }

    /** True when the address list holds IPv6 addresses (an empty list says nothing: false). */
    public boolean ipv6() {
        return !addresses.isEmpty() && addresses.get(0) instanceof Inet6Address;
    }

    /** The authentication data as the 8-byte password field (v2), or null. */
    @Override
    public byte[] authData() {
        return authData == null ? null : authData.clone();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof VrrpPacket)) return false;
        VrrpPacket p = (VrrpPacket) o;
        return version == p.version && type == p.type && vrid == p.vrid && priority == p.priority
                && count == p.count && authType == p.authType && advertIntervalCentis == p.advertIntervalCentis
                && rawAdvertInterval == p.rawAdvertInterval && checksum == p.checksum
                && addresses.equals(p.addresses) && Arrays.equals(authData, p.authData);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, type, vrid, priority, count, authType, advertIntervalCentis,
                rawAdvertInterval, checksum, addresses) * 31 + Arrays.hashCode(authData);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("VrrpPacket[v").append(version).append(" type=").append(type)
                .append(" vrid=").append(vrid).append(" prio=").append(priority)
                .append(" count=").append(count).append(" int=").append(advertIntervalCentis).append("cs");
        if (version == 2) sb.append(" auth=").append(authType);
        sb.append(String.format(" csum=0x%04x", checksum)).append(" addrs=[");
        for (int i = 0; i < addresses.size(); i++) {
            if (i > 0) sb.append(',');
            sb.append(addresses.get(i).getHostAddress());
        }
        return sb.append("]]").toString();
    }
}
