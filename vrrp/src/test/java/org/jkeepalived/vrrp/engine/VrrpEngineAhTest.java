package org.jkeepalived.vrrp.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jkeepalived.core.config.VrrpState;
import org.jkeepalived.core.time.MonotonicClock;
import org.jkeepalived.vrrp.codec.IpsecAh;
import org.jkeepalived.vrrp.codec.VrrpPacket;
import org.jkeepalived.vrrp.io.ReceivedPacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine with IPsec AH authentication over {@link FakeNetIo}: ICV, replay, counters, state. */
class VrrpEngineAhTest {
    final FakeNetIo.Wire wire = new FakeNetIo.Wire();
    final List<VrrpEngine> engines = new ArrayList<>();

    @AfterEach
    void stopAll() {
        for (VrrpEngine e : engines) {
            e.stop();
        }
    }

    private VrrpEngine engine(String name, String ip, String... args) throws Exception {
        FakeNetIo io = new FakeNetIo(name, wire).iface("eth0", 2, ip + "/24");
        List<String> l = new ArrayList<>(List.of("version=2", "int=1", "garp_delay=0.2", "vip=10.0.0.100/24"));
        l.addAll(List.of(args));
        VrrpEngine e = VrrpEngine.start(List.of(EngineMain.instance(l.toArray(new String[0]))), List.of(), null, io,
                MonotonicClock.SYSTEM, EngineListener.NONE, null);
        engines.add(e);
        return e;
    }

    private static void await(BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    private static VrrpState state(VrrpEngine e) {
        return e.status().get(0).state();
    }

    private static long stat(VrrpEngine e, String name) {
        return e.status().get(0).stats().get(name);
    }

    /** An AH advert from a foreign 10.0.0.9 for VRID 51. */
    private void inject(int prio, long seq, String pass) throws Exception {
        InetAddress src = InetAddress.getByName("10.0.0.9");
        InetAddress dst = InetAddress.getByName("224.0.0.18");
        VrrpPacket p = VrrpPacket.v2(51, prio, 1, VrrpPacket.AUTH_AH, null, List.of(InetAddress.getByName("10.0.0.100")));
        byte[] d = IpsecAh.encodeIpv4(p, src, dst, (int) seq, 255, seq, IpsecAh.key(pass));
        wire.inject(new ReceivedPacket(src, dst, 255, 1, d, System.nanoTime()));
    }

    /** The sequence number of the first advert sent from index {@code from} on that is above {@code min}, or -1. */
    private long firstSequenceAbove(int from, long min) {
        for (int k = from; k < wire.sent.size(); k++) {
            byte[] d = wire.sent.get(k).vrrp();
            long seq = IpsecAh.decodeIpv4(d, 0, d.length, true).header().sequence();
            if (seq > min) {
                return seq;
            }
        }
        return -1;
    }

    @Test
    void badIcvAndReplaysAreCountedAndNeverChangeState() throws Exception {
        VrrpEngine e = engine("a", "10.0.0.1", "prio=100", "auth=AH:s3cret");
        inject(200, 10, "s3cret");
        await(() -> stat(e, "advert_rcvd") == 1, "the good advert");
        // from now on only bad ones: wrong password, the same number again, an older one
        long t0 = System.nanoTime();
        int bad = 0;
        while (state(e) != VrrpState.MASTER) {
            assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(8).toNanos(), "never became MASTER");
            inject(200, 11 + bad, "s3cres");
            inject(200, 10, "s3cret");
            inject(200, 9, "s3cret");
            bad += 3;
            Thread.sleep(300);
        }
        assertTrue(System.nanoTime() - t0 > Duration.ofMillis(3000).toNanos(), "took over before Master_Down_Interval");
        // a MASTER is not pushed back by a higher priority it cannot authenticate
        for (int k = 0; k < 5; k++) {
            inject(250, 100 + k, "wrong!");
            bad++;
        }
        final int expected = bad;
        await(() -> stat(e, "auth_failure") == expected, "auth_failure " + expected);
        Thread.sleep(200);
        assertEquals(VrrpState.MASTER, state(e));
        assertEquals(1, stat(e, "advert_rcvd"));
        assertEquals(0, stat(e, "authtype_mismatch"));

        // our adverts: AH, verifiable with the password, numbered after the accepted 10
        List<FakeNetIo.Sent> sent = new ArrayList<>(wire.sent);
        assertTrue(sent.size() >= 1);
        long last = 10;
        for (FakeNetIo.Sent s : sent) {
            IpsecAh.Decoded d = IpsecAh.decodeIpv4(s.vrrp(), 0, s.vrrp().length, true);
            assertTrue(d.ok(), d.vrrp().detail());
            assertTrue(IpsecAh.verify(s.vrrp(), 0, s.vrrp().length, IpsecAh.key("s3cret")));
            assertEquals(0x0a000001L, d.header().spi());
            assertEquals(last + 1, d.header().sequence());
            last = d.header().sequence();
        }

        // a lower priority is answered at once, one sequence number skipped (keepalived answers 1000 with 1002)
        int before = wire.sent.size();
        inject(50, 500, "s3cret");
        await(() -> firstSequenceAbove(before, 500) > 0, "the answer to a lower priority");
        assertEquals(502, firstSequenceAbove(before, 500));
        assertEquals(VrrpState.MASTER, state(e));

        // the right password and a fresh number do count: a higher priority takes over
        inject(250, 1000, "s3cret");
        await(() -> state(e) == VrrpState.BACKUP, "BACKUP after an authenticated higher priority");
        assertEquals(expected, stat(e, "auth_failure"));
    }

    @Test
    void twoAhEnginesElectAndDoNotHearPassAdverts() throws Exception {
        VrrpEngine a = engine("a", "10.0.0.1", "prio=200", "auth=AH:s3cret");
        VrrpEngine b = engine("b", "10.0.0.2", "prio=100", "auth=AH:s3cret");
        // a PASS instance on the same VRID is another protocol: neither side hears it
        VrrpEngine c = engine("c", "10.0.0.3", "prio=250", "auth=PASS:s3cret");
        await(() -> state(a) == VrrpState.MASTER, "A master");
        Thread.sleep(1500);
        assertEquals(VrrpState.BACKUP, state(b));
        assertTrue(stat(b, "advert_rcvd") >= 1);
        assertEquals(0, stat(b, "auth_failure") + stat(a, "auth_failure"));
        assertEquals(VrrpState.MASTER, state(c));
        assertEquals(0, stat(c, "advert_rcvd") + stat(c, "authtype_mismatch"));
        assertEquals(0, stat(a, "authtype_mismatch") + stat(b, "authtype_mismatch"));
    }
}
