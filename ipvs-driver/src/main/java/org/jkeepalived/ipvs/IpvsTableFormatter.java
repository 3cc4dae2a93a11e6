package org.jkeepalived.ipvs;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jkeepalived.core.config.LvsMethod;
import org.jkeepalived.core.table.Destination;
import org.jkeepalived.core.table.ServiceKey;
import org.jkeepalived.core.table.VirtualService;

/**
 * Prints a table the way {@code ipvsadm -Ln}, {@code ipvsadm -Ln --stats} and {@code ipvsadm -Ln --rate}
 * do (same header lines, column widths, sort order and number abbreviations), whichever backend
 * holds it. Checked line for line against ipvsadm 1.31 in the kernel VM tests.
 */
public final class IpvsTableFormatter {
    private IpvsTableFormatter() {}

    public enum Mode { LIST, STATS, RATE }

    /**
     * @param version    "1.2.1" (the kernel's IPVS version; the userspace engine may print its own)
     * @param connTableSize the "size=" figure
     * @param stats      per-service counters and active/inactive connections; may be null (zeros)
     */
    public static String format(String version, int connTableSize, List<VirtualService> services,
                                List<LvsBackend.ServiceStats> stats, Mode mode) {
        Map<ServiceKey, LvsBackend.ServiceStats> byKey = new HashMap<>();
        if (stats != null) for (LvsBackend.ServiceStats s : stats) byKey.put(s.service(), s);
        StringBuilder out = new StringBuilder();
        out.append("IP Virtual Server version ").append(version).append(" (size=").append(connTableSize).append(")\n");
        switch (mode) {
            case STATS:
                out.append("Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n");
                out.append("  -> RemoteAddress:Port\n");
                break;
            case RATE:
                out.append("Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS\n");
                out.append("  -> RemoteAddress:Port\n");
                break;
            default:
                out.append("Prot LocalAddress:Port Scheduler Flags\n");
                out.append("  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n");
        }
        List<VirtualService> sorted = new ArrayList<>(services);
        sorted.sort(SERVICE_ORDER);
        for (VirtualService s : sorted) {
            LvsBackend.ServiceStats st = byKey.get(s.key());
            String name = serviceName(s.key());
            if (mode == Mode.LIST) {
                out.append(name).append(' ').append(IpvsSemantics.scheduler(s));
                int flags = IpvsSemantics.serviceFlags(s);
                List<String> sf = IpvsSemantics.schedFlagNames(IpvsSemantics.scheduler(s), flags);
                if (!sf.isEmpty()) out.append(" (").append(String.join(",", sf)).append(')');
                if (s.persistent()) {
                    out.append(" persistent ").append(s.persistenceTimeoutSeconds());
                    String mask = IpvsSemantics.netmask(s);
                    if (!mask.equals(s.key().ipv6() ? "128" : "255.255.255.255")) out.append(" mask ").append(mask);
                    if (!IpvsSemantics.pe(s).isEmpty()) out.append(" pe ").append(IpvsSemantics.pe(s));
                }
                if (s.ops()) out.append(" ops");
            } else {
                out.append(String.format("%-33s", name));
                numbers(out, st == null ? LvsBackend.Counters.ZERO : st.counters(), mode);
            }
            out.append('\n');
            List<Destination> ds = new ArrayList<>(s.destinations());
            ds.sort(DEST_ORDER);
            for (Destination d : ds) {
                LvsBackend.DestinationStats dst = null;
                if (st != null) {
                    for (LvsBackend.DestinationStats x : st.destinations()) {
                        if (x.destination().equals(d.key())) dst = x;
                    }
                }
                String hp = IpvsSemantics.hostPort(d.address(), d.port());
                if (mode == Mode.LIST) {
                    out.append(String.format("  -> %-28s %-7s %-6d %-10d %-10d", hp, forward(d.method()), d.weight(),
                            dst == null ? 0 : dst.activeConns(), dst == null ? 0 : dst.inactiveConns()));
                } else {
                    out.append(String.format("  -> %-28s", hp));
                    numbers(out, dst == null ? LvsBackend.Counters.ZERO : dst.counters(), mode);
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    /** "TCP  10.0.0.1:80", "SCTP 10.0.0.1:9", "FWM  5", "FWM  5 IPv6": the protocol padded to 4 columns. */
    public static String serviceName(ServiceKey k) {
        if (k.isFwmark()) return "FWM  " + k.fwmark() + (k.ipv6() ? " IPv6" : "");
        return String.format("%-4s %s", k.protocol().name(), IpvsSemantics.hostPort(k.address(), k.port()));
    }

    static String forward(LvsMethod m) {
        if (m == LvsMethod.DR) return "Route";
        if (m == LvsMethod.TUN) return "Tunnel";
        return "Masq";
    }

    private static void numbers(StringBuilder out, LvsBackend.Counters c, Mode mode) {
        long[] v = mode == Mode.RATE
                ? new long[] {c.cps(), c.inPps(), c.outPps(), c.inBps(), c.outBps()}
                : new long[] {c.conns(), c.inPackets(), c.outPackets(), c.inBytes(), c.outBytes()};
        for (long x : v) out.append(largeNumber(x));
    }

    /** ipvsadm's 9-column number: exact below 10^8, then K, M, G, T with 8 digits. */
    static String largeNumber(long i) {
        if (i < 100_000_000L) return String.format("%9d", i);
        if (i < 1_000_000_000L) return String.format("%8dK", i / 1_000L);
        if (i < 100_000_000_000L) return String.format("%8dM", i / 1_000_000L);
        if (i < 100_000_000_000_000L) return String.format("%8dG", i / 1_000_000_000L);
        return String.format("%8dT", i / 1_000_000_000_000L);
    }

    private static int af(InetAddress a) { return a instanceof Inet6Address ? 10 : 2; }

    private static int protoNumber(ServiceKey k) {
        if (k.isFwmark()) return 0;
        switch (k.protocol()) {
            case TCP: return 6;
            case UDP: return 17;
            default: return 132;
        }
    }

    private static int compareAddr(InetAddress a, InetAddress b) {
        byte[] x = a.getAddress();
        byte[] y = b.getAddress();
        if (x.length != y.length) return Integer.compare(x.length, y.length);
        for (int i = 0; i < x.length; i++) {
            int c = Integer.compare(x[i] & 255, y[i] & 255);
            if (c != 0) return c;
        }
        return 0;
    }

    /** ipvsadm's order: fwmark, family, protocol, address, port. */
    static final Comparator<VirtualService> SERVICE_ORDER = (s1, s2) -> {
        ServiceKey a = s1.key();
        ServiceKey b = s2.key();
        int c = Long.compare(a.isFwmark() ? a.fwmark() & 0xFFFFFFFFL : 0, b.isFwmark() ? b.fwmark() & 0xFFFFFFFFL : 0);
        if (c != 0) return c;
        c = Integer.compare(a.ipv6() ? 10 : 2, b.ipv6() ? 10 : 2);
        if (c != 0) return c;
        c = Integer.compare(protoNumber(a), protoNumber(b));
        if (c != 0 || a.isFwmark()) return c;
        c = compareAddr(a.address(), b.address());
        return c != 0 ? c : Integer.compare(a.port(), b.port());
    };

    /** ipvsadm's order of destinations: family, address, port. */
    static final Comparator<Destination> DEST_ORDER = (d1, d2) -> {
        int c = Integer.compare(af(d1.address()), af(d2.address()));
        if (c != 0) return c;
        c = compareAddr(d1.address(), d2.address());
        return c != 0 ? c : Integer.compare(d1.port(), d2.port());
    };
}
