package org.jkeepalived.healthcheck.bfd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jkeepalived.core.config.BfdInstance;
import org.jkeepalived.core.time.MonotonicClock;
import org.jkeepalived.healthcheck.nativeio.UdpTtlSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The service's demultiplexing and single-hop checks, over in-memory sockets. */
class BfdServiceTest {
    final BlockingQueue<UdpTtlSocket.Received> inbound = new LinkedBlockingQueue<>();
    final List<String> sent = new CopyOnWriteArrayList<>();
    final List<Integer> opened = new CopyOnWriteArrayList<>();
    BfdService svc;

    final UdpTtlSocket.Opener opener = (v6, bind, port, ttl) -> {
        opened.add(port);
        return new UdpTtlSocket() {
            @Override public int localPort() { return port == 0 ? 50000 : port; }

            @Override public void send(InetAddress to, int p, byte[] data) {
                sent.add(to.getHostAddress() + ":" + p + " ttl " + ttl + " " + data.length);
            }

            @Override public Received receive(int timeoutMillis) throws java.io.IOException {
                if (port != BfdService.PORT) return null;
                try {
                    return inbound.poll(timeoutMillis, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    throw new java.io.IOException(e);
                }
            }

            @Override public void close() {}
        };
    };

    @AfterEach
    void close() {
        if (svc != null) svc.close();
    }

    static BfdInstance cfg(int maxHops) throws Exception {
        return new BfdInstance("b1", InetAddress.getByName("10.0.0.2"), null, Duration.ofMillis(100),
                Duration.ofMillis(100), Duration.ofMillis(1000), 3, false, 255, maxHops, 0, false, false, false);
    }

    static byte[] down(long myDisc) {
        return new BfdPacket(0, BfdState.DOWN, false, false, false, false, 3, myDisc, 0, 1_000_000, 100_000, 0).encode();
    }

    void await(java.util.function.BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + 2_000_000_000L;
        while (!c.getAsBoolean() && System.nanoTime() < end) Thread.sleep(5);
    }

    @Test
    void singleHopWantsTtl255AndTheNeighborsAddress() throws Exception {
        svc = new BfdService(List.of(cfg(0)), null, MonotonicClock.SYSTEM, opener);
        svc.start();
        await(() -> !sent.isEmpty());
        assertEquals("10.0.0.2:3784 ttl 255 24", sent.get(0), "to port 3784 with TTL 255 at once");
        assertTrue(opened.contains(BfdService.PORT) && opened.contains(0), "listens on 3784, sends from 49152-65535");
        inbound.add(new UdpTtlSocket.Received(InetAddress.getByName("10.0.0.2"), 50001, 254, down(77)));
        inbound.add(new UdpTtlSocket.Received(InetAddress.getByName("10.0.0.3"), 50001, 255, down(78)));
        inbound.add(new UdpTtlSocket.Received(InetAddress.getByName("10.0.0.2"), 50001, 255, new byte[] {1, 2, 3}));
        Thread.sleep(300);
        assertEquals(BfdState.DOWN, svc.state("b1"), "TTL 254, a stranger and garbage are all discarded");
        inbound.add(new UdpTtlSocket.Received(InetAddress.getByName("10.0.0.2"), 50001, 255, down(79)));
        await(() -> svc.state("b1") == BfdState.INIT);
        assertEquals(BfdState.INIT, svc.state("b1"));
        assertNull(svc.state("nosuch"));
    }

    @Test
    void maxHopsLowersTheTtlWanted() throws Exception {
        svc = new BfdService(List.of(cfg(2)), null, MonotonicClock.SYSTEM, opener);
        List<BfdState> seen = new CopyOnWriteArrayList<>();
        svc.addListener((n, s) -> seen.add(s));
        svc.start();
        inbound.add(new UdpTtlSocket.Received(InetAddress.getByName("10.0.0.2"), 50001, 252, down(5)));
        Thread.sleep(300);
        assertEquals(BfdState.DOWN, svc.state("b1"));
        inbound.add(new UdpTtlSocket.Received(InetAddress.getByName("10.0.0.2"), 50001, 253, down(5)));
        await(() -> svc.state("b1") == BfdState.INIT);
        assertEquals(List.of(BfdState.INIT), seen);
    }
}
