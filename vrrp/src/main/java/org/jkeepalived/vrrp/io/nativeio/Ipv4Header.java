package org.jkeepalived.vrrp.io.nativeio;

import java.net.InetAddress;

/** The fields of a received IPv4 header the VRRP engine needs (a raw IPv4 socket returns it). */
record Ipv4Header(int headerLength, int payloadLength, int ttl, int protocol, InetAddress source,
                  InetAddress destination) {

    /** Null when {@code len} bytes cannot hold the header they announce. */
    static Ipv4Header parse(byte[] b, int len) {
        if (len < 20 || (b[0] & 0xf0) != 0x40) {
            return null;
        }
        int ihl = (b[0] & 0x0f) * 4;
        int total = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        if (ihl < 20 || ihl > len) {
            return null;
        }
        // the kernel hands raw sockets the whole datagram; trust the shorter of the two lengths
        int end = total >= ihl && total <= len ? total : len;
        return new Ipv4Header(ihl, end - ihl, b[8] & 0xff, b[9] & 0xff, Structs.inet(b, 12, 4),
                Structs.inet(b, 16, 4));
    }
}
