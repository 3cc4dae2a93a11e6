package org.jkeepalived.vrrp.io.nativeio;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jkeepalived.vrrp.io.AddressManager;
import org.jkeepalived.vrrp.io.InterfaceAddress;
import org.jkeepalived.vrrp.io.VipAddress;

/** {@link AddressManager} over one NETLINK_ROUTE socket (calls are serialised on it). */
public final class NetlinkAddressManager implements AddressManager, AutoCloseable {
    private static final int EEXIST = 17;
    private static final int EADDRNOTAVAIL = 99;
    /** IPv6 VIPs skip duplicate address detection, so they are usable at once after a takeover. */
    private static final int IFA_F_NODAD = 0x02;

    private final NetlinkSocket nl;

    public NetlinkAddressManager() throws IOException {
        this.nl = new NetlinkSocket(0);
    }

    static int ifindex(String iface) throws IOException {
        int i = Native.C.if_nametoindex(iface);
        if (i <= 0) {
            throw new IOException("interface " + iface + " does not exist");
        }
        return i;
    }

    static byte[] addressMessage(int type, int flags, int seq, VipAddress vip, int ifindex) {
        boolean v6 = vip.ipv6();
        int ifaFlags = v6 ? IFA_F_NODAD : 0;
        if (vip.noPrefixRoute()) {
            ifaFlags |= Nl.IFA_F_NOPREFIXROUTE;
        }
        Nl.Builder b = new Nl.Builder(type, flags, seq)
                .u8(v6 ? Native.AF_INET6 : Native.AF_INET).u8(vip.prefix()).u8(ifaFlags & 0xff).u8(vip.scope())
                .u32(ifindex)
                .attr(Nl.IFA_LOCAL, vip.address().getAddress())
                .attr(Nl.IFA_ADDRESS, vip.address().getAddress());
        if (vip.broadcast() != null && !v6) {
            b.attr(Nl.IFA_BROADCAST, vip.broadcast().getAddress());
        }
        if (vip.label() != null && !v6) {
            b.attrString(Nl.IFA_LABEL, vip.label());
        }
        if (ifaFlags != 0) {
            b.attrU32(Nl.IFA_FLAGS, ifaFlags);
        }
        return b.build();
    }

    @Override
    public boolean add(VipAddress vip) throws IOException {
        int seq = NetlinkSocket.nextSeq();
        byte[] msg = addressMessage(Nl.RTM_NEWADDR,
                Nl.NLM_F_REQUEST | Nl.NLM_F_ACK | Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, seq, vip, ifindex(vip.dev()));
        int err = -nl.request(msg, seq);
        if (err == 0) {
            return true;
        }
        if (err == EEXIST) {
            return false;
        }
        throw new Native.NativeIoException("cannot add " + vip + ": " + Native.C.strerror(err), err);
    }

    @Override
    public boolean remove(VipAddress vip) throws IOException {
        int seq = NetlinkSocket.nextSeq();
        byte[] msg = addressMessage(Nl.RTM_DELADDR, Nl.NLM_F_REQUEST | Nl.NLM_F_ACK, seq, vip, ifindex(vip.dev()));
        int err = -nl.request(msg, seq);
        if (err == 0) {
            return true;
        }
        if (err == EADDRNOTAVAIL) {
            return false;
        }
        throw new Native.NativeIoException("cannot remove " + vip + ": " + Native.C.strerror(err), err);
    }

    @Override
    public List<InterfaceAddress> list(String iface) throws IOException {
        int index = ifindex(iface);
        int seq = NetlinkSocket.nextSeq();
        byte[] req = new Nl.Builder(Nl.RTM_GETADDR, Nl.NLM_F_REQUEST | Nl.NLM_F_DUMP, seq)
                .u8(0).u8(0).u8(0).u8(0).u32(0).build();
        List<InterfaceAddress> out = new ArrayList<>();
        for (Nl.Msg m : nl.dump(req, seq)) {
            InterfaceAddress a = parseAddress(m);
            if (a != null && a.ifindex() == index) {
                out.add(a);
            }
        }
        return out;
    }

    static InterfaceAddress parseAddress(Nl.Msg m) {
        if (m.type() != Nl.RTM_NEWADDR || m.body().length < 8) {
            return null;
        }
        ByteBuffer b = m.buf();
        int family = b.get(0) & 0xff;
        int prefix = b.get(1) & 0xff;
        int flags = b.get(2) & 0xff;
        int scope = b.get(3) & 0xff;
        int index = b.getInt(4);
        Map<Integer, byte[]> attrs = m.attrs(8);
        int alen = family == Native.AF_INET6 ? 16 : family == Native.AF_INET ? 4 : -1;
        if (alen < 0) {
            return null;
        }
        byte[] raw = attrs.get(family == Native.AF_INET ? Nl.IFA_LOCAL : Nl.IFA_ADDRESS);
        if (raw == null) {
            raw = attrs.get(Nl.IFA_ADDRESS);
        }
        if (raw == null || raw.length != alen) {
            return null;
        }
        InetAddress addr = Structs.inet(raw, 0, alen);
        if (addr instanceof Inet6Address && addr.isLinkLocalAddress()) {
            try {
                addr = Inet6Address.getByAddress(null, raw, index);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        byte[] brd = attrs.get(Nl.IFA_BROADCAST);
        byte[] label = attrs.get(Nl.IFA_LABEL);
        byte[] fl = attrs.get(Nl.IFA_FLAGS);
        if (fl != null && fl.length == 4) {
            flags = ByteBuffer.wrap(fl).order(ByteOrder.nativeOrder()).getInt();
        }
        return new InterfaceAddress(index, addr, prefix, scope, label == null ? null : Nl.cString(label),
                brd == null || brd.length != alen ? null : Structs.inet(brd, 0, alen), flags);
    }

    @Override
    public void close() {
        nl.close();
    }
}
