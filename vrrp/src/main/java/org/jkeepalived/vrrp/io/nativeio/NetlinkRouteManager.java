package org.jkeepalived.vrrp.io.nativeio;

import java.io.IOException;
import org.jkeepalived.vrrp.io.RouteManager;
import org.jkeepalived.vrrp.io.VirtualRoute;

/** {@link RouteManager} over its own NETLINK_ROUTE socket. Routes are tagged protocol "keepalived" (18). */
public final class NetlinkRouteManager implements RouteManager, AutoCloseable {
    static final int RTM_NEWROUTE = 24;
    static final int RTM_DELROUTE = 25;
    static final int RTA_DST = 1;
    static final int RTA_OIF = 4;
    static final int RTA_GATEWAY = 5;
    static final int RTA_PRIORITY = 6;
    static final int RTA_PREFSRC = 7;
    static final int RTA_TABLE = 15;
    static final int RTPROT_KEEPALIVED = 18;
    static final int RTNH_F_ONLINK = 4;
    private static final int EEXIST = 17;
    private static final int ESRCH = 3;

    private final NetlinkSocket nl;

    public NetlinkRouteManager() throws IOException {
        this.nl = new NetlinkSocket(0);
    }

    static byte[] routeMessage(int type, int flags, int seq, VirtualRoute r, int oif) {
        boolean v6 = r.ipv6();
        Nl.Builder b = new Nl.Builder(type, flags, seq)
                .u8(v6 ? Native.AF_INET6 : Native.AF_INET).u8(r.prefix()).u8(0).u8(0)
                .u8(r.table() < 256 ? r.table() : 252).u8(RTPROT_KEEPALIVED).u8(r.scope()).u8(r.type())
                .u32(r.onlink() ? RTNH_F_ONLINK : 0);
        if (r.prefix() > 0) {
            b.attr(RTA_DST, r.destination().getAddress());
        }
        if (r.gateway() != null) {
            b.attr(RTA_GATEWAY, r.gateway().getAddress());
        }
        if (oif > 0) {
            b.attrU32(RTA_OIF, oif);
        }
        if (r.src() != null) {
            b.attr(RTA_PREFSRC, r.src().getAddress());
        }
        if (r.metric() != null) {
            b.attrU32(RTA_PRIORITY, r.metric());
        }
        b.attrU32(RTA_TABLE, r.table());
        return b.build();
    }

    @Override
    public boolean add(VirtualRoute r) throws IOException {
        int seq = NetlinkSocket.nextSeq();
        int oif = r.dev() == null ? 0 : NetlinkAddressManager.ifindex(r.dev());
        int err = -nl.request(routeMessage(RTM_NEWROUTE,
                Nl.NLM_F_REQUEST | Nl.NLM_F_ACK | Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, seq, r, oif), seq);
        if (err == 0) {
            return true;
        }
        if (err == EEXIST) {
            return false;
        }
        throw new Native.NativeIoException("cannot add route " + r + ": " + Native.C.strerror(err), err);
    }

    @Override
    public boolean remove(VirtualRoute r) throws IOException {
        int seq = NetlinkSocket.nextSeq();
        int oif = r.dev() == null ? 0 : NetlinkAddressManager.ifindex(r.dev());
        int err = -nl.request(routeMessage(RTM_DELROUTE, Nl.NLM_F_REQUEST | Nl.NLM_F_ACK, seq, r, oif), seq);
        if (err == 0) {
            return true;
        }
        if (err == ESRCH) {
            return false;
        }
        throw new Native.NativeIoException("cannot remove route " + r + ": " + Native.C.strerror(err), err);
    }

    @Override
    public void close() {
        nl.close();
    }
}
