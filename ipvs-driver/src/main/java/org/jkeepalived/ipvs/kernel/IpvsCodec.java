package org.jkeepalived.ipvs.kernel;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import org.jkeepalived.core.config.L4Protocol;
import org.jkeepalived.core.config.LvsMethod;
import org.jkeepalived.core.config.TunnelSpec;
import org.jkeepalived.core.table.Destination;
import org.jkeepalived.core.table.ServiceKey;
import org.jkeepalived.core.table.VirtualService;
import org.jkeepalived.ipvs.IpvsSemantics;
import org.jkeepalived.ipvs.LvsBackend;
import org.jkeepalived.ipvs.LvsOp;

/**
 * The generic netlink family "IPVS" (include/uapi/linux/ip_vs.h): command and attribute numbers,
 * and the encoding of services and destinations as the kernel's policy wants them (ports and the
 * IPv4 netmask in network order, addresses as 16-byte nf_inet_addr, flags with a mask). Pure.
 */
final class IpvsCodec {
    private IpvsCodec() {}

    static final String FAMILY = "IPVS";
    static final int VERSION = 1;

    static final int CMD_NEW_SERVICE = 1, CMD_SET_SERVICE = 2, CMD_DEL_SERVICE = 3, CMD_GET_SERVICE = 4;
    static final int CMD_NEW_DEST = 5, CMD_SET_DEST = 6, CMD_DEL_DEST = 7, CMD_GET_DEST = 8;
    static final int CMD_NEW_DAEMON = 9, CMD_DEL_DAEMON = 10, CMD_GET_DAEMON = 11;
    static final int CMD_SET_CONFIG = 12, CMD_GET_CONFIG = 13, CMD_SET_INFO = 14, CMD_GET_INFO = 15;
    static final int CMD_ZERO = 16, CMD_FLUSH = 17;

    static final int CMD_ATTR_SERVICE = 1, CMD_ATTR_DEST = 2, CMD_ATTR_DAEMON = 3;
    static final int CMD_ATTR_TIMEOUT_TCP = 4, CMD_ATTR_TIMEOUT_TCP_FIN = 5, CMD_ATTR_TIMEOUT_UDP = 6;

    static final int SVC_ATTR_AF = 1, SVC_ATTR_PROTOCOL = 2, SVC_ATTR_ADDR = 3, SVC_ATTR_PORT = 4;
    static final int SVC_ATTR_FWMARK = 5, SVC_ATTR_SCHED_NAME = 6, SVC_ATTR_FLAGS = 7, SVC_ATTR_TIMEOUT = 8;
    static final int SVC_ATTR_NETMASK = 9, SVC_ATTR_STATS = 10, SVC_ATTR_PE_NAME = 11, SVC_ATTR_STATS64 = 12;

    static final int DEST_ATTR_ADDR = 1, DEST_ATTR_PORT = 2, DEST_ATTR_FWD_METHOD = 3, DEST_ATTR_WEIGHT = 4;
    static final int DEST_ATTR_U_THRESH = 5, DEST_ATTR_L_THRESH = 6, DEST_ATTR_ACTIVE_CONNS = 7;
    static final int DEST_ATTR_INACT_CONNS = 8, DEST_ATTR_PERSIST_CONNS = 9, DEST_ATTR_STATS = 10;
    static final int DEST_ATTR_ADDR_FAMILY = 11, DEST_ATTR_STATS64 = 12, DEST_ATTR_TUN_TYPE = 13;
    static final int DEST_ATTR_TUN_PORT = 14, DEST_ATTR_TUN_FLAGS = 15;

    static final int DAEMON_ATTR_STATE = 1, DAEMON_ATTR_MCAST_IFN = 2, DAEMON_ATTR_SYNC_ID = 3;
    static final int DAEMON_ATTR_SYNC_MAXLEN = 4, DAEMON_ATTR_MCAST_GROUP = 5, DAEMON_ATTR_MCAST_GROUP6 = 6;
    static final int DAEMON_ATTR_MCAST_PORT = 7, DAEMON_ATTR_MCAST_TTL = 8;

