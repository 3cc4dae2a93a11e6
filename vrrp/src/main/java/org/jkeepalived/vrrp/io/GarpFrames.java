package org.jkeepalived.vrrp.io;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.ByteBuffer;

/** Ethernet frames for gratuitous ARP and unsolicited NA (pure, so tests can check every byte). */
public final class GarpFrames {
    public static final int ETH_P_ARP = 0x0806;
    public static final int ETH_P_IPV6 = 0x86dd;
    public static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};
    /** 33:33:00:00:00:01, the Ethernet multicast address of ff02::1. */
    public static final byte[] ALL_NODES_MAC = {0x33, 0x33, 0, 0, 0, 1};
    public static final byte[] ALL_NODES = {(byte) 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

    private GarpFrames() {}

    /**
     * A gratuitous ARP request as RFC 5227 calls an announcement: broadcast, sender and target IP
     * both the VIP, sender MAC ours. Linux neighbours update an existing entry from it at once
     * (it bypasses locktime); padded to the 60-byte Ethernet minimum.
     */
    public static byte[] garp(byte[] mac, Inet4Address vip) {
        ByteBuffer b = ByteBuffer.allocate(60);
        b.put(BROADCAST).put(mac).putShort((short) ETH_P_ARP);
        b.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 1);
        b.put(mac).put(vip.getAddress());
        b.put(new byte[6]).put(vip.getAddress());
        return b.array();
    }

    /**
     * An unsolicited neighbour advertisement: Ethernet to 33:33:00:00:00:01, IPv6 from the VIP to
     * ff02::1 with hop limit 255 (receivers drop NAs with any other), ICMPv6 type 136 with only the
     * override flag, and a target link-layer address option carrying our MAC.
     */
    public static byte[] unsolicitedNa(byte[] mac, Inet6Address vip) {
        byte[] icmp = new byte[32];
        ByteBuffer i = ByteBuffer.wrap(icmp);
        i.put((byte) 136).put((byte) 0).putShort((short) 0);
        i.put((byte) 0x20).put(new byte[3]); // R=0 S=0 O=1
        i.put(vip.getAddress());
        i.put((byte) 2).put((byte) 1).put(mac); // target link-layer address, 1 x 8 bytes
        int sum = icmpv6Checksum(vip.getAddress(), ALL_NODES, icmp);
        i.putShort(2, (short) sum);

        ByteBuffer b = ByteBuffer.allocate(14 + 40 + icmp.length);
        b.put(ALL_NODES_MAC).put(mac).putShort((short) ETH_P_IPV6);
        b.putInt(0x60000000).putShort((short) icmp.length).put((byte) 58).put((byte) 255);
        b.put(vip.getAddress()).put(ALL_NODES);
        b.put(icmp);
        return b.array();
    }

    /** RFC 4443 checksum: one's complement sum over the IPv6 pseudo-header and the message. */
    public static int icmpv6Checksum(byte[] src, byte[] dst, byte[] icmp) {
        long sum = 0;
        sum += sum16(src) + sum16(dst);
        sum += icmp.length;
        sum += 58;
        sum += sum16(icmp);
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        int r = (int) (~sum & 0xffff);
        return r == 0 ? 0xffff : r;
    }

    private static long sum16(byte[] b) {
        long s = 0;
        for (int k = 0; k + 1 < b.length; k += 2) {
            s += ((b[k] & 0xff) << 8) | (b[k + 1] & 0xff);
        }
        if (b.length % 2 == 1) {
            s += (b[b.length - 1] & 0xff) << 8;
        }
        return s;
    }
}
