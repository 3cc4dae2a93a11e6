package org.jkeepalived.ipvs.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

/** The leak check the engine tests run under must see a leak, or it proves nothing. */
class NettyLeakCheckTest {
    @Test
    void anUnreleasedBufferIsReported() throws Exception {
        ResourceLeakDetector.Level before = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        try {
            NettyLeakCheck.listen();
            NettyLeakCheck.sweep();
            NettyLeakCheck.LEAKS.clear();
            leak();
            NettyLeakCheck.sweep();
            assertTrue(NettyLeakCheck.LEAKS.stream().anyMatch(l -> l.startsWith("ByteBuf")), NettyLeakCheck.LEAKS.toString());
        } finally {
            NettyLeakCheck.LEAKS.clear();
            ResourceLeakDetector.setLevel(before);
        }
    }

    private static void leak() {
        ByteBuf b = ByteBufAllocator.DEFAULT.directBuffer(64);
        b.writeLong(42);
    }
}
