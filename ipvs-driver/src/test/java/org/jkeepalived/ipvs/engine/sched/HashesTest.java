package org.jkeepalived.ipvs.engine.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class HashesTest {

    @Test void addressFoldIsHostOrderAndXorsIpv6Words() throws Exception {
        assertEquals(0x0a000001, Hashes.addrFold(InetAddress.getByName("10.0.0.1")));
        assertEquals(0x20010db8 ^ 0 ^ 0 ^ 1, Hashes.addrFold(InetAddress.getByName("2001:db8::1")));
    }

    @Test void hash32IsTheKernelsMultiplicativeHash() {
        // hash_32(1, 8) = (0x61C88647 * 1) >> 24
        assertEquals(0x61, Hashes.hash32(1, 8));
        assertEquals((int) ((0x0a000001L * 0x61C88647L & 0xffffffffL) >>> 24), Hashes.hash32(0x0a000001, 8));
    }
}
