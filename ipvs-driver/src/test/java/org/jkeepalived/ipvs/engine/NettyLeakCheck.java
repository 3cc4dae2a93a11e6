package org.jkeepalived.ipvs.engine;

import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class under Netty's PARANOID leak detection (every buffer tracked, not 1 in 128) and
 * fails it when any buffer was garbage-collected unreleased. The daemon turns leak detection off for
 * speed (the sampled tracker's stack walks cost about 1.5 % of the engine's CPU under load), so
 * these tests are where a buffer the relay forgets to release is caught.
 */
final class NettyLeakCheck implements BeforeAllCallback, AfterAllCallback {
    static final List<String> LEAKS = new CopyOnWriteArrayList<>();
    private static volatile boolean listening;
    private ResourceLeakDetector.Level before;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        before = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        listen();
        sweep(); // leaks of earlier classes in this JVM are theirs, not this class's
        LEAKS.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            sweep();
            if (!LEAKS.isEmpty()) {
                fail(LEAKS.size() + " buffer(s) garbage-collected without release(), first:\n" + LEAKS.get(0));
            }
        } finally {
            LEAKS.clear();
            ResourceLeakDetector.setLevel(before);
        }
    }

    /** The ByteBuf detector is a static of AbstractByteBuf, created when the class loads; its listener is per instance. */
    static synchronized void listen() throws ReflectiveOperationException {
        if (listening) return;
        Field f = AbstractByteBuf.class.getDeclaredField("leakDetector");
        f.setAccessible(true);
        @SuppressWarnings("unchecked")
        ResourceLeakDetector<ByteBuf> detector = (ResourceLeakDetector<ByteBuf>) f.get(null);
        detector.setLeakListener((type, records) -> LEAKS.add(type + ": " + records));
        listening = true;
    }

    /**
     * Lets the collector find unreachable buffers, then allocates: the detector reports what the
     * collector queued only when it tracks a new buffer.
     */
    static void sweep() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50);
            for (int j = 0; j < 4; j++) {
                PooledByteBufAllocator.DEFAULT.directBuffer(16).release();
                UnpooledByteBufAllocator.DEFAULT.heapBuffer(16).release();
                io.netty.buffer.ByteBufAllocator.DEFAULT.directBuffer(16).release();
            }
        }
    }
}
