package org.jkeepalived.vrrp.fsm;

import static org.jkeepalived.vrrp.fsm.Fixtures.MS;
import static org.jkeepalived.vrrp.fsm.Fixtures.S;
import static org.jkeepalived.vrrp.fsm.Fixtures.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jkeepalived.core.config.AuthType;
import org.jkeepalived.core.config.VrrpState;
import org.jkeepalived.core.time.FakeClock;
import org.jkeepalived.vrrp.codec.DecodeResult;
import org.jkeepalived.vrrp.codec.VrrpCodec;
import org.jkeepalived.vrrp.codec.VrrpPacket;
import org.junit.jupiter.api.Test;

/**
 * Routers made of the state machine and the codec, joined by a lossless zero-latency "wire" and
 * driven by a FakeClock: election, crash failover at Master_Down_Interval, graceful failover at
 * Skew_Time, preemption on return.
 */
class TwoRouterSimulationTest {
    static final InetAddress GROUP = ip("224.0.0.18");
    final FakeClock clock = new FakeClock();
    final List<Router> routers = new ArrayList<>();
    boolean partitioned;

    final class Router {
        final VrrpInstanceFsm fsm;
        final InetAddress addr;
        boolean alive = true;

        Router(String name, String addr, int prio, boolean nopreempt) {
            this.addr = ip(addr);
            this.fsm = new VrrpInstanceFsm(new InstanceSettings(name, "eth0", 51, 3, false, prio, 10, VrrpState.BACKUP,
                    nopreempt, Duration.ZERO, true, AuthType.NONE, null, List.of(ip("10.0.0.100")), this.addr,
                    false, false, false, false, 3));
        }

        void execute(List<Action> actions) {
            for (Action a : actions) {
                if (a instanceof Action.SendAdvert && alive && !partitioned) {
                    byte[] wire = VrrpCodec.encode(fsm.advert(((Action.SendAdvert) a).priority()), addr, GROUP);
                    for (Router r : routers) {
                        if (r == this || !r.alive) continue;
                        DecodeResult d = VrrpCodec.decode(wire, addr, GROUP, 255);
                        r.execute(r.fsm.onAdvert(clock.nanoTime(), d.packet(), addr));
                    }
                }
            }
        }
    }

    /** Fires due timers in deadline order until {@code until}. */
    void runUntil(long until) {
        while (true) {
            Router next = null;
            long best = 0;
            for (Router r : routers) {
                if (!r.alive || r.fsm.nextDeadline().isEmpty()) continue;
                long d = r.fsm.nextDeadline().getAsLong();
                if (next == null || d - best < 0) {
                    next = r;
                    best = d;
                }
            }
            if (next == null || best - until > 0) break;
            clock.advanceNanos(best - clock.nanoTime());
            next.execute(next.fsm.onTimer(clock.nanoTime()));
        }
        clock.advanceNanos(until - clock.nanoTime());
    }

    @Test
    void electionCrashGracefulAndPreemption() {
        Router a = new Router("A", "10.0.0.1", 150, false);
        Router b = new Router("B", "10.0.0.2", 100, false);
        routers.add(a);
        routers.add(b);
        a.execute(a.fsm.start(0));
        b.execute(b.fsm.start(0));
        runUntil(2 * S);
        assertEquals(VrrpState.MASTER, a.fsm.state());
        assertEquals(VrrpState.BACKUP, b.fsm.state());

        // crash A (SIGKILL): B takes over one Master_Down_Interval after A's last advert
        long lastAdvert = a.fsm.nextDeadline().getAsLong() - 100 * MS;
        a.alive = false;
        runUntil(3 * S);
        assertEquals(VrrpState.MASTER, b.fsm.state());
        long mdi = 3 * 100 * MS + 156L * 100 * MS / 256; // 360.9 ms at priority 100, advert_int 0.1
        assertEquals(lastAdvert + mdi, b.fsm.lastTransitionNanos());

        // A returns and preempts (higher priority)
        a.alive = true;
        long back = clock.nanoTime();
        a.execute(a.fsm.start(back));
        runUntil(back + 2 * S);
        assertEquals(VrrpState.MASTER, a.fsm.state());
        assertEquals(VrrpState.BACKUP, b.fsm.state());

        // graceful stop of A: priority 0 → B is master after Skew_Time
        long stop = clock.nanoTime();
        a.execute(a.fsm.shutdown(stop));
        a.alive = false;
        runUntil(stop + S);
        assertEquals(VrrpState.MASTER, b.fsm.state());
        assertEquals(stop + 156L * 100 * MS / 256, b.fsm.lastTransitionNanos());
    }

    @Test
    void nopreemptKeepsTheCurrentMasterWhenTheHigherOneReturns() {
        Router a = new Router("A", "10.0.0.1", 150, true);
        Router b = new Router("B", "10.0.0.2", 100, true);
        routers.add(b);
        b.execute(b.fsm.start(0));
        runUntil(S);
        assertEquals(VrrpState.MASTER, b.fsm.state());
        routers.add(a);
        a.execute(a.fsm.start(clock.nanoTime()));
        runUntil(5 * S);
        assertEquals(VrrpState.BACKUP, a.fsm.state());
        assertEquals(VrrpState.MASTER, b.fsm.state());
    }

    @Test
    void equalPrioritiesElectTheHigherAddress() {
        // A backup accepts an equal-priority master, so the tie-break matters when two masters meet:
        // start them apart (both become master), then join the wire.
        Router a = new Router("A", "10.0.0.1", 100, false);
        Router b = new Router("B", "10.0.0.2", 100, false);
        routers.add(a);
        routers.add(b);
        partitioned = true;
        a.execute(a.fsm.start(0));
        b.execute(b.fsm.start(0));
        runUntil(S);
        assertEquals(VrrpState.MASTER, a.fsm.state());
        assertEquals(VrrpState.MASTER, b.fsm.state());
        partitioned = false;
        runUntil(3 * S);
        assertEquals(VrrpState.BACKUP, a.fsm.state());
        assertEquals(VrrpState.MASTER, b.fsm.state());
    }
}
