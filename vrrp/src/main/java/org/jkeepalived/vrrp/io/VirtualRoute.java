package org.jkeepalived.vrrp.io;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;

/**
 * A virtual_routes line resolved for rtnetlink. The subset of ip-route(8) syntax understood:
 * {@code [src ADDR] [to] DEST[/LEN]|default [via GW] [dev IF] [scope S] [table N|main|local]
 * [metric|preference N] [blackhole|unreachable|prohibit] [onlink]}.
 *
 * @param type rtnetlink route type: 1 unicast, 6 blackhole, 7 unreachable, 8 prohibit
 */
public record VirtualRoute(InetAddress destination, int prefix, InetAddress gateway, String dev, InetAddress src,
                           int scope, int table, Integer metric, int type, boolean onlink) {
    public static final int RTN_UNICAST = 1;
    public static final int TABLE_MAIN = 254;

    public VirtualRoute {
        Objects.requireNonNull(destination, "destination");
    }

    public boolean ipv6() {
        return destination instanceof Inet6Address;
    }

    /** Parses the words of one line; {@code defaultDev} is the instance's interface. */
    public static VirtualRoute parse(List<String> words, String defaultDev) {
        InetAddress dst = null;
        int prefix = -1;
        InetAddress gw = null;
        String dev = null;
        InetAddress src = null;
        Integer scope = null;
        int table = TABLE_MAIN;
        Integer metric = null;
        int type = RTN_UNICAST;
        boolean onlink = false;
        boolean v6Default = false;
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            switch (w) {
                case "src": src = addr(words.get(++i)); break;
                case "to": break;
                case "via": gw = addr(words.get(++i)); break;
                case "dev": case "oif": dev = words.get(++i); break;
                case "scope": scope = VipAddress.scopeNumber(words.get(++i)); break;
                case "table": {
                    String t = words.get(++i);
                    table = t.equals("main") ? TABLE_MAIN : t.equals("local") ? 255 : t.equals("default") ? 253
                            : Integer.parseInt(t);
                    break;
                }
                case "metric": case "preference": case "priority": metric = Integer.parseInt(words.get(++i)); break;
                case "blackhole": type = 6; break;
                case "unreachable": type = 7; break;
                case "prohibit": type = 8; break;
                case "onlink": onlink = true; break;
                case "default": prefix = 0; break;
                case "inet6": v6Default = true; break;
                default: {
                    if (dst != null || !(w.matches("[0-9.]+(/\\d+)?") || w.matches("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*(/\\d+)?"))) {
                        throw new IllegalArgumentException("virtual_routes: cannot use '" + w + "' in " + words);
                    }
                    String[] p = w.split("/");
                    dst = addr(p[0]);
                    prefix = p.length > 1 ? Integer.parseInt(p[1]) : dst.getAddress().length * 8;
                }
            }
        }
        if (dst == null) {
            if (prefix != 0) {
                throw new IllegalArgumentException("virtual_routes: no destination in " + words);
            }
            boolean v6 = v6Default || gw instanceof Inet6Address;
            dst = addr(v6 ? "::" : "0.0.0.0");
        }
        if (dev == null && gw == null && type == RTN_UNICAST) {
            dev = defaultDev;
        }
        // as ip(8): a route without a gateway is on-link (scope link), one via a gateway is global
        int sc = scope != null ? scope : (type == RTN_UNICAST && gw == null ? 253 : 0);
        return new VirtualRoute(dst, prefix, gw, dev, src, sc, table, metric, type, onlink);
    }

    /** Literal addresses only: never a name lookup. */
    private static InetAddress addr(String s) {
        if (!s.matches("[0-9.]+") && !s.matches("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
            throw new IllegalArgumentException("not an address: " + s);
        }
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + s);
        }
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(prefix == 0 ? "default" : destination.getHostAddress() + "/" + prefix);
        if (gateway != null) {
            b.append(" via ").append(gateway.getHostAddress());
        }
        if (dev != null) {
            b.append(" dev ").append(dev);
        }
        if (table != TABLE_MAIN) {
            b.append(" table ").append(table);
        }
        if (metric != null) {
            b.append(" metric ").append(metric);
        }
        return b.toString();
    }
}
