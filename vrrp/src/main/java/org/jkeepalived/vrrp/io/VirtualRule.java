package org.jkeepalived.vrrp.io;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A virtual_rules / static_rules line resolved for rtnetlink, in ip-rule(8) syntax:
 * {@code [not] [from PREFIX|all] [to PREFIX|all] [tos|dsfield N] [fwmark MARK[/MASK]] [iif|iifname IF]
 * [oif|oifname IF] [priority|preference|pref|order N] [table|lookup ID|NAME] [goto N] [realms [S/]D]
 * [suppress_prefixlength N] [suppress_ifgroup N] [uidrange A-B] [l3mdev] [protocol N] [ipproto P]
 * [sport A[-B]] [dport A[-B]] [blackhole|unreachable|prohibit|nop] [no_track] [track_group G (ignored)]}.
 * Rules are tagged protocol "keepalived" (18) unless {@code protocol} says otherwise.
 *
 * @param table 0: none given (ip(8) then means main for a lookup rule)
 * @param action FR_ACT_*: 1 lookup table, 2 goto, 3 nop, 6 blackhole, 7 unreachable, 8 prohibit
 */
public record VirtualRule(boolean ipv6, InetAddress from, int fromLen, InetAddress to, int toLen, boolean invert,
                          int tos, int table, Integer priority, Long fwmark, Long fwmask, String iif, String oif,
                          int action, Integer gotoTarget, Integer realms, Integer suppressPrefixLength,
                          Integer suppressIfGroup, Long uidStart, Long uidEnd, boolean l3mdev, int protocol,
                          Integer ipProto, int[] sport, int[] dport, boolean noTrack) {
    public static final int ACT_TO_TBL = 1;
    public static final int ACT_GOTO = 2;
    public static final int ACT_NOP = 3;
    public static final int RTPROT_KEEPALIVED = 18;

    /** Parses the words of one line; {@code defaultIpv6} decides the family when no address says it. */
    public static VirtualRule parse(List<String> words, boolean defaultIpv6) {
        InetAddress from = null;
        int fromLen = 0;
        InetAddress to = null;
        int toLen = 0;
        boolean invert = false;
        int tos = 0;
        int table = 0;
        Integer prio = null;
        Long mark = null;
        Long mask = null;
        String iif = null;
        String oif = null;
        int action = ACT_TO_TBL;
        Integer gotoTarget = null;
        Integer realms = null;
        Integer suppressLen = null;
        Integer suppressGroup = null;
        Long uidStart = null;
        Long uidEnd = null;
        boolean l3mdev = false;
        int protocol = RTPROT_KEEPALIVED;
        Integer ipProto = null;
        int[] sport = null;
        int[] dport = null;
        boolean noTrack = false;
        Boolean family = null;
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            switch (w) {
                case "not": invert = true; break;
                case "from": {
                    String v = arg(words, ++i);
                    if (!v.equals("all")) {
                        Object[] p = prefix(v);
                        from = (InetAddress) p[0];
                        fromLen = (Integer) p[1];
                    }
                    break;
                }
                case "to": {
                    String v = arg(words, ++i);
                    if (!v.equals("all")) {
                        Object[] p = prefix(v);
                        to = (InetAddress) p[0];
                        toLen = (Integer) p[1];
                    }
                    break;
                }
                case "tos": case "dsfield": tos = (int) number(arg(words, ++i), 255); break;
                case "fwmark": {
                    String[] p = arg(words, ++i).split("/", 2);
                    mark = number(p[0], 0xffffffffL);
                    if (p.length > 1) {
                        mask = number(p[1], 0xffffffffL);
                    }
                    break;
                }
                case "iif": case "iifname": case "dev": iif = arg(words, ++i); break;
                case "oif": case "oifname": oif = arg(words, ++i); break;
                case "priority": case "preference": case "pref": case "order":
                    prio = (int) number(arg(words, ++i), 0xffffffffL);
                    break;
                case "table": case "lookup": table = tableNumber(arg(words, ++i)); break;
                case "goto": action = ACT_GOTO; gotoTarget = (int) number(arg(words, ++i), 0xffffffffL); break;
                case "realms": {
                    String[] p = arg(words, ++i).split("/", 2);
                    realms = p.length > 1 ? (int) (number(p[0], 0xffff) << 16 | number(p[1], 0xffff))
                            : (int) number(p[0], 0xffff);
                    break;
                }
                case "suppress_prefixlength": case "sup_pl":
                    suppressLen = (int) number(arg(words, ++i), 128);
                    break;
                case "suppress_ifgroup": case "sup_group":
                    suppressGroup = (int) number(arg(words, ++i), 0xffffffffL);
                    break;
                case "uidrange": {
                    long[] r = range(arg(words, ++i), 0xffffffffL);
                    uidStart = r[0];
                    uidEnd = r[1];
                    break;
                }
                case "l3mdev": l3mdev = true; break;
                case "protocol": case "proto": protocol = protocolNumber(arg(words, ++i)); break;
                case "ipproto": case "ip_proto": ipProto = ipProtoNumber(arg(words, ++i)); break;
                case "sport": sport = ports(arg(words, ++i)); break;
                case "dport": dport = ports(arg(words, ++i)); break;
                case "type": action = typeNumber(arg(words, ++i)); break;
                case "blackhole": case "unreachable": case "prohibit": case "nop": case "unicast":
                    action = typeNumber(w);
                    break;
                case "no_track": noTrack = true; break;
                case "track_group": arg(words, ++i); break; // static_rules' track_group: not implemented, rule kept
                case "inet": family = false; break;
                case "inet6": family = true; break;
                default:
                    throw new IllegalArgumentException("unknown rule option '" + w + "' in " + String.join(" ", words));
            }
        }
        boolean v6;
        if (from != null && to != null && (from instanceof Inet6Address) != (to instanceof Inet6Address)) {
            throw new IllegalArgumentException("from and to of different families in " + String.join(" ", words));
        } else if (from != null) {
            v6 = from instanceof Inet6Address;
        } else if (to != null) {
            v6 = to instanceof Inet6Address;
        } else {
            v6 = family != null ? family : defaultIpv6;
        }
        if (action == ACT_TO_TBL && table == 0 && !l3mdev) {
            table = 254; // as ip(8): a lookup rule without a table looks up main
        }
        return new VirtualRule(v6, from, fromLen, to, toLen, invert, tos, table, prio, mark, mask, iif, oif, action,
                gotoTarget, realms, suppressLen, suppressGroup, uidStart, uidEnd, l3mdev, protocol, ipProto, sport,
                dport, noTrack);
    }

    private static String arg(List<String> words, int i) {
        if (i >= words.size()) {
            throw new IllegalArgumentException("'" + words.get(i - 1) + "' needs a value in " + String.join(" ", words));
        }
        return words.get(i);
    }

    private static long number(String s, long max) {
        long v;
        try {
            v = s.startsWith("0x") || s.startsWith("0X") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: " + s);
        }
        if (v < 0 || v > max) {
            throw new IllegalArgumentException(s + " is out of range (0-" + max + ")");
        }
        return v;
    }

    private static long[] range(String s, long max) {
        String[] p = s.split("-", 2);
        long lo = number(p[0], max);
        long hi = p.length > 1 ? number(p[1], max) : lo;
        if (hi < lo) {
            throw new IllegalArgumentException("empty range " + s);
        }
        return new long[]{lo, hi};
    }

    private static int[] ports(String s) {
        long[] r = range(s, 65535);
        return new int[]{(int) r[0], (int) r[1]};
    }

    /** Literal addresses only: never a name lookup. */
    private static Object[] prefix(String s) {
        String[] p = s.split("/", 2);
        if (!p[0].matches("[0-9.]+") && !p[0].matches("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
            throw new IllegalArgumentException("not an address: " + s);
        }
        InetAddress a;
        try {
            a = InetAddress.getByName(p[0]);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + s);
        }
        int max = a.getAddress().length * 8;
        int len = p.length > 1 ? (int) number(p[1], max) : max;
        return new Object[]{a, len};
    }

    private static int typeNumber(String t) {
        switch (t) {
            case "unicast": return ACT_TO_TBL;
            case "blackhole": return 6;
            case "unreachable": return 7;
            case "prohibit": return 8;
            case "nop": return ACT_NOP;
            default: throw new IllegalArgumentException("unknown rule type " + t);
        }
    }

    private static int protocolNumber(String p) {
        switch (p) {
            case "kernel": return 2;
            case "boot": return 3;
            case "static": return 4;
            case "keepalived": return RTPROT_KEEPALIVED;
            default: return (int) number(p, 255);
        }
    }

    private static int ipProtoNumber(String p) {
        switch (p.toLowerCase(Locale.ROOT)) {
            case "icmp": return 1;
            case "tcp": return 6;
            case "udp": return 17;
            case "ipv6-icmp": case "icmpv6": return 58;
            case "sctp": return 132;
            default: return (int) number(p, 255);
        }
    }

    /** main / local / default, a number, or a name from /etc/iproute2/rt_tables (and rt_tables.d). */
    public static int tableNumber(String t) {
        switch (t) {
            case "main": return 254;
            case "local": return 255;
            case "default": return 253;
            default:
                break;
        }
        if (t.matches("\\d+|0[xX][0-9a-fA-F]+")) {
            return (int) number(t, 0xffffffffL);
        }
        List<Path> files = new ArrayList<>(List.of(Path.of("/etc/iproute2/rt_tables"),
                Path.of("/usr/share/iproute2/rt_tables"), Path.of("/usr/lib/iproute2/rt_tables")));
        for (String d : List.of("/etc/iproute2/rt_tables.d", "/usr/share/iproute2/rt_tables.d")) {
            try (var s = Files.list(Path.of(d))) {
                s.filter(f -> f.toString().endsWith(".conf")).sorted().forEach(files::add);
            } catch (IOException | RuntimeException ignored) {
                // no such directory
            }
        }
        for (Path f : files) {
            try {
                for (String line : Files.readAllLines(f)) {
                    String[] w = line.trim().split("\\s+");
                    if (w.length >= 2 && !w[0].startsWith("#") && w[1].equals(t)) {
                        return (int) number(w[0], 0xffffffffL);
                    }
                }
            } catch (IOException | RuntimeException ignored) {
                // missing or unreadable: try the next
            }
        }
        throw new IllegalArgumentException("unknown table " + t);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VirtualRule && toString().equals(o.toString())
                && java.util.Objects.equals(((VirtualRule) o).priority, priority);
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    /** As ip-rule(8) prints it, more or less: {@code [pref P] from X to Y ... lookup T}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        if (priority != null) {
            b.append("pref ").append(Integer.toUnsignedString(priority)).append(' ');
        }
        if (invert) {
            b.append("not ");
        }
        b.append("from ").append(from == null ? "all" : from.getHostAddress() + "/" + fromLen);
        if (to != null) {
            b.append(" to ").append(to.getHostAddress()).append('/').append(toLen);
        }
        if (tos != 0) {
            b.append(" tos 0x").append(Integer.toHexString(tos));
        }
        if (fwmark != null) {
            b.append(" fwmark 0x").append(Long.toHexString(fwmark));
            if (fwmask != null) {
                b.append("/0x").append(Long.toHexString(fwmask));
            }
        }
        if (iif != null) {
            b.append(" iif ").append(iif);
        }
        if (oif != null) {
            b.append(" oif ").append(oif);
        }
        if (uidStart != null) {
            b.append(" uidrange ").append(uidStart).append('-').append(uidEnd);
        }
        if (ipProto != null) {
            b.append(" ipproto ").append(ipProto);
        }
        if (sport != null) {
            b.append(" sport ").append(sport[0]).append('-').append(sport[1]);
        }
        if (dport != null) {
            b.append(" dport ").append(dport[0]).append('-').append(dport[1]);
        }
        if (l3mdev) {
            b.append(" lookup [l3mdev-table]");
        }
        if (table != 0) {
            b.append(" lookup ").append(Integer.toUnsignedString(table));
        }
        if (suppressPrefixLength != null) {
            b.append(" suppress_prefixlength ").append(suppressPrefixLength);
        }
        if (suppressIfGroup != null) {
            b.append(" suppress_ifgroup ").append(suppressIfGroup);
        }
        if (realms != null) {
            b.append(" realms ").append(realms >>> 16).append('/').append(realms & 0xffff);
        }
        if (action == ACT_GOTO) {
            b.append(" goto ").append(gotoTarget);
        } else if (action != ACT_TO_TBL) {
            b.append(action == ACT_NOP ? " nop" : action == 6 ? " blackhole" : action == 7 ? " unreachable"
                    : " prohibit");
        }
        if (protocol != RTPROT_KEEPALIVED) {
            b.append(" proto ").append(protocol);
        }
        if (ipv6 && from == null && to == null) {
            b.append(" (inet6)");
        }
        return b.toString();
    }
}
