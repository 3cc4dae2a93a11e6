package org.jkeepalived.healthcheck;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.config.L4Protocol;
import org.jkeepalived.core.config.VirtualServer;
import org.jkeepalived.core.config.VirtualServerGroup;
import org.jkeepalived.core.table.ServiceKey;

/** The IPVS services a virtual_server stands for: one, or one per address/fwmark of its group. */
public final class ServiceKeys {
    /** A range larger than this is refused rather than expanded into millions of services. */
    static final int MAX_EXPANSION = 65536;

    private ServiceKeys() {}

    public static List<ServiceKey> of(VirtualServer vs, KeepalivedConfig config) {
        L4Protocol proto = vs.protocol() == null ? L4Protocol.TCP : vs.protocol();
        if (vs.fwmark() != null) return List.of(ServiceKey.fwmark(vs.fwmark(), "inet6".equals(vs.ipFamily())));
        if (vs.group() == null) return List.of(ServiceKey.of(proto, vs.address(), vs.port()));
        VirtualServerGroup g = config == null ? null : config.virtualServerGroup(vs.group()).orElse(null);
        if (g == null) throw new IllegalArgumentException("virtual_server_group " + vs.group() + " not defined");
        List<ServiceKey> keys = new ArrayList<>();
        for (VirtualServerGroup.Entry e : g.entries()) {
            if (e.fwmark() != null) {
                keys.add(ServiceKey.fwmark(e.fwmark(), "inet6".equals(e.family())));
                continue;
            }
            int port = e.port() != 0 ? e.port() : vs.port();
            BigInteger from = new BigInteger(1, e.first().getAddress());
            BigInteger to = new BigInteger(1, (e.last() == null ? e.first() : e.last()).getAddress());
            if (to.subtract(from).compareTo(BigInteger.valueOf(MAX_EXPANSION)) > 0) {
                throw new IllegalArgumentException("virtual_server_group " + g.name() + " range too large");
            }
            int len = e.first().getAddress().length;
            for (BigInteger a = from; a.compareTo(to) <= 0; a = a.add(BigInteger.ONE)) {
                keys.add(ServiceKey.of(proto, toAddress(a, len), port));
            }
        }
        return keys;
    }

    private static InetAddress toAddress(BigInteger v, int len) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[len];
        int n = Math.min(raw.length, len);
        System.arraycopy(raw, raw.length - n, out, len - n, n);
        try {
            return InetAddress.getByAddress(out);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