    static final int STATS_ATTR_CONNS = 1, STATS_ATTR_INPKTS = 2, STATS_ATTR_OUTPKTS = 3, STATS_ATTR_INBYTES = 4;
    static final int STATS_ATTR_OUTBYTES = 5, STATS_ATTR_CPS = 6, STATS_ATTR_INPPS = 7, STATS_ATTR_OUTPPS = 8;
    static final int STATS_ATTR_INBPS = 9, STATS_ATTR_OUTBPS = 10;

    static final int INFO_ATTR_VERSION = 1, INFO_ATTR_CONN_TAB_SIZE = 2;

    static final int AF_INET = 2, AF_INET6 = 10;
    static final int IPPROTO_TCP = 6, IPPROTO_UDP = 17, IPPROTO_SCTP = 132;
    static final int CONN_F_MASQ = 0, CONN_F_LOCALNODE = 1, CONN_F_TUNNEL = 2, CONN_F_DROUTE = 3, CONN_F_FWD_MASK = 7;

    static int af(boolean ipv6) { return ipv6 ? AF_INET6 : AF_INET; }

    static int protocol(L4Protocol p) {
        switch (p) {
            case TCP: return IPPROTO_TCP;
            case UDP: return IPPROTO_UDP;
            default: return IPPROTO_SCTP;
        }
    }

    static L4Protocol protocol(int p) {
        if (p == IPPROTO_UDP) return L4Protocol.UDP;
        if (p == IPPROTO_SCTP) return L4Protocol.SCTP;
        return L4Protocol.TCP;
    }

    static int fwd(LvsMethod m) {
        if (m == LvsMethod.DR) return CONN_F_DROUTE;
        if (m == LvsMethod.TUN) return CONN_F_TUNNEL;
        return CONN_F_MASQ;
    }

    /** LOCALNODE (the kernel's "Local") has no keepalived name; it reads as DR, the closest. */
    static LvsMethod fwd(int f) {
        switch (f & CONN_F_FWD_MASK) {
            case CONN_F_MASQ: return LvsMethod.NAT;
            case CONN_F_TUNNEL: return LvsMethod.TUN;
            default: return LvsMethod.DR;
        }
    }

    /** union nf_inet_addr: 16 bytes, IPv4 in the first 4. */
    static byte[] inetAddr(InetAddress a) {
        return Arrays.copyOf(a.getAddress(), 16);
    }

