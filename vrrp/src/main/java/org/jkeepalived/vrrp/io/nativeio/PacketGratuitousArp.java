package org.jkeepalived.vrrp.io.nativeio;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.jkeepalived.vrrp.io.GarpFrames;
import org.jkeepalived.vrrp.io.GratuitousArp;
import org.jkeepalived.vrrp.io.LinkInfo;
import org.jkeepalived.vrrp.io.LinkMonitor;

/**
 * {@link GratuitousArp} on one AF_PACKET raw socket (protocol 0: send-only, it receives nothing).
 * The interface's index and MAC come from the {@link LinkMonitor}.
 */
public final class PacketGratuitousArp implements GratuitousArp {
    private final LinkMonitor links;
    private final PollableFd fd;

    public PacketGratuitousArp(LinkMonitor links) throws IOException {
        this.links = links;
        int s = Native.check(Native.C.socket(Native.AF_PACKET, Native.SOCK_RAW | Native.SOCK_CLOEXEC, 0),
                "socket(AF_PACKET)");
        this.fd = new PollableFd(s);
    }

    @Override
    public void announce(String iface, InetAddress address) throws IOException {
        LinkInfo link = links.link(iface).orElseThrow(() -> new IOException("interface " + iface + " does not exist"));
        byte[] mac = link.mac();
        if (mac.length != 6) {
            throw new IOException("interface " + iface + " has no Ethernet address");
        }
        byte[] frame;
        byte[] dst;
        int proto;
        if (address instanceof Inet4Address) {
            frame = GarpFrames.garp(mac, (Inet4Address) address);
            dst = GarpFrames.BROADCAST;
            proto = GarpFrames.ETH_P_ARP;
        } else {
            frame = GarpFrames.unsolicitedNa(mac, (Inet6Address) address);
            dst = GarpFrames.ALL_NODES_MAC;
            proto = GarpFrames.ETH_P_IPV6;
        }
        byte[] sll = Structs.sockaddrLl(proto, link.index(), dst);
        int s = fd.enter();
        try {
            if (Native.C.sendto(s, frame, frame.length, 0, sll, sll.length) < 0) {
                throw Native.error("sendto(AF_PACKET) on " + iface);
            }
        } finally {
            fd.exit();
        }
    }

    @Override
    public void close() {
        fd.close();
    }
}
