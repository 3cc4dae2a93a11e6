package org.jkeepalived.vrrp.io;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The text {@code nft -f -} reads to program the no_accept filter: one transaction that replaces our
 * whole table (or deletes it), so the kernel never holds a half-written filter and a table left by a
 * killed run is overwritten rather than added to. Pure: no I/O.
 *
 * <p>The table (family inet, so one table covers IPv4 and IPv6) has three sets and two base chains:
 * {@code input} drops what is addressed to a VIP, {@code output} what is sent from one (as keepalived
 * does: the host must not use the VIP either). IPv6 neighbour solicitations and advertisements pass
 * first, or no neighbour could resolve the VIP to route through it. A link-local VIP is only
 * meaningful with its interface, so it is matched together with the interface name (keepalived
 * matches the interface index; a name needs no lookup and survives the interface being re-created).
 */
public final class NftBatch {
    /** Linux interface names as nft takes them inside double quotes. */
    private static final Pattern IFNAME = Pattern.compile("[^\"\\\\\\s/]{1,15}");

    private NftBatch() {}

    /** The transaction that makes our table drop traffic to and from {@code vips}; deletes it when empty. */
    public static String replace(VipFilterOptions o, Collection<VipAddress> vips) {
        TreeSet<String> v4 = new TreeSet<>();
        TreeSet<String> v6 = new TreeSet<>();
        TreeSet<String> v6ll = new TreeSet<>();
        for (VipAddress v : vips) {
            InetAddress a = v.address();
            if (a instanceof Inet4Address) {
                v4.add(a.getHostAddress());
            } else if (a.isLinkLocalAddress()) {
                if (!IFNAME.matcher(v.dev()).matches()) {
                    throw new IllegalArgumentException("interface name '" + v.dev() + "'");
                }
                v6ll.add(plain(a) + " . \"" + v.dev() + "\"");
            } else {
                v6.add(plain(a));
            }
        }
        if (v4.isEmpty() && v6.isEmpty() && v6ll.isEmpty()) {
            return delete(o.table());
        }
        String drop = o.counters() ? "counter drop" : "drop";
        StringBuilder b = new StringBuilder(delete(o.table()));
        b.append("table inet ").append(o.table()).append(" {\n");
        set(b, "vips4", "ipv4_addr", v4);
        set(b, "vips6", "ipv6_addr", v6);
        set(b, "vips6_link_local", "ipv6_addr . ifname", v6ll);
        chain(b, "in", "input", o.priority(), List.of(
                "ip daddr @vips4 " + drop,
                "ip6 daddr . iifname @vips6_link_local " + drop,
                "ip6 daddr @vips6 " + drop));
        chain(b, "out", "output", o.priority(), List.of(
                "ip saddr @vips4 " + drop,
                "ip6 saddr . oifname @vips6_link_local " + drop,
                "ip6 saddr @vips6 " + drop));
        return b.append("}\n").toString();
    }

    /**
     * The transaction that removes our table whether or not it exists (nft 1.0.6 has no
     * {@code destroy}: adding an existing table is a no-op, so add-then-delete never fails).
     */
    public static String delete(String table) {
        return "add table inet " + table + "\ndelete table inet " + table + "\n";
    }

    private static void set(StringBuilder b, String name, String type, TreeSet<String> elements) {
        b.append("\tset ").append(name).append(" {\n\t\ttype ").append(type).append("\n");
        if (!elements.isEmpty()) {
            b.append("\t\telements = { ").append(String.join(", ", elements)).append(" }\n");
        }
        b.append("\t}\n");
    }

    private static void chain(StringBuilder b, String name, String hook, int priority, List<String> rules) {
        b.append("\tchain ").append(name).append(" {\n\t\ttype filter hook ").append(hook)
                .append(" priority ").append(priority).append("; policy accept;\n")
                .append("\t\ticmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept\n");
        for (String r : rules) {
            b.append("\t\t").append(r).append("\n");
        }
        b.append("\t}\n");
    }

    /** Without a scope id (nft does not take "%eth0"). */
    private static String plain(InetAddress a) {
        if (a instanceof Inet6Address) {
            try {
                return InetAddress.getByAddress(a.getAddress()).getHostAddress();
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return a.getHostAddress();
    }
}
