package org.jkeepalived.ipvs;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.jkeepalived.core.config.L4Protocol;
import org.jkeepalived.core.config.LvsMethod;
import org.jkeepalived.core.config.TunnelSpec;
import org.jkeepalived.core.table.Destination;
import org.jkeepalived.core.table.ServiceKey;
import org.jkeepalived.core.table.VirtualService;

/** Builders for tables in tests. */
public final class TestTables {
    private TestTables() {}

    public static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static ServiceKey tcp(String addr, int port) { return ServiceKey.of(L4Protocol.TCP, ip(addr), port); }

    public static ServiceKey udp(String addr, int port) { return ServiceKey.of(L4Protocol.UDP, ip(addr), port); }

    public static VirtualService svc(ServiceKey k, String sched, Destination... ds) {
        return new VirtualService(k, sched, List.of(), false, 0, null, null, List.of(ds));
    }

    public static VirtualService persistent(ServiceKey k, String sched, int timeout, String mask, Destination... ds) {
        return new VirtualService(k, sched, List.of(), false, timeout, mask, null, List.of(ds));
    }

    public static Destination nat(String addr, int port, int weight) {
        return new Destination(ip(addr), port, LvsMethod.NAT, weight, 0, 0, null);
    }

    public static Destination dr(String addr, int port, int weight) {
        return new Destination(ip(addr), port, LvsMethod.DR, weight, 0, 0, null);
    }

    public static Destination tun(String addr, int port, int weight, TunnelSpec t) {
        return new Destination(ip(addr), port, LvsMethod.TUN, weight, 0, 0, t);
    }

    /** n services 10.x.y.z:80 with m NAT destinations each (the benchmark's shape). */
    public static List<VirtualService> big(int n, int m) {
        List<VirtualService> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String vip = "10.1." + (i / 250) + "." + (i % 250 + 1);
            List<Destination> ds = new ArrayList<>();
            for (int j = 0; j < m; j++) {
                ds.add(nat("10.2." + (i / 250) + "." + (i % 250 + 1), 8000 + j, 1 + (j % 5)));
            }
            out.add(new VirtualService(tcp(vip, 80), "wlc", List.of(), false, 0, null, null, ds));
        }
        return out;
    }
}
