package org.jkeepalived.core.table;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.jkeepalived.core.config.L4Protocol;

/**
 * How IPVS names a virtual service: protocol + address + port, or a firewall mark (with its family).
 * For fwmark services {@code address} is null and {@code port} 0.
 */
public record ServiceKey(L4Protocol protocol, InetAddress address, int port, Integer fwmark, boolean ipv6) {

    public static ServiceKey of(L4Protocol protocol, InetAddress address, int port) {
        return new ServiceKey(protocol, address, port, null, address instanceof Inet6Address);
    }

    public static ServiceKey fwmark(int mark, boolean ipv6) {
        return new ServiceKey(null, null, 0, mark, ipv6);
    }

    public boolean isFwmark() {
        return fwmark != null;
    }

    /** ipvsadm -Ln's way: "TCP  10.0.0.1:80", "TCP  [2001:db8::1]:80", "FWM  1". */
    @Override public String toString() {
        if (isFwmark()) return "FWM  " + fwmark + (ipv6 ? " IPv6" : "");
        return protocol + "  " + hostPort(address, port);
    }

    public static String hostPort(InetAddress a, int port) {
        String h = a.getHostAddress();
        int pct = h.indexOf('%');
        if (pct >= 0) h = h.substring(0, pct);
        return (a instanceof Inet6Address ? "[" + h + "]" : h) + ":" + port;
    }
}
