package org.jkeepalived.healthcheck.bfd;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jkeepalived.core.config.BfdInstance;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.time.MonotonicClock;
import org.jkeepalived.healthcheck.check.NettyProbeFactory;
import org.jkeepalived.healthcheck.nativeio.UdpTtlSocket;
import org.junit.jupiter.api.Test;

/** A reload with the same bfd_instances keeps the running sessions; a changed one does not. */
class BfdReloadTest {

    static KeepalivedConfig config(BfdInstance... bfds) {
        return new KeepalivedConfig(null, null, null, null, null, null, null, null, null, null, null, List.of(bfds));
    }

    @Test
    void sameInstancesAreHandedOnOthersAreNot() throws Exception {
        AtomicInteger closed = new AtomicInteger();
        UdpTtlSocket.Opener opener = (v6, bind, port, ttl) -> new UdpTtlSocket() {
            @Override public int localPort() { return port; }

            @Override public void send(InetAddress to, int p, byte[] data) {}

            @Override public Received receive(int timeoutMillis) throws java.io.IOException {
                try {
                    Thread.sleep(timeoutMillis);
                } catch (InterruptedException e) {
                    throw new java.io.IOException(e);
                }
                return null;
            }

            @Override public void close() {
                closed.incrementAndGet();
            }
        };
        BfdInstance b1 = BfdInstance.of("b1", InetAddress.getByName("10.0.0.2"), null);
        BfdInstance b2 = BfdInstance.of("b2", InetAddress.getByName("10.0.0.3"), null);
        BfdInstance vrrpOnly = new BfdInstance("v", InetAddress.getByName("10.0.0.4"), null, b1.minRx(), b1.minTx(),
                b1.idleTx(), 3, false, 255, 0, 0, false, true, false);
        KeepalivedConfig cfg = config(b1);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            BfdService bfd = new BfdService(List.of(b1), null, MonotonicClock.SYSTEM, opener);
            bfd.start();
            NettyProbeFactory first = new NettyProbeFactory(group, null, cfg, 1024, bfd, true);
            assertNull(first.handOverBfd(config(b1, b2)), "another set of sessions: start afresh");
            assertSame(bfd, first.handOverBfd(config(b1, vrrpOnly)), "vrrp-only instances are not the checkers'");
            first.close();
            Thread.sleep(100);
            org.junit.jupiter.api.Assertions.assertEquals(0, closed.get(), "handed on: not closed with the old factory");
            NettyProbeFactory second = new NettyProbeFactory(group, null, config(b1), 1024, bfd, true);
            second.close();
            org.junit.jupiter.api.Assertions.assertEquals(2, closed.get(), "closed with its new owner (send + listen)");
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
