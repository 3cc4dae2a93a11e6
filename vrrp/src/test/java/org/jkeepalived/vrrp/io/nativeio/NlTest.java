package org.jkeepalived.vrrp.io.nativeio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.jkeepalived.vrrp.io.InterfaceAddress;
import org.jkeepalived.vrrp.io.LinkInfo;
import org.jkeepalived.vrrp.io.VipAddress;
import org.junit.jupiter.api.Test;

/** rtnetlink encoding and decoding without a kernel. */
class NlTest {
    @Test
    void newAddrMessageLayout() throws Exception {
        VipAddress v = new VipAddress(InetAddress.getByName("10.1.2.3"), 24, "eth0",
                InetAddress.getByName("10.1.2.255"), 253, "eth0:v", false);
        byte[] m = NetlinkAddressManager.addressMessage(Nl.RTM_NEWADDR, Nl.NLM_F_REQUEST | Nl.NLM_F_ACK, 7, v, 4);
        ByteBuffer b = ByteBuffer.wrap(m).order(ByteOrder.nativeOrder());
        assertEquals(m.length, b.getInt(0));
        assertEquals(0, m.length % 4);
        assertEquals(Nl.RTM_NEWADDR, b.getShort(4));
        assertEquals(7, b.getInt(8));
        assertEquals(2, m[16]); // AF_INET
        assertEquals(24, m[17]);
        assertEquals((byte) 253, m[19]);
        assertEquals(4, b.getInt(20));
        // parse it back as if the kernel had echoed it
        List<Nl.Msg> msgs = Nl.parse(m, m.length);
        assertEquals(1, msgs.size());
        var attrs = msgs.get(0).attrs(8);
        assertEquals("eth0:v", Nl.cString(attrs.get(Nl.IFA_LABEL)));
        assertEquals(InetAddress.getByName("10.1.2.255"), InetAddress.getByAddress(attrs.get(Nl.IFA_BROADCAST)));
        InterfaceAddress ia = NetlinkAddressManager.parseAddress(msgs.get(0));
        assertEquals(InetAddress.getByName("10.1.2.3"), ia.address());
        assertEquals(24, ia.prefix());
        assertEquals(253, ia.scope());
        assertEquals(4, ia.ifindex());
        assertEquals("eth0:v", ia.label());
    }

    @Test
    void ipv6VipsSkipDad() throws Exception {
        VipAddress v = VipAddress.of(InetAddress.getByName("fd00::5"), 64, "eth0");
        byte[] m = NetlinkAddressManager.addressMessage(Nl.RTM_NEWADDR, Nl.NLM_F_REQUEST, 1, v, 3);
        InterfaceAddress ia = NetlinkAddressManager.parseAddress(Nl.parse(m, m.length).get(0));
        assertEquals(0x02, ia.flags() & 0x02);
        assertEquals(InetAddress.getByName("fd00::5"), ia.address());
    }

    @Test
    void parsesLinkMessagesAndIgnoresTruncation() {
        byte[] mac = {2, 0, 0, 0, 0, 0x0a};
        byte[] m = new Nl.Builder(Nl.RTM_NEWLINK, 0, 0)
                .u8(0).u8(0).u16(1).u32(5).u32(LinkInfo.IFF_UP | LinkInfo.IFF_RUNNING).u32(0)
                .attrString(Nl.IFLA_IFNAME, "eth0").attr(Nl.IFLA_ADDRESS, mac).attr(Nl.IFLA_CARRIER, new byte[]{1})
                .build();
        LinkInfo l = NetlinkLinkMonitor.parseLink(Nl.parse(m, m.length).get(0));
        assertEquals("eth0", l.name());
        assertEquals(5, l.index());
        assertTrue(l.usable());
        assertEquals("02:00:00:00:00:0a", l.macString());
        // a truncated datagram yields no message rather than garbage
        assertTrue(Nl.parse(m, m.length - 8).isEmpty());
        byte[] noCarrier = new Nl.Builder(Nl.RTM_NEWLINK, 0, 0)
                .u8(0).u8(0).u16(1).u32(5).u32(LinkInfo.IFF_UP).u32(0)
                .attrString(Nl.IFLA_IFNAME, "eth0").attr(Nl.IFLA_CARRIER, new byte[]{0}).build();
        LinkInfo down = NetlinkLinkMonitor.parseLink(Nl.parse(noCarrier, noCarrier.length).get(0));
        assertTrue(down.adminUp());
        assertTrue(!down.usable());
    }

    @Test
    void ipv4HeaderParse() {
        byte[] p = new byte[28];
        p[0] = 0x45;
        p[3] = 28;
        p[8] = (byte) 255;
        p[9] = 112;
        p[12] = 10;
        p[15] = 1;
        p[16] = (byte) 224;
        p[19] = 18;
        Ipv4Header h = Ipv4Header.parse(p, p.length);
        assertEquals(20, h.headerLength());
        assertEquals(8, h.payloadLength());
        assertEquals(255, h.ttl());
        assertEquals("10.0.0.1", h.source().getHostAddress());
        assertEquals("224.0.0.18", h.destination().getHostAddress());
        assertNull(Ipv4Header.parse(p, 12));
        p[0] = 0x4f; // IHL 60 > length
        assertNull(Ipv4Header.parse(p, p.length));
    }
}
