package org.jkeepalived.ipvs.engine.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jkeepalived.core.table.Destination;
import org.jkeepalived.core.time.FakeClock;
import org.junit.jupiter.api.Test;

class SchedulerTest {

    static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static DestState dest(String addr, int weight) {
        return new DestState(new Destination.DestinationKey(ip(addr), 80), weight, 0, 0);
    }

    static ClientKey client(String src) {
        return new ClientKey(ip(src), 40000, ip("10.0.0.1"), 80);
    }

    static ClientKey client(String src, int port, String vip) {
        return new ClientKey(ip(src), port, ip(vip), 80);
    }

    static String seq(Scheduler s, List<DestState> ds, int n, Map<DestState, String> names) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            DestState d = s.pick(ds, client("192.0.2.1"));
            b.append(d == null ? "-" : names.get(d));
        }
        return b.toString();
    }

    static Map<DestState, String> names(List<DestState> ds) {
        Map<DestState, String> m = new HashMap<>();
        for (int i = 0; i < ds.size(); i++) m.put(ds.get(i), String.valueOf((char) ('A' + i)));
        return m;
    }

    @Test void rrCyclesAndSkipsWeightZeroAndOverloaded() {
        List<DestState> ds = List.of(dest("10.1.0.1", 1), dest("10.1.0.2", 5), dest("10.1.0.3", 1));
        Scheduler rr = new RoundRobin();
        rr.destinationsChanged(ds);
        assertEquals("ABCABC", seq(rr, ds, 6, names(ds)));
        ds.get(1).setWeight(0);
        assertEquals("ACAC", seq(rr, ds, 4, names(ds)));
        ds.get(0).setExcluded(true);
        assertEquals("CCC", seq(rr, ds, 3, names(ds)));
        ds.get(2).setWeight(0);
        assertNull(rr.pick(ds, client("192.0.2.1")));
    }

    @Test void wrrFollowsTheKernelSequenceForWeights432() {
        List<DestState> ds = List.of(dest("10.1.0.1", 4), dest("10.1.0.2", 3), dest("10.1.0.3", 2));
        Scheduler wrr = new WeightedRoundRobin();
        wrr.destinationsChanged(ds);
        // cw steps 4,3,2,1: {A} {A,B} {A,B,C} {A,B,C}
        assertEquals("AABABCABC".repeat(3), seq(wrr, ds, 27, names(ds)));
    }

    @Test void wrrStepsByTheGcd() {
        List<DestState> ds = List.of(dest("10.1.0.1", 4), dest("10.1.0.2", 2));
        Scheduler wrr = new WeightedRoundRobin();
        wrr.destinationsChanged(ds);
        // gcd 2, mw = 4 - (2 - 1) = 3: cw 3 -> {A}, cw 1 -> {A,B}
        assertEquals("AABAAB", seq(wrr, ds, 6, names(ds)));
        ds.get(0).setWeight(0);
        wrr.destinationsChanged(ds);
        assertEquals("BBB", seq(wrr, ds, 3, names(ds)));
        ds.get(1).setWeight(0);
        wrr.destinationsChanged(ds);
        assertNull(wrr.pick(ds, client("192.0.2.1")));
    }

    @Test void wrrSkipsOverloadedServers() {
        List<DestState> ds = List.of(dest("10.1.0.1", 3), dest("10.1.0.2", 1));
        Scheduler wrr = new WeightedRoundRobin();
        wrr.destinationsChanged(ds);
        ds.get(0).setExcluded(true);
        assertEquals("BBBB", seq(wrr, ds, 4, names(ds)));
        ds.get(1).setExcluded(true);
        assertNull(wrr.pick(ds, client("192.0.2.1")));
    }

    @Test void lcPicksTheLeastOverheadAndCountsActiveAs256() {
        DestState a = dest("10.1.0.1", 1), b = dest("10.1.0.2", 100), c = dest("10.1.0.3", 1);
        List<DestState> ds = List.of(a, b, c);
        a.bind(false);
        a.activate();                 // a: 1 active = 256
        for (int i = 0; i < 255; i++) b.bind(false); // b: 255 inactive
        for (int i = 0; i < 300; i++) c.bind(false); // c: 300 inactive
        assertEquals(256, a.overhead());
        assertSame(b, new LeastConnection().pick(ds, client("192.0.2.1")));
        b.bind(false);
        assertSame(a, new LeastConnection().pick(ds, client("192.0.2.1")), "tie keeps the first");
        a.setWeight(0);
        assertSame(b, new LeastConnection().pick(ds, client("192.0.2.1")));
    }

    @Test void wlcDistributesByWeight() {
        DestState a = dest("10.1.0.1", 1), b = dest("10.1.0.2", 3);
        List<DestState> ds = List.of(a, b);
        Scheduler wlc = new WeightedLeastConnection();
        for (int i = 0; i < 400; i++) {
            DestState d = wlc.pick(ds, client("192.0.2.1"));
            d.bind(false);
            d.activate();
        }
        assertEquals(100, a.activeConns());
        assertEquals(300, b.activeConns());
    }

    @Test void sedAndNqDiffer() {
        DestState a = dest("10.1.0.1", 10), b = dest("10.1.0.2", 1);
        List<DestState> ds = List.of(a, b);
        a.bind(false);
        a.activate();
        // sed: a (1+1)/10 beats b (0+1)/1
        assertSame(a, new ShortestExpectedDelay().pick(ds, client("192.0.2.1")));
        // nq: b is idle, so it gets the connection without queueing
        assertSame(b, new NeverQueue().pick(ds, client("192.0.2.1")));
        b.bind(false);
        b.activate();
        // both busy: nq behaves as sed, (1+1)/10 < (1+1)/1
        assertSame(a, new NeverQueue().pick(ds, client("192.0.2.1")));
    }

    @Test void foTakesTheHighestWeightAvailable() {
        DestState a = dest("10.1.0.1", 5), b = dest("10.1.0.2", 10), c = dest("10.1.0.3", 10);
        List<DestState> ds = List.of(a, b, c);
        Scheduler fo = new WeightedFailover();
        assertSame(b, fo.pick(ds, client("192.0.2.1")));
        b.setExcluded(true);
        assertSame(c, fo.pick(ds, client("192.0.2.1")));
        c.setWeight(0);
        assertSame(a, fo.pick(ds, client("192.0.2.1")));
    }

    @Test void ovfOverflowsWhenActiveReachesWeight() {
        DestState a = dest("10.1.0.1", 2), b = dest("10.1.0.2", 1);
        List<DestState> ds = List.of(a, b);
        Scheduler ovf = new WeightedOverflow();
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            DestState d = ovf.pick(ds, client("192.0.2.1"));
            if (d == null) {
                s.append('-');
                continue;
            }
            s.append(d == a ? 'A' : 'B');
            d.bind(false);
            d.activate();
        }
        assertEquals("AAB-", s.toString());
    }

    @Test void thresholdsFollowTheKernelOverloadFlag() {
        DestState d = new DestState(new Destination.DestinationKey(ip("10.1.0.1"), 80), 1, 4, 0);
        for (int i = 0; i < 3; i++) d.bind(false);
        assertFalse(d.overloaded());
        d.bind(false);
        assertTrue(d.overloaded(), "4 >= u_threshold 4");
        d.unbind(false);
        assertTrue(d.overloaded(), "3*4 = 12 is not < 4*3 = 12");
        d.unbind(false);
        assertFalse(d.overloaded(), "2*4 < 12: below 3/4 of u_threshold");

        DestState e = new DestState(new Destination.DestinationKey(ip("10.1.0.2"), 80), 1, 4, 2);
        for (int i = 0; i < 4; i++) e.bind(false);
        assertTrue(e.overloaded());
        e.unbind(false);
        e.unbind(false);
        assertTrue(e.overloaded(), "2 is not below l_threshold 2");
        e.unbind(false);
        assertFalse(e.overloaded());
        Scheduler rr = new RoundRobin();
        for (int i = 0; i < 4; i++) e.bind(false);
        assertNull(rr.pick(List.of(e), client("192.0.2.1")));
        e.update(1, 10, 0);
        assertFalse(e.overloaded(), "raising u_threshold above the count clears the flag");
    }

    @Test void dhHashesTheDestinationAddress() {
        List<DestState> ds = List.of(dest("10.1.0.1", 1), dest("10.1.0.2", 1), dest("10.1.0.3", 1));
        Scheduler dh = new DestinationHashing();
        dh.destinationsChanged(ds);
        Map<DestState, Integer> seen = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            String vip = "10.9." + (i / 250) + "." + (i % 250 + 1);
            DestState d1 = dh.pick(ds, client("192.0.2.1", 1000, vip));
            DestState d2 = dh.pick(ds, client("198.51.100.7", 2000, vip));
            assertSame(d1, d2, "same destination address, same server, whatever the client");
            seen.merge(d1, 1, Integer::sum);
        }
        assertEquals(3, seen.size());
        // bucket i holds server i % 3 and the index is hash_32(daddr, 8)
        InetAddress vip = ip("10.9.0.7");
        int bucket = Hashes.hash32(Hashes.addrFold(vip), 8);
        assertSame(ds.get(bucket % 3), dh.pick(ds, client("192.0.2.1", 1, "10.9.0.7")));
    }

    @Test void shIsStickyAndWeighted() {
        DestState a = dest("10.1.0.1", 3), b = dest("10.1.0.2", 1);
        List<DestState> ds = List.of(a, b);
        Scheduler sh = new SourceHashing(false, false);
        sh.destinationsChanged(ds);
        Map<DestState, Integer> count = new HashMap<>();
        for (int i = 0; i < 4000; i++) {
            String src = "172.16." + (i / 250) + "." + (i % 250 + 1);
            DestState d = sh.pick(ds, client(src, 1000 + i, "10.0.0.1"));
            assertSame(d, sh.pick(ds, client(src, 5000, "10.0.0.1")), "port ignored without sh-port");
            count.merge(d, 1, Integer::sum);
        }
        // 256 buckets assigned A A A B A A A B ...: 3/4 of buckets for A
        double shareA = count.get(a) / 4000.0;
        assertTrue(shareA > 0.65 && shareA < 0.85, "share of weight-3 server " + shareA);
    }

    @Test void shFallbackAndPort() {
        List<DestState> ds = List.of(dest("10.1.0.1", 1), dest("10.1.0.2", 1), dest("10.1.0.3", 1));
        Scheduler plain = new SourceHashing(false, false);
        Scheduler fb = new SourceHashing(true, false);
        plain.destinationsChanged(ds);
        fb.destinationsChanged(ds);
        ClientKey c = client("172.16.3.9");
        DestState home = plain.pick(ds, c);
        assertSame(home, fb.pick(ds, c));
        home.setWeight(0);
        assertNull(plain.pick(ds, c), "without sh-fallback an unavailable server means no server");
        DestState other = fb.pick(ds, c);
        assertNotNull(other);
        assertNotEquals(home, other);
        home.setWeight(1);

        Scheduler port = new SourceHashing(false, true);
        port.destinationsChanged(ds);
        Map<DestState, Integer> seen = new HashMap<>();
        for (int p = 1000; p < 1100; p++) seen.merge(port.pick(ds, client("172.16.3.9", p, "10.0.0.1")), 1, Integer::sum);
        assertEquals(3, seen.size(), "sh-port spreads one address's ports");
    }

    static List<DestState> mhDests(int n) {
        List<DestState> ds = new ArrayList<>();
        for (int i = 0; i < n; i++) ds.add(dest("10.2.0." + (i + 1), 1));
        return ds;
    }

    @Test void mhFillsTheTableEvenlyAndByWeight() {
        List<DestState> ds = mhDests(4);
        MaglevHashing mh = new MaglevHashing(MaglevHashing.DEFAULT_TABLE_SIZE, false, false);
        assertEquals(4093, mh.tableSize());
        mh.destinationsChanged(ds);
        Map<DestState, Integer> slots = new HashMap<>();
        for (DestState d : mh.table()) {
            assertNotNull(d);
            slots.merge(d, 1, Integer::sum);
        }
        for (DestState d : ds) {
            int s = slots.get(d);
            assertTrue(Math.abs(s - 4093 / 4) <= 1, "equal weights take equal slots: " + s);
        }
        ds.get(0).setWeight(2);
        mh.destinationsChanged(ds);
        slots.clear();
        for (DestState d : mh.table()) slots.merge(d, 1, Integer::sum);
        // turns 2:1:1:1 -> 2/5 of the slots
        assertTrue(Math.abs(slots.get(ds.get(0)) - 4093 * 2 / 5) <= 2, "weight 2 share " + slots.get(ds.get(0)));
    }

    @Test void mhDisruptsMinimallyOnRemoval() {
        List<DestState> ds = mhDests(5);
        MaglevHashing mh = new MaglevHashing(4093, false, false);
        mh.destinationsChanged(ds);
        Map<Integer, DestState> before = new HashMap<>();
        for (int i = 0; i < 5000; i++) before.put(i, mh.pick(ds, client("100.64." + (i / 250) + "." + (i % 250 + 1))));
        DestState removed = ds.get(2);
        List<DestState> after = new ArrayList<>(ds);
        after.remove(removed);
        removed.setAvailable(false);
        mh.destinationsChanged(after);
        int stayed = 0, others = 0;
        for (int i = 0; i < 5000; i++) {
            DestState d = mh.pick(after, client("100.64." + (i / 250) + "." + (i % 250 + 1)));
            assertNotEquals(removed, d);
            if (before.get(i) != removed) {
                others++;
                if (d == before.get(i)) stayed++;
            }
        }
        double kept = stayed / (double) others;
        assertTrue(kept > 0.9, "clients of surviving servers mostly keep their server: " + kept);
    }

    @Test void mhWeightZeroKeepsTheTableAndFallbackMovesOnlyItsClients() {
        List<DestState> ds = mhDests(3);
        MaglevHashing mh = new MaglevHashing(251, false, false);
        MaglevHashing fb = new MaglevHashing(251, true, false);
        mh.destinationsChanged(ds);
        fb.destinationsChanged(ds);
        DestState[] t0 = mh.table();
        ds.get(1).setWeight(0);
        mh.destinationsChanged(ds);
        fb.destinationsChanged(ds);
        assertEquals(List.of(t0), List.of(mh.table()), "last_weight keeps the table");
        for (int i = 0; i < 500; i++) {
            ClientKey c = client("100.65." + (i / 250) + "." + (i % 250 + 1));
            DestState plain = mh.pick(ds, c);
            DestState viaFb = fb.pick(ds, c);
            assertNotEquals(ds.get(1), viaFb);
            assertNotNull(viaFb);
            if (plain != null) assertSame(plain, viaFb);
        }
        assertThrows(IllegalArgumentException.class, () -> new MaglevHashing(1000, false, false));
    }

    @Test void lblcSticksPerDestinationAddressUntilOverloadedOrExpired() {
        FakeClock clock = new FakeClock();
        DestState a = dest("10.1.0.1", 2), b = dest("10.1.0.2", 2);
        List<DestState> ds = List.of(a, b);
        LocalityBasedLeastConnection lblc = new LocalityBasedLeastConnection(clock, Duration.ofMinutes(10).toNanos());
        DestState first = lblc.pick(ds, client("192.0.2.1", 1, "10.9.0.1"));
        first.bind(false);
        first.activate();
        // wlc would now pick the idle one, but the destination address sticks
        assertSame(first, lblc.pick(ds, client("192.0.2.2", 2, "10.9.0.1")));
        assertNotEquals(first, lblc.pick(ds, client("192.0.2.2", 2, "10.9.0.2")));
        // over weight (3 > 2) while another server is under half its weight: re-scheduled
        first.bind(false);
        first.activate();
        first.bind(false);
        first.activate();
        DestState moved = lblc.pick(ds, client("192.0.2.3", 3, "10.9.0.1"));
        assertNotEquals(first, moved);
        assertSame(moved, lblc.pick(ds, client("192.0.2.4", 4, "10.9.0.1")));
        assertEquals(2, lblc.entries());
        clock.advance(Duration.ofMinutes(11));
        lblc.pick(ds, client("192.0.2.5", 5, "10.9.0.3"));
        assertEquals(1, lblc.entries(), "unused entries expire");
    }

    @Test void lblcrGrowsTheSetWhenOverloadedAndShrinksAfterExpiration() {
        FakeClock clock = new FakeClock();
        DestState a = dest("10.1.0.1", 1), b = dest("10.1.0.2", 1);
        List<DestState> ds = List.of(a, b);
        LocalityBasedLeastConnectionWithReplication lblcr =
                new LocalityBasedLeastConnectionWithReplication(clock, Duration.ofMinutes(10).toNanos());
        InetAddress vip = ip("10.9.0.1");
        DestState first = lblcr.pick(ds, client("192.0.2.1", 1, "10.9.0.1"));
        assertEquals(List.of(first), lblcr.set(vip));
        first.bind(false);
        first.activate();
        first.bind(false);
        first.activate(); // 2 active > weight 1, the other has 0*2 < 1
        DestState second = lblcr.pick(ds, client("192.0.2.2", 2, "10.9.0.1"));
        assertNotEquals(first, second);
        assertEquals(2, lblcr.set(vip).size());
        clock.advance(Duration.ofMinutes(11));
        lblcr.pick(ds, client("192.0.2.3", 3, "10.9.0.1"));
        assertEquals(List.of(second), lblcr.set(vip), "the most loaded member leaves after the expiration");
    }

    @Test void factoryKnowsTheThirteenAndTheFlags() {
        for (String n : Schedulers.NAMES) assertEquals(n, Schedulers.create(n, List.of()).name());
        assertThrows(IllegalArgumentException.class, () -> Schedulers.create("twos", List.of()));
        Scheduler sh = Schedulers.create("sh", List.of("sh-fallback", "sh-port"));
        List<DestState> ds = List.of(dest("10.1.0.1", 1), dest("10.1.0.2", 1));
        sh.destinationsChanged(ds);
        Map<DestState, Integer> seen = new HashMap<>();
        for (int p = 1; p < 60; p++) seen.merge(sh.pick(ds, client("172.16.0.1", p, "10.0.0.1")), 1, Integer::sum);
        assertEquals(2, seen.size());
    }
}
