package org.jkeepalived.ipvs;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jkeepalived.core.config.LvsMethod;
import org.jkeepalived.core.config.TunnelSpec;
import org.jkeepalived.core.table.Destination;
import org.jkeepalived.core.table.ServiceKey;
import org.jkeepalived.core.table.VirtualService;

/**
 * IPVS's own meaning of a table entry, shared by the reconciler (to decide what differs) and the
 * backends (to encode it): service flag bits, default persistence netmask, destination port
 * defaulting, tunnel defaults. Two entries that IPVS would hold identically compare equal here.
 */
public final class IpvsSemantics {
    private IpvsSemantics() {}

    /** The schedulers Debian's 6.1 kernel builds (ip_vs_*.ko), by their ipvsadm names. */
    public static final java.util.Set<String> KERNEL_SCHEDULERS =
            java.util.Set.of("rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh");

    // include/uapi/linux/ip_vs.h, IP_VS_SVC_F_*
    public static final int SVC_F_PERSISTENT = 0x0001;
    public static final int SVC_F_HASHED = 0x0002;
    public static final int SVC_F_ONEPACKET = 0x0004;
    public static final int SVC_F_SCHED1 = 0x0008;
    public static final int SVC_F_SCHED2 = 0x0010;
    public static final int SVC_F_SCHED3 = 0x0020;
    public static final int SVC_F_SCHED_MASK = SVC_F_SCHED1 | SVC_F_SCHED2 | SVC_F_SCHED3;

    public static final int TUN_TYPE_IPIP = 0;
    public static final int TUN_TYPE_GUE = 1;
    public static final int TUN_TYPE_GRE = 2;
    public static final int TUN_FLAG_NOCSUM = 0;
    public static final int TUN_FLAG_CSUM = 1;
    public static final int TUN_FLAG_REMCSUM = 2;

    /** ipvsadm's default scheduler when none is given. */
    public static final String DEFAULT_SCHEDULER = "wlc";

    /** "TCP 10.0.0.1:80", "UDP [2001:db8::1]:53", "FWM 5", "FWM 5 IPv6": how messages name a service. */
    public static String describe(ServiceKey k) {
        if (k.isFwmark()) return "FWM " + k.fwmark() + (k.ipv6() ? " IPv6" : "");
        return k.protocol() + " " + hostPort(k.address(), k.port());
    }

    /** "10.0.0.1:80" or "[2001:db8::1]:80", addresses written as inet_ntop (and ipvsadm) writes them. */
    public static String hostPort(InetAddress a, int port) {
        return (a instanceof Inet6Address ? "[" + ntop(a) + "]" : ntop(a)) + ":" + port;
    }

