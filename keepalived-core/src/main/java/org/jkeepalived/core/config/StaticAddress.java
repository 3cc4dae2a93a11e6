package org.jkeepalived.core.config;

/**
 * One line of static_ipaddress / virtual_ipaddress / virtual_ipaddress_excluded:
 * {@code <IPADDR>[/<MASK>] [brd <IPADDR>] [dev <STRING>] [scope <SCOPE>] [label <LABEL>] ...}.
 * {@code prefix} is the prefix length (32 / 128 when not given).
 */
public record StaticAddress(
        java.net.InetAddress address,
        int prefix,
        java.net.InetAddress broadcast,
        String dev,
        String scope,
        String label,
        java.net.InetAddress peer,
        boolean noPrefixRoute,
        /** remaining words of the line that the grammar accepts but we keep verbatim (e.g. track_group). */
        java.util.List<String> extra) {

    public StaticAddress {
        extra = extra == null ? java.util.List.of() : java.util.List.copyOf(extra);
    }

    /** Address/prefix as ip(8) prints it. */
    public String cidr() {
        return org.jkeepalived.core.parse.Addresses.format(address) + "/" + prefix;
    }
}
