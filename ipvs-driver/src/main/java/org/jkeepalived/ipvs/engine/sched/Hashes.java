package org.jkeepalived.ipvs.engine.sched;

import java.net.InetAddress;

/** The kernel's hash helpers the hashing schedulers depend on. */
final class Hashes {
    private Hashes() {}

    static final int GOLDEN_RATIO_32 = 0x61C88647;

    /** The address folded to 32 bits in host order: IPv4 as is, IPv6 as the XOR of its four words. */
    static int addrFold(InetAddress a) {
        byte[] b = a.getAddress();
        int v = 0;
        for (int i = 0; i < b.length; i += 4) {
            v ^= ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
        }
        return v;
    }

    /** linux/hash.h hash_32: multiplicative hash keeping the top {@code bits} bits. */
    static int hash32(int val, int bits) {
        return (val * GOLDEN_RATIO_32) >>> (32 - bits);
    }

    /**
     * The kernel's hsiphash of one u32 on 64-bit builds, where it is SipHash-1-3 with a 64-bit key pair,
     * truncated to 32 bits.
     */
    static int hsiphash32(int value, long k0, long k1) {
        long v0 = 0x736f6d6570736575L ^ k0;
        long v1 = 0x646f72616e646f6dL ^ k1;
        long v2 = 0x6c7967656e657261L ^ k0;
        long v3 = 0x7465646279746573L ^ k1;
        long b = (4L << 56) | (value & 0xffffffffL);
        v3 ^= b;
        // one compression round
        v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
        v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
        v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
        v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        v0 ^= b;
        v2 ^= 0xff;
        for (int i = 0; i < 3; i++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return (int) ((v0 ^ v1) ^ (v2 ^ v3));
    }

    static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