    /** inet_ntop's text: IPv6 with the longest run (2+ groups) of zero groups as "::", lower-case hex. */
    public static String ntop(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 4) return (b[0] & 255) + "." + (b[1] & 255) + "." + (b[2] & 255) + "." + (b[3] & 255);
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = ((b[2 * i] & 255) << 8) | (b[2 * i + 1] & 255);
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        if (bestLen < 2) bestStart = -1;
        // IPv4-mapped / compatible forms as inet_ntop prints them
        if (bestStart == 0 && (bestLen == 6 || (bestLen == 5 && g[5] == 0xffff))) {
            String v4 = (b[12] & 255) + "." + (b[13] & 255) + "." + (b[14] & 255) + "." + (b[15] & 255);
            return bestLen == 5 ? "::ffff:" + v4 : "::" + v4;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append(i == 0 ? "::" : ":");
                i += bestLen - 1;
                continue;
            }
            sb.append(Integer.toHexString(g[i]));
            if (i < 7) sb.append(':');
        }
        return sb.toString();
    }

    /** keepalived's log form: "[10.0.0.1]:tcp:80" or "FWM 5". */
    public static String vsLabel(ServiceKey k) {
        if (k.isFwmark()) return "FWM " + k.fwmark();
        return "[" + host(k.address()) + "]:" + k.protocol().name().toLowerCase(Locale.ROOT) + ":" + k.port();
    }

    /** keepalived's log form of a real server: "[10.0.0.2]:80". */
    public static String rsLabel(Destination.DestinationKey d) {
        return "[" + host(d.address()) + "]:" + d.port();
    }

    static String host(InetAddress a) {
        return ntop(a);
    }

    /** Scheduler flag names (keepalived / ipvsadm -b) to IP_VS_SVC_F_SCHED* bits. */
    public static int schedFlagBits(List<String> names) {
        int bits = 0;
        for (String n : names) {
            String f = n.trim().toLowerCase(Locale.ROOT);
            switch (f) {
                case "flag-1": case "sh-fallback": case "mh-fallback": bits |= SVC_F_SCHED1; break;
                case "flag-2": case "sh-port": case "mh-port": bits |= SVC_F_SCHED2; break;
                case "flag-3": bits |= SVC_F_SCHED3; break;
                default: throw new IllegalArgumentException("unknown scheduler flag '" + n + "'");
            }
        }
        return bits;
    }

    /** The names ipvsadm prints for the sched bits of a service using {@code scheduler}. */
    public static List<String> schedFlagNames(String scheduler, int flags) {
        List<String> out = new ArrayList<>();
        String s = scheduler == null ? "" : scheduler;
        if ((flags & SVC_F_SCHED1) != 0) out.add(s.equals("sh") ? "sh-fallback" : s.equals("mh") ? "mh-fallback" : "flag-1");
        if ((flags & SVC_F_SCHED2) != 0) out.add(s.equals("sh") ? "sh-port" : s.equals("mh") ? "mh-port" : "flag-2");
        if ((flags & SVC_F_SCHED3) != 0) out.add("flag-3");
        return out;
    }

    /** All IP_VS_SVC_F_* bits a service asks for (without HASHED, which the kernel owns). */
    public static int serviceFlags(VirtualService s) {
        int f = schedFlagBits(s.schedFlags());
        if (s.persistent()) f |= SVC_F_PERSISTENT;
        if (s.ops()) f |= SVC_F_ONEPACKET;
        return f;
    }

    public static String scheduler(VirtualService s) {
        return s.scheduler() == null || s.scheduler().isBlank() ? DEFAULT_SCHEDULER : s.scheduler().trim();
    }

    /**
     * The persistence netmask as IPVS holds it: IPv4 dotted ("255.255.255.255" when unset; a prefix
     * length such as "24" is accepted), IPv6 a prefix length ("128" when unset).
     */
    public static String netmask(VirtualService s) {
        return normalizeNetmask(s.key().ipv6(), s.persistenceNetmask());
    }

    public static String normalizeNetmask(boolean ipv6, String mask) {
        String m = mask == null ? "" : mask.trim();
        if (m.startsWith("/")) m = m.substring(1);
        if (ipv6) {
            if (m.isEmpty()) return "128";
            int plen = Integer.parseInt(m);
            if (plen < 1 || plen > 128) throw new IllegalArgumentException("IPv6 persistence prefix length " + m + " not in 1..128");
            return Integer.toString(plen);
        }
        if (m.isEmpty()) return "255.255.255.255";
        if (m.chars().allMatch(Character::isDigit)) {
            int plen = Integer.parseInt(m);
            if (plen < 0 || plen > 32) throw new IllegalArgumentException("persistence prefix length " + m + " not in 0..32");
            int v = plen == 0 ? 0 : (int) (0xFFFFFFFFL << (32 - plen));
            return ((v >>> 24) & 255) + "." + ((v >>> 16) & 255) + "." + ((v >>> 8) & 255) + "." + (v & 255);
        }
        try {
            InetAddress a = InetAddress.getByName(m);
            if (!(a instanceof Inet4Address)) throw new IllegalArgumentException("persistence netmask '" + mask + "' is not IPv4");
            return a.getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("persistence netmask '" + mask + "' is not an address", e);
        }
    }

    /** Persistence engine name, "" when none. */
    public static String pe(VirtualService s) {
        return s.persistenceEngine() == null ? "" : s.persistenceEngine().trim();
    }

    /** True when IPVS would hold both services' settings identically (destinations not compared). */
    public static boolean sameServiceSettings(VirtualService a, VirtualService b) {
        return scheduler(a).equals(scheduler(b))
                && serviceFlags(a) == serviceFlags(b)
                && (a.persistent() ? a.persistenceTimeoutSeconds() : 0) == (b.persistent() ? b.persistenceTimeoutSeconds() : 0)
                && netmask(a).equals(netmask(b))
                && pe(a).equals(pe(b));
    }

    /**
     * A destination as IPVS stores it within {@code service}: port 0 of a non-fwmark service becomes the
     * service's port (ipvsadm does the same), tunnel settings are kept only for TUN.
     */
    public static Destination normalize(ServiceKey service, Destination d) {
        int port = d.port();
        if (port == 0 && !service.isFwmark()) port = service.port();
        LvsMethod m = d.method() == null ? LvsMethod.NAT : d.method();
        TunnelSpec t = m == LvsMethod.TUN ? normalizeTunnel(d.tunnel()) : null;
        if (port == d.port() && m == d.method() && Objects.equals(t, d.tunnel())) return d;
        return new Destination(d.address(), port, m, d.weight(), d.upperThreshold(), d.lowerThreshold(), t);
    }

    /** Tunnel spec with IPVS's defaults filled in: type ipip, port only for gue, checksum "nocsum". */
    public static TunnelSpec normalizeTunnel(TunnelSpec t) {
        if (t == null) return new TunnelSpec("ipip", null, "nocsum");
        String type = t.type() == null ? "ipip" : t.type().toLowerCase(Locale.ROOT);
        Integer port = "gue".equals(type) ? t.port() : null;
        String csum = t.checksum() == null ? "nocsum" : t.checksum().toLowerCase(Locale.ROOT);
        return new TunnelSpec(type, port, csum);
    }

    public static int tunnelType(TunnelSpec t) {
        switch (normalizeTunnel(t).type()) {
            case "ipip": return TUN_TYPE_IPIP;
            case "gue": return TUN_TYPE_GUE;
            case "gre": return TUN_TYPE_GRE;
            default: throw new IllegalArgumentException("unknown tunnel type '" + t.type() + "'");
        }
    }

    public static int tunnelFlags(TunnelSpec t) {
        switch (normalizeTunnel(t).checksum()) {
            case "nocsum": return TUN_FLAG_NOCSUM;
            case "csum": return TUN_FLAG_CSUM;
            case "remcsum": return TUN_FLAG_REMCSUM;
            default: throw new IllegalArgumentException("unknown tunnel checksum '" + t.checksum() + "'");
        }
    }

    public static TunnelSpec tunnelFromKernel(int type, int port, int flags) {
        String ty = type == TUN_TYPE_GUE ? "gue" : type == TUN_TYPE_GRE ? "gre" : "ipip";
        String cs = flags == TUN_FLAG_CSUM ? "csum" : flags == TUN_FLAG_REMCSUM ? "remcsum" : "nocsum";
        return new TunnelSpec(ty, ty.equals("gue") ? port : null, cs);
    }

    /** True when IPVS would hold both destinations identically (call on normalized destinations). */
    public static boolean sameDestinationSettings(Destination a, Destination b) {
        return a.method() == b.method()
                && a.weight() == b.weight()
                && a.upperThreshold() == b.upperThreshold()
                && a.lowerThreshold() == b.lowerThreshold()
                && (a.method() != LvsMethod.TUN || normalizeTunnel(a.tunnel()).equals(normalizeTunnel(b.tunnel())));
    }

    /** The service with normalized destinations (see {@link #normalize(ServiceKey, Destination)}). */
    public static VirtualService normalize(VirtualService s) {
        List<Destination> ds = new ArrayList<>(s.destinations().size());
        boolean changed = false;
        for (Destination d : s.destinations()) {
            Destination n = normalize(s.key(), d);
            changed |= n != d;
            ds.add(n);
        }
        return changed ? s.withDestinations(ds) : s;
    }

    public static boolean isIpv6(InetAddress a) {
        return a instanceof Inet6Address;
    }
}
