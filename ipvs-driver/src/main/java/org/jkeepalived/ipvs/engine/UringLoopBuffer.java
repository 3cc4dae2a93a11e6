package org.jkeepalived.ipvs.engine;

import io.netty.util.internal.PlatformDependent;

/**
 * The read buffer every direct-relay connection of one event loop shares: a read is written on to the
 * other socket before the loop does anything else, so one buffer per thread serves them all. 128 KB,
 * the reads a bulk download grows to on the Netty path (half as many reads and writes per byte as 64 KB).
 */
final class UringLoopBuffer {
    static final int CAPACITY = 128 * 1024;
    private final long address;

    UringLoopBuffer() {
        this.address = PlatformDependent.allocateMemory(CAPACITY);
    }

    long address() {
        return address;
    }

    int capacity() {
        return CAPACITY;
    }

    /** After the loop stopped. */
    void free() {
        PlatformDependent.freeMemory(address);
    }
}
