package org.jkeepalived.vrrp.io;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;
import org.jkeepalived.core.config.StaticAddress;

/**
 * A virtual_ipaddress entry resolved for the kernel: {@code ADDR/PREFIX [brd B] dev DEV [scope S] [label L]}.
 *
 * @param scope rtnetlink scope number (0 global, 200 site, 253 link, 254 host, 255 nowhere)
 */
public record VipAddress(InetAddress address, int prefix, String dev, InetAddress broadcast, int scope,
                         String label, boolean noPrefixRoute) {
    public VipAddress {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(dev, "dev");
        int max = address instanceof Inet6Address ? 128 : 32;
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException("prefix " + prefix + " for " + address.getHostAddress());
        }
    }

    /** A VIP on {@code dev} with the family's full prefix, global scope. */
    public static VipAddress of(InetAddress address, int prefix, String dev) {
        return new VipAddress(address, prefix, dev, null, 0, null, false);
    }

    /** From the config model; {@code defaultDev} is the instance's interface, used when no dev is given. */
    public static VipAddress from(StaticAddress a, String defaultDev) {
        return new VipAddress(a.address(), a.prefix(), a.dev() != null ? a.dev() : defaultDev, a.broadcast(),
                scopeNumber(a.scope()), a.label(), a.noPrefixRoute());
    }

    public boolean ipv6() {
        return address instanceof Inet6Address;
    }

    /** ip(8)'s scope names, or a number. Null means global. */
    public static int scopeNumber(String scope) {
        if (scope == null) {
            return 0;
        }
        switch (scope) {
            case "global":
                return 0;
            case "site":
                return 200;
            case "link":
                return 253;
            case "host":
                return 254;
            case "nowhere":
                return 255;
            default:
                try {
                    int n = Integer.parseInt(scope);
                    if (n >= 0 && n <= 255) {
                        return n;
                    }
                } catch (NumberFormatException ignored) {
                    // fall through
                }
                throw new IllegalArgumentException("unknown scope " + scope);
        }
    }

    /** As keepalived prints VIPs: {@code 10.0.0.1/24 dev eth0 scope global}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(address.getHostAddress()).append('/').append(prefix);
        if (broadcast != null) {
            b.append(" brd ").append(broadcast.getHostAddress());
        }
        b.append(" dev ").append(dev).append(" scope ").append(scopeName(scope));
        if (label != null) {
            b.append(" label ").append(label);
        }
        return b.toString();
    }

    static String scopeName(int scope) {
        switch (scope) {
            case 0:
                return "global";
            case 200:
                return "site";
            case 253:
                return "link";
            case 254:
                return "host";
            case 255:
                return "nowhere";
            default:
                return Integer.toString(scope);
        }
    }
}
