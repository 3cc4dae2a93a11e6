package org.jkeepalived.healthcheck.nativeio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Loopback only: source ports in 49152-65535, the TTL we set is the TTL the receiver is told. */
class UdpTtlSocketTest {

    @Test
    void reportsTheReceivedTtlIpv4() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        try (UdpTtlSocket rx = UdpTtlSocket.SYSTEM.open(false, lo, 0, 255);
             UdpTtlSocket tx255 = UdpTtlSocket.SYSTEM.open(false, lo, 0, 255);
             UdpTtlSocket tx7 = UdpTtlSocket.SYSTEM.open(false, lo, 0, 7)) {
            for (UdpTtlSocket s : new UdpTtlSocket[] {rx, tx255, tx7}) {
                assertTrue(s.localPort() >= 49152 && s.localPort() <= 65535, "port " + s.localPort());
            }
            tx255.send(lo, rx.localPort(), new byte[] {1, 2, 3});
            UdpTtlSocket.Received m = rx.receive(1000);
            assertNotNull(m);
            assertEquals(255, m.ttl());
            assertEquals(tx255.localPort(), m.fromPort());
            assertEquals(lo, m.from());
            assertArrayEquals(new byte[] {1, 2, 3}, m.data());
            tx7.send(lo, rx.localPort(), new byte[] {4});
            assertEquals(7, rx.receive(1000).ttl());
            assertNull(rx.receive(50), "nothing more: a timeout is null");
        }
    }

    @Test
    void reportsTheReceivedHopLimitIpv6() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(java.nio.file.Path.of("/proc/net/if_inet6")),
                "no IPv6");
        InetAddress lo = InetAddress.getByName("::1");
        try (UdpTtlSocket rx = UdpTtlSocket.SYSTEM.open(true, lo, 0, 64);
             UdpTtlSocket tx = UdpTtlSocket.SYSTEM.open(true, lo, 0, 200)) {
            tx.send(lo, rx.localPort(), new byte[] {9});
            UdpTtlSocket.Received m = rx.receive(1000);
            assertNotNull(m);
            assertEquals(200, m.ttl());
            assertEquals(lo, m.from());
        }
    }
}