    static InetAddress inetAddr(byte[] b, int af) {
        try {
            return InetAddress.getByAddress(af == AF_INET6 ? Arrays.copyOf(b, 16) : Arrays.copyOf(b, 4));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The identifying attributes of a service, nested in IPVS_CMD_ATTR_SERVICE. */
    static void serviceId(NlWriter w, ServiceKey k) {
        int n = w.beginNest(CMD_ATTR_SERVICE);
        serviceIdAttrs(w, k);
        w.endNest(n);
    }

    private static void serviceIdAttrs(NlWriter w, ServiceKey k) {
        w.u16(SVC_ATTR_AF, af(k.ipv6()));
        if (k.isFwmark()) {
            w.u32(SVC_ATTR_FWMARK, k.fwmark());
        } else {
            w.u16(SVC_ATTR_PROTOCOL, protocol(k.protocol()));
            w.attr(SVC_ATTR_ADDR, inetAddr(k.address()));
            w.be16(SVC_ATTR_PORT, k.port());
        }
    }

    /** A full service (NEW/SET_SERVICE): identity, scheduler, flags with a full mask, timeout, netmask, pe. */
    static void serviceFull(NlWriter w, VirtualService s) {
        int n = w.beginNest(CMD_ATTR_SERVICE);
        serviceIdAttrs(w, s.key());
        w.string(SVC_ATTR_SCHED_NAME, IpvsSemantics.scheduler(s));
        String pe = IpvsSemantics.pe(s);
        if (!pe.isEmpty()) w.string(SVC_ATTR_PE_NAME, pe);
        w.u32pair(SVC_ATTR_FLAGS, IpvsSemantics.serviceFlags(s), 0xFFFFFFFF);
        w.u32(SVC_ATTR_TIMEOUT, s.persistent() ? s.persistenceTimeoutSeconds() : 0);
        String mask = IpvsSemantics.netmask(s);
        if (s.key().ipv6()) {
            w.u32(SVC_ATTR_NETMASK, Integer.parseInt(mask)); // IPv6: prefix length, host order
        } else {
            try {
                w.attr(SVC_ATTR_NETMASK, InetAddress.getByName(mask).getAddress()); // IPv4: __be32
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(e);
            }
        }
        w.endNest(n);
    }

    /** A destination nested in IPVS_CMD_ATTR_DEST; {@code full} adds the settings NEW/SET_DEST need. */
    static void dest(NlWriter w, ServiceKey svc, Destination d, boolean full) {
        Destination n0 = IpvsSemantics.normalize(svc, d);
        int n = w.beginNest(CMD_ATTR_DEST);
        w.attr(DEST_ATTR_ADDR, inetAddr(n0.address()));
        w.be16(DEST_ATTR_PORT, n0.port());
        w.u16(DEST_ATTR_ADDR_FAMILY, af(n0.address() instanceof Inet6Address));
        if (full) {
            w.u32(DEST_ATTR_FWD_METHOD, fwd(n0.method()));
            w.u32(DEST_ATTR_WEIGHT, n0.weight());
            w.u32(DEST_ATTR_U_THRESH, n0.upperThreshold());
            w.u32(DEST_ATTR_L_THRESH, n0.lowerThreshold());
            if (n0.method() == LvsMethod.TUN) {
                TunnelSpec t = IpvsSemantics.normalizeTunnel(n0.tunnel());
                w.u8(DEST_ATTR_TUN_TYPE, IpvsSemantics.tunnelType(t));
                w.be16(DEST_ATTR_TUN_PORT, t.port() == null ? 0 : t.port());
                w.u16(DEST_ATTR_TUN_FLAGS, IpvsSemantics.tunnelFlags(t));
            }
        }
        w.endNest(n);
    }

    static void destId(NlWriter w, ServiceKey svc, Destination.DestinationKey k) {
        int port = k.port() == 0 && !svc.isFwmark() ? svc.port() : k.port();
        int n = w.beginNest(CMD_ATTR_DEST);
        w.attr(DEST_ATTR_ADDR, inetAddr(k.address()));
        w.be16(DEST_ATTR_PORT, port);
        w.u16(DEST_ATTR_ADDR_FAMILY, af(k.address() instanceof Inet6Address));
        w.endNest(n);
    }

    /** One op as one request message; the caller chooses NLM_F_ACK. */
    static void encode(NlWriter w, int family, int flags, int seq, LvsOp op) {
        if (op instanceof LvsOp.AddService a) {
            w.beginGenl(family, flags, seq, CMD_NEW_SERVICE, VERSION);
            serviceFull(w, a.definition());
        } else if (op instanceof LvsOp.EditService e) {
            w.beginGenl(family, flags, seq, CMD_SET_SERVICE, VERSION);
            serviceFull(w, e.definition());
        } else if (op instanceof LvsOp.DeleteService d) {
            w.beginGenl(family, flags, seq, CMD_DEL_SERVICE, VERSION);
            serviceId(w, d.service());
        } else if (op instanceof LvsOp.AddDestination a) {
            w.beginGenl(family, flags, seq, CMD_NEW_DEST, VERSION);
            serviceId(w, a.service());
            dest(w, a.service(), a.destination(), true);
        } else if (op instanceof LvsOp.EditDestination e) {
            w.beginGenl(family, flags, seq, CMD_SET_DEST, VERSION);
            serviceId(w, e.service());
            dest(w, e.service(), e.destination(), true);
        } else if (op instanceof LvsOp.DeleteDestination d) {
            w.beginGenl(family, flags, seq, CMD_DEL_DEST, VERSION);
            serviceId(w, d.service());
            destId(w, d.service(), d.destination());
        } else {
            throw new IllegalArgumentException("unknown op " + op);
        }
        w.end();
    }

    static ServiceKey serviceKey(NlAttrs a) {
        int af = a.u16(SVC_ATTR_AF, AF_INET);
        int fwmark = a.u32(SVC_ATTR_FWMARK, 0);
        if (fwmark != 0) return ServiceKey.fwmark(fwmark, af == AF_INET6);
        InetAddress addr = inetAddr(a.bytes(SVC_ATTR_ADDR), af);
        return new ServiceKey(protocol(a.u16(SVC_ATTR_PROTOCOL, IPPROTO_TCP)), addr, a.be16(SVC_ATTR_PORT, 0), null,
                af == AF_INET6);
    }

    /** A dumped service (IPVS_CMD_ATTR_SERVICE contents), without destinations. */
    static VirtualService service(NlAttrs a) {
        ServiceKey k = serviceKey(a);
        String sched = a.string(SVC_ATTR_SCHED_NAME);
        int flags = 0;
        byte[] fb = a.bytes(SVC_ATTR_FLAGS);
        if (fb != null && fb.length >= 4) {
            flags = java.nio.ByteBuffer.wrap(fb).order(java.nio.ByteOrder.nativeOrder()).getInt(0);
        }
        boolean persistent = (flags & IpvsSemantics.SVC_F_PERSISTENT) != 0;
        int timeout = persistent ? a.u32(SVC_ATTR_TIMEOUT, 0) : 0;
        String mask;
        if (k.ipv6()) {
            mask = Integer.toString(a.u32(SVC_ATTR_NETMASK, 128));
        } else {
            byte[] m = a.bytes(SVC_ATTR_NETMASK);
            mask = m == null || m.length < 4 ? "255.255.255.255" : (m[0] & 255) + "." + (m[1] & 255) + "." + (m[2] & 255) + "." + (m[3] & 255);
        }
        String pe = a.string(SVC_ATTR_PE_NAME);
        return new VirtualService(k, sched, IpvsSemantics.schedFlagNames(sched, flags),
                (flags & IpvsSemantics.SVC_F_ONEPACKET) != 0, timeout, mask, pe == null || pe.isEmpty() ? null : pe,
                java.util.List.of());
    }

    /** Prefers the 64-bit counters (STATS64) when the kernel sends them. */
    static LvsBackend.Counters counters(NlAttrs parent, int stats, int stats64) {
        NlAttrs s = parent.has(stats64) ? parent.nested(stats64) : parent.nested(stats);
        if (s == null) return LvsBackend.Counters.ZERO;
        return new LvsBackend.Counters(s.uint(STATS_ATTR_CONNS, 0), s.uint(STATS_ATTR_INPKTS, 0),
                s.uint(STATS_ATTR_OUTPKTS, 0), s.uint(STATS_ATTR_INBYTES, 0), s.uint(STATS_ATTR_OUTBYTES, 0),
                s.uint(STATS_ATTR_CPS, 0), s.uint(STATS_ATTR_INPPS, 0), s.uint(STATS_ATTR_OUTPPS, 0),
                s.uint(STATS_ATTR_INBPS, 0), s.uint(STATS_ATTR_OUTBPS, 0));
    }

    static Destination destination(NlAttrs a, ServiceKey svc) {
        int af = a.u16(DEST_ATTR_ADDR_FAMILY, af(svc.ipv6()));
        InetAddress addr = inetAddr(a.bytes(DEST_ATTR_ADDR), af);
        LvsMethod m = fwd(a.u32(DEST_ATTR_FWD_METHOD, 0));
        TunnelSpec t = m == LvsMethod.TUN
                ? IpvsSemantics.tunnelFromKernel(a.u8(DEST_ATTR_TUN_TYPE, 0), a.be16(DEST_ATTR_TUN_PORT, 0), a.u16(DEST_ATTR_TUN_FLAGS, 0))
                : null;
        return new Destination(addr, a.be16(DEST_ATTR_PORT, 0), m, a.u32(DEST_ATTR_WEIGHT, 0),
                a.u32(DEST_ATTR_U_THRESH, 0), a.u32(DEST_ATTR_L_THRESH, 0), t);
    }

    static boolean isV4(InetAddress a) { return a instanceof Inet4Address; }
}
