package org.jkeepalived.vrrp.io.nativeio;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jkeepalived.vrrp.io.InterfaceAddress;
import org.jkeepalived.vrrp.io.LinkMonitor;
import org.jkeepalived.vrrp.io.Vmac;
import org.jkeepalived.vrrp.io.VmacManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link VmacManager} over its own NETLINK_ROUTE socket; sysctls through /proc/sys (of the
 * process's network namespace). What it sets, as keepalived 2.2.7 does:
 * <ul>
 * <li>the macvlan: mode private, the VRRP MAC, addrgenmode none (no EUI-64 link-local of the shared
 * MAC), then up;
 * <li>IPv4: on the VMAC arp_ignore=1 (answer ARP only for its own VIPs), accept_local=1 (adverts
 * from the peer's VMAC carry our own MAC and source subnet), promote_secondaries=1, rp_filter=0,
 * IPv6 disabled; on the base arp_ignore=1 and arp_filter=1, so the base no longer answers ARP for
 * the VIPs with its own MAC;
 * <li>IPv6: the base's link-local address copied onto the VMAC (nodad, deprecated) as the adverts'
 * source.
 * </ul>
 * The base's sysctls are left as set when the VMAC goes (keepalived does not restore them either).
 * With {@code all.rp_filter} set, which would drop the peer's adverts arriving on an IPv4 VMAC (the
 * route back to the peer is through the base), every interface but lo (and {@code default}) gets
 * the greater of its rp_filter and all's, then all's is set to 0 and the VMAC's stays 0; the old
 * values come back when the last IPv4 VMAC goes.
 */
public final class NetlinkVmacManager implements VmacManager, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NetlinkVmacManager.class);
    static final int IFLA_LINK = 5;
    static final int IFLA_LINKINFO = 18;
    static final int IFLA_AF_SPEC = 26;
    static final int IFLA_INFO_KIND = 1;
    static final int IFLA_INFO_DATA = 2;
    static final int IFLA_MACVLAN_MODE = 1;
    static final int MACVLAN_MODE_PRIVATE = 1;
    static final int IFLA_INET6_ADDR_GEN_MODE = 8;
    static final int IN6_ADDR_GEN_MODE_NONE = 1;
    static final int IFA_CACHEINFO = 6;
    static final int IFA_F_NODAD = 0x02;
    private static final int ENODEV = 19;
    private static final Path PROC = Path.of("/proc/sys/net");

    private final NetlinkSocket nl;
    private final LinkMonitor links;
    private final NetlinkAddressManager addresses;
    /** IPv4 VMACs made here and still there: the rp_filter takeover lasts while any is. */
    private final java.util.Set<String> live4 = new java.util.HashSet<>();
    /** rp_filter values changed by the takeover ("all" included), to restore; null when none. */
    private java.util.Map<String, Integer> rpFilterSaved;

    NetlinkVmacManager(LinkMonitor links, NetlinkAddressManager addresses) throws IOException {
        this.nl = new NetlinkSocket(0);
        this.links = links;
        this.addresses = addresses;
    }

    /** RTM_NEWLINK creating the macvlan (down; brought up once configured). */
    static byte[] createMessage(int seq, Vmac v, int baseIndex) {
        Nl.Builder b = new Nl.Builder(Nl.RTM_NEWLINK,
                Nl.NLM_F_REQUEST | Nl.NLM_F_ACK | Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, seq)
                .u8(0).u8(0).u16(0).u32(0).u32(0).u32(0)
                .attrString(Nl.IFLA_IFNAME, v.name())
                .attrU32(IFLA_LINK, baseIndex)
                .attr(Nl.IFLA_ADDRESS, v.mac());
        int info = b.nest(IFLA_LINKINFO);
        b.attrString(IFLA_INFO_KIND, "macvlan");
        int data = b.nest(IFLA_INFO_DATA);
        b.attrU32(IFLA_MACVLAN_MODE, MACVLAN_MODE_PRIVATE);
        b.end(data);
        b.end(info);
        return b.build();
    }

    /** RTM_NEWLINK on an existing link: addrgenmode none (IFLA_AF_SPEC / AF_INET6). */
    static byte[] addrGenModeNoneMessage(int seq, int index) {
        Nl.Builder b = new Nl.Builder(Nl.RTM_NEWLINK, Nl.NLM_F_REQUEST | Nl.NLM_F_ACK, seq)
                .u8(0).u8(0).u16(0).u32(index).u32(0).u32(0);
        int spec = b.nest(IFLA_AF_SPEC);
        int inet6 = b.nest(Native.AF_INET6);
        b.attrU8(IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_NONE);
        b.end(inet6);
        b.end(spec);
        return b.build();
    }

    /** RTM_NEWLINK setting IFF_UP (change mask IFF_UP only). */
    static byte[] upMessage(int seq, int index) {
        return new Nl.Builder(Nl.RTM_NEWLINK, Nl.NLM_F_REQUEST | Nl.NLM_F_ACK, seq)
                .u8(0).u8(0).u16(0).u32(index).u32(1).u32(1).build();
    }

    static byte[] deleteMessage(int seq, String name) {
        return new Nl.Builder(Nl.RTM_DELLINK, Nl.NLM_F_REQUEST | Nl.NLM_F_ACK, seq)
                .u8(0).u8(0).u16(0).u32(0).u32(0).u32(0)
                .attrString(Nl.IFLA_IFNAME, name).build();
    }

    /** The base's link-local as the VMAC's (nodad; preferred lifetime 0 so nothing else picks it). */
    static byte[] linkLocalMessage(int seq, InetAddress ll, int prefix, int index) {
        byte[] cache = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder())
                .putInt(0).putInt(0xffffffff).putInt(0).putInt(0).array();
        return new Nl.Builder(Nl.RTM_NEWADDR, Nl.NLM_F_REQUEST | Nl.NLM_F_ACK | Nl.NLM_F_CREATE | Nl.NLM_F_REPLACE,
                seq)
                .u8(Native.AF_INET6).u8(prefix).u8(IFA_F_NODAD).u8(253).u32(index)
                .attr(Nl.IFA_LOCAL, ll.getAddress())
                .attr(Nl.IFA_ADDRESS, ll.getAddress())
                .attr(IFA_CACHEINFO, cache)
                .attrU32(Nl.IFA_FLAGS, IFA_F_NODAD)
                .build();
    }

    /** The IFLA_INFO_KIND of a link ("macvlan", "veth"...), null when it has none or does not exist. */
    String kind(String name) throws IOException {
        int seq = NetlinkSocket.nextSeq();
        byte[] req = new Nl.Builder(Nl.RTM_GETLINK, Nl.NLM_F_REQUEST, seq)
                .u8(0).u8(0).u16(0).u32(0).u32(0).u32(0).attrString(Nl.IFLA_IFNAME, name).build();
        nl.send(req);
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (Nl.Msg m : nl.read(500)) {
                if (m.seq() != seq) {
                    continue;
                }
                if (m.type() == Nl.NLMSG_ERROR) {
                    return null;
                }
                return kindOf(m);
            }
        }
        return null;
    }

    static String kindOf(Nl.Msg m) {
        byte[] info = m.attrs(16).get(IFLA_LINKINFO);
        if (info == null) {
            return null;
        }
        byte[] kind = new Nl.Msg(0, 0, 0, 0, info).attrs(0).get(IFLA_INFO_KIND);
        return kind == null ? null : Nl.cString(kind);
    }

    @Override
    public synchronized void create(Vmac v) throws IOException {
        int base = NetlinkAddressManager.ifindex(v.base());
        if (Native.C.if_nametoindex(v.name()) > 0) {
            String kind = kind(v.name());
            if (!"macvlan".equals(kind)) {
                throw new IOException("interface " + v.name() + " exists and is not a macvlan (" + kind + ")");
            }
            LOG.info("Removing leftover VMAC interface {}", v.name());
            remove(v.name());
        }
        check(createMessage(0, v, base), "cannot create VMAC interface " + v.name());
        int index = NetlinkAddressManager.ifindex(v.name());
        try {
            check(addrGenModeNoneMessage(0, index), "addrgenmode none on " + v.name());
            if (v.ipv6()) {
                linkLocal(v, index);
            } else {
                live4.add(v.name());
                rpFilterTakeover();
                sysctl("ipv6", v.name(), "disable_ipv6", 1);
                sysctl("ipv4", v.name(), "arp_ignore", 1);
                sysctl("ipv4", v.name(), "accept_local", 1);
                sysctl("ipv4", v.name(), "promote_secondaries", 1);
                sysctl("ipv4", v.name(), "rp_filter", 0);
                sysctl("ipv4", v.base(), "arp_ignore", 1);
                sysctl("ipv4", v.base(), "arp_filter", 1);
            }
            check(upMessage(0, index), "cannot bring " + v.name() + " up");
        } catch (IOException | RuntimeException e) {
            remove(v.name());
            throw e;
        }
        awaitLink(v.name());
        LOG.info("Success creating VMAC interface {}", v.name());
    }

    private void linkLocal(Vmac v, int index) throws IOException {
        for (InterfaceAddress a : addresses.list(v.base())) {
            if (a.ipv6() && a.linkLocal()) {
                InetAddress plain = InetAddress.getByAddress(a.address().getAddress());
                check(linkLocalMessage(0, plain, a.prefix(), index), "cannot add " + plain.getHostAddress()
                        + " to " + v.name());
                return;
            }
        }
        LOG.warn("{} has no IPv6 link-local address to give {}: adverts cannot be sent from it", v.base(),
                v.name());
    }

    /** The instance looks its link up next: wait (briefly) for the monitor to have heard of it. */
    private void awaitLink(String name) {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (links.link(name).isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void check(byte[] template, String what) throws IOException {
        int seq = NetlinkSocket.nextSeq();
        ByteBuffer.wrap(template).order(ByteOrder.nativeOrder()).putInt(8, seq);
        int err = -nl.request(template, seq);
        if (err != 0) {
            throw new Native.NativeIoException(what + ": " + Native.C.strerror(err), err);
        }
    }

    static void sysctl(String family, String iface, String key, int value) throws IOException {
        Path p = PROC.resolve(family).resolve("conf").resolve(iface).resolve(key);
        Files.write(p, (value + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    private void rpFilterTakeover() throws IOException {
        if (rpFilterSaved != null) {
            return;
        }
        int all = readSysctl("all");
        if (all <= 0) {
            return;
        }
        java.util.Map<String, Integer> saved = new java.util.LinkedHashMap<>();
        try (var dirs = Files.list(PROC.resolve("ipv4/conf"))) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                String n = d.getFileName().toString();
                if (n.equals("all") || n.equals("lo")) {
                    continue;
                }
                int v = readSysctl(n);
                if (v < all) {
                    sysctl("ipv4", n, "rp_filter", all);
                    saved.put(n, v);
                }
            }
        }
        sysctl("ipv4", "all", "rp_filter", 0);
        saved.put("all", all);
        rpFilterSaved = saved;
        LOG.info("net.ipv4.conf.all.rp_filter was {}: set on each interface instead, and all set to 0", all);
    }

    private void rpFilterRestore() {
        if (rpFilterSaved == null) {
            return;
        }
        for (java.util.Map.Entry<String, Integer> e : rpFilterSaved.entrySet()) {
            try {
                if (Files.isDirectory(PROC.resolve("ipv4/conf").resolve(e.getKey()))) {
                    sysctl("ipv4", e.getKey(), "rp_filter", e.getValue());
                }
            } catch (IOException ex) {
                LOG.warn("cannot restore rp_filter of {}: {}", e.getKey(), ex.getMessage());
            }
        }
        rpFilterSaved = null;
    }

    private static int readSysctl(String iface) throws IOException {
        return Integer.parseInt(Files.readString(PROC.resolve("ipv4/conf").resolve(iface).resolve("rp_filter")).trim());
    }

    @Override
    public synchronized boolean remove(String name) throws IOException {
        if (live4.remove(name) && live4.isEmpty()) {
            rpFilterRestore();
        }
        int seq = NetlinkSocket.nextSeq();
        int err = -nl.request(deleteMessage(seq, name), seq);
        if (err == 0) {
            return true;
        }
        if (err == ENODEV) {
            return false;
        }
        throw new Native.NativeIoException("cannot delete " + name + ": " + Native.C.strerror(err), err);
    }

    @Override
    public void close() {
        nl.close();
    }
}
