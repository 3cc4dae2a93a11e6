package org.jkeepalived.healthcheck.bfd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BfdPacketTest {

    private static final BfdPacket P = new BfdPacket(3, BfdState.UP, true, false, false, false, 5, 0x01020304L,
            0xFFFFFFFEL, 1_000_000, 10_000, 0);

    @Test
    void encodesTheMandatorySection() {
        byte[] b = P.encode();
        assertEquals(24, b.length);
        assertArrayEquals(new byte[] {0x23, (byte) 0xe0, 5, 24, 1, 2, 3, 4, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                (byte) 0xfe, 0, 0x0f, 0x42, 0x40, 0, 0, 0x27, 0x10, 0, 0, 0, 0}, b);
    }

    @Test
    void roundTrips() throws Exception {
        assertEquals(P, BfdPacket.decode(P.encode(), 24));
        BfdPacket fin = new BfdPacket(0, BfdState.INIT, false, true, true, true, 255, 7, 9, 0xFFFFFFFFL, 0, 1);
        assertEquals(fin, BfdPacket.decode(fin.encode(), 24));
        // trailing bytes past the length field are ignored
        byte[] longer = java.util.Arrays.copyOf(P.encode(), 40);
        assertEquals(P, BfdPacket.decode(longer, 40));
    }

    private static String reject(byte[] b, int len) {
        return assertThrows(BfdPacket.Invalid.class, () -> BfdPacket.decode(b, len)).getMessage();
    }

    @Test
    void rejectsWhatRfc5880Section686Discards() {
        assertTrue(reject(P.encode(), 23).contains("short"));
        byte[] b = P.encode();
        b[0] = (byte) (2 << 5);
        assertTrue(reject(b, 24).contains("version"));
        b = P.encode();
        b[3] = 20;
        assertTrue(reject(b, 24).contains("length"));
        b = P.encode();
        b[3] = 30;
        assertTrue(reject(b, 24).contains("beyond"));
        b = P.encode();
        b[2] = 0;
        assertTrue(reject(b, 24).contains("multiplier"));
        b = P.encode();
        b[1] |= 0x01;
        assertTrue(reject(b, 24).contains("multipoint"));
        b = new BfdPacket(0, BfdState.DOWN, false, false, false, false, 3, 0, 0, 1, 1, 0).encode();
        assertTrue(reject(b, 24).contains("my discriminator"));
        b = new BfdPacket(0, BfdState.UP, false, false, false, false, 3, 5, 0, 1, 1, 0).encode();
        assertTrue(reject(b, 24).contains("your discriminator"));
        b = P.encode();
        b[1] |= 0x04;
        b[3] = 26;
        assertTrue(reject(java.util.Arrays.copyOf(b, 26), 26).contains("authentication"));
    }

    @Test
    void yourDiscriminatorZeroIsFineWhileDown() throws Exception {
        BfdPacket down = new BfdPacket(0, BfdState.DOWN, false, false, false, false, 3, 5, 0, 1_000_000, 10_000, 0);
        assertEquals(down, BfdPacket.decode(down.encode(), 24));
    }
}
