package org.jkeepalived.healthcheck.bfd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jkeepalived.core.config.BfdInstance;
import org.jkeepalived.core.time.FakeClock;
import org.junit.jupiter.api.Test;

/** Two sessions wired back to back on one fake clock. */
class BfdSessionTest {
    final FakeClock clock = new FakeClock();
    final List<String> events = new ArrayList<>();
    final List<BfdPacket> sentByA = new ArrayList<>();
    boolean linkUp = true;

    static BfdInstance cfg(String name, int mult, long minRxMs, long minTxMs, boolean passive) throws Exception {
        return new BfdInstance(name, InetAddress.getByName("10.0.0.2"), null, Duration.ofMillis(minRxMs),
                Duration.ofMillis(minTxMs), Duration.ofMillis(1000), mult, passive, 255, 0, 0, false, false, false);
    }

    BfdSession session(BfdInstance c, long disc) {
        return new BfdSession(c, disc, clock, new Random(disc),
                (s, from, to, diag) -> events.add(s.name() + " " + from.label + ">" + to.label + " diag " + diag));
    }

    /** Advance the clock deadline by deadline, delivering packets both ways, until {@code until}. */
    void run(BfdSession a, BfdSession b, Duration until) {
        long end = clock.nanoTime() + until.toNanos();
        while (true) {
            long next = Math.min(a.nextDeadlineNanos(), b.nextDeadlineNanos());
            if (next > end) break;
            if (next > clock.nanoTime()) clock.advanceNanos(next - clock.nanoTime());
            deliver(a, b, a.tick(), true);
            deliver(b, a, b.tick(), false);
        }
        clock.advanceNanos(end - clock.nanoTime());
    }

    void deliver(BfdSession from, BfdSession to, List<BfdPacket> ps, boolean fromA) {
        for (BfdPacket p : ps) {
            if (fromA) sentByA.add(p);
            if (System.getenv("BFD_TRACE") != null) System.out.println(clock.nanoTime() / 1e6 + " " + from.name() + " -> " + p);
            if (!linkUp) continue;
            deliver(to, from, to.receive(p), !fromA);
        }
    }

    @Test
    void threeWayHandshakeThenDetectionOnSilence() throws Exception {
        BfdSession a = session(cfg("A", 3, 100, 100, false), 11);
        BfdSession b = session(cfg("B", 5, 200, 50, false), 22);
        deliver(a, b, a.start(), true);
        deliver(b, a, b.start(), false);
        run(a, b, Duration.ofSeconds(3));
        assertEquals(BfdState.UP, a.state());
        assertEquals(BfdState.UP, b.state());
        assertEquals(22, a.remoteDiscriminator());
        assertEquals(11, b.remoteDiscriminator());
        assertTrue(events.contains("A Down>Init diag 0") || events.contains("A Down>Up diag 0"), events.toString());
        // the Poll sequences finished: the Up rates are in force
        assertFalse(a.polling());
        assertFalse(b.polling());
        assertEquals(200_000, a.txIntervalUs()); // max(own 100 ms, B wants 200 ms between packets)
        assertEquals(100_000, b.txIntervalUs());
        // A's detection time: B's multiplier 5 x max(A's min_rx 100, B's min_tx 50) = 500 ms
        assertEquals(500_000, a.detectionTimeUs());
        assertEquals(600_000, b.detectionTimeUs());

        linkUp = false;
        long cut = clock.nanoTime();
        long downAt = -1;
        while (a.state() == BfdState.UP) {
            clock.advance(Duration.ofMillis(1));
            a.tick();
            b.tick();
            downAt = clock.nanoTime();
        }
        assertEquals(BfdState.DOWN, a.state());
        assertEquals(BfdPacket.DIAG_DETECT_EXPIRED, a.diag());
        assertTrue(downAt - cut <= 500_000_000L, "down after " + (downAt - cut) / 1e6 + " ms");
        assertEquals(0, a.remoteDiscriminator());
    }

    @Test
    void remoteSignallingDownTakesUsDown() throws Exception {
        BfdSession a = session(cfg("A", 3, 100, 100, false), 1);
        BfdSession b = session(cfg("B", 3, 100, 100, false), 2);
        deliver(a, b, a.start(), true);
        deliver(b, a, b.start(), false);
        run(a, b, Duration.ofSeconds(3));
        assertEquals(BfdState.UP, a.state());
        a.receive(new BfdPacket(3, BfdState.DOWN, false, false, false, false, 3, 2, 1, 1_000_000, 100_000, 0));
        assertEquals(BfdState.DOWN, a.state());
        assertEquals(BfdPacket.DIAG_NEIGHBOR_DOWN, a.diag());
        a.receive(new BfdPacket(7, BfdState.ADMIN_DOWN, false, false, false, false, 3, 2, 1, 1_000_000, 100_000, 0));
        assertEquals(BfdState.DOWN, a.state());
        // and it comes back by itself
        run(a, b, Duration.ofSeconds(5));
        assertEquals(BfdState.UP, a.state());
        assertEquals(BfdState.UP, b.state());
    }

    @Test
    void passiveWaitsForTheRemote() throws Exception {
        BfdSession a = session(cfg("A", 3, 100, 100, true), 1);
        assertTrue(a.start().isEmpty());
        assertEquals(Long.MAX_VALUE, a.nextDeadlineNanos());
        List<BfdPacket> answer = a.receive(new BfdPacket(0, BfdState.DOWN, false, false, false, false, 3, 9, 0,
                1_000_000, 100_000, 0));
        assertTrue(answer.isEmpty());
        assertEquals(BfdState.INIT, a.state());
        assertEquals(clock.nanoTime(), a.nextDeadlineNanos()); // answers at once
        BfdPacket p = a.tick().get(0);
        assertEquals(9, p.yourDisc());
        assertEquals(BfdState.INIT, p.state());
    }

    @Test
    void answersAPollWithAFinalAndHonoursRemoteRates() throws Exception {
        BfdSession a = session(cfg("A", 3, 100, 100, false), 1);
        a.start();
        List<BfdPacket> out = a.receive(new BfdPacket(0, BfdState.DOWN, true, false, false, false, 4, 9, 0,
                1_000_000, 2_000_000, 0));
        assertEquals(1, out.size());
        assertTrue(out.get(0).fin());
        assertFalse(out.get(0).poll());
        // the remote wants at least 2 s between packets; we are not Up so we advertise 1 s idle
        assertEquals(2_000_000, a.txIntervalUs());
        assertEquals(1_000_000, a.packet(false, false).desiredMinTxUs());
        assertEquals(4 * 1_000_000, a.detectionTimeUs());
    }

    @Test
    void transmitsWithJitterBetween75And100Percent() throws Exception {
        BfdSession a = session(cfg("A", 3, 100, 100, false), 1);
        a.start();
        long last = clock.nanoTime();
        for (int i = 0; i < 50; i++) {
            long next = a.nextDeadlineNanos();
            long gap = next - last;
            assertTrue(gap >= 750_000_000L && gap <= 1_000_000_000L, "gap " + gap);
            clock.advanceNanos(next - clock.nanoTime());
            assertEquals(1, a.tick().size());
            last = next;
        }
    }

    @Test
    void packetsForAnotherDiscriminatorAreIgnored() throws Exception {
        BfdSession a = session(cfg("A", 3, 100, 100, false), 1);
        a.start();
        a.receive(new BfdPacket(0, BfdState.DOWN, false, false, false, false, 3, 9, 77, 1_000_000, 100_000, 0));
        assertEquals(BfdState.DOWN, a.state());
        assertEquals(0, a.remoteDiscriminator());
    }
}
