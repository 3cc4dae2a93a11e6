package org.jkeepalived.healthcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CheckerStateTest {
    static final CheckResult OK = CheckResult.ok("ok");
    static final CheckResult KO = CheckResult.fail("timeout", "ko");

    CheckerState state(boolean alpha, int retry) {
        return new CheckerState(alpha, retry, Duration.ofSeconds(10), Duration.ofSeconds(3), Duration.ofSeconds(5));
    }

    @Test void aFirstFailureAtStartIsFinal() {
        // keepalived starts every checker with its retries spent: one failure is enough at start
        CheckerState s = state(false, 2);
        var r = s.onResult(KO);
        assertTrue(r.changed());
        assertFalse(r.up());
        assertFalse(r.retrying());
        // a reload's inherited state gets its retries
        CheckerState kept = state(false, 2);
        kept.inherit(true);
        assertTrue(kept.onResult(KO).retrying());
    }

    @Test void retriesThenDownThenNoRetriesWhileDown() {
        CheckerState s = state(false, 2);
        assertTrue(s.up());
        s.onResult(OK); // past the start
        var a = s.onResult(KO);
        assertTrue(a.retrying());
        assertFalse(a.changed());
        assertEquals(3_000_000_000L, a.nextDelayNanos());
        var b = s.onResult(KO);
        assertTrue(b.retrying());
        assertEquals(2, s.retryIt());
        var c = s.onResult(KO);
        assertTrue(c.changed());
        assertFalse(c.up());
        assertEquals(10_000_000_000L, c.nextDelayNanos());
        var d = s.onResult(KO);
        assertFalse(d.changed());
        assertFalse(d.retrying(), "no retries while already down");
        assertEquals(10_000_000_000L, d.nextDelayNanos());
        var e = s.onResult(OK);
        assertTrue(e.changed());
        assertTrue(e.up());
    }

    @Test void successResetsRetryCount() {
        CheckerState s = state(false, 1);
        s.onResult(OK);
        s.onResult(KO);
        assertEquals(1, s.retryIt());
        s.onResult(OK);
        assertEquals(0, s.retryIt());
        assertTrue(s.onResult(KO).retrying());
    }

    @Test void alphaStartsDownAndItsFirstFailureIsAVerdict() {
        CheckerState s = state(true, 1);
        assertFalse(s.up());
        var r = s.onResult(KO);
        assertFalse(r.retrying(), "keepalived: retries spent at start");
        assertFalse(r.changed(), "already down: no transition");
        assertTrue(s.hasRun());
        assertTrue(s.onResult(OK).changed());
    }

    @Test void warmupIsWithinBoundsAndZeroWhenDisabled() {
        Random rnd = new Random(42);
        CheckerState s = state(false, 0);
        for (int i = 0; i < 100; i++) {
            long d = s.initialDelayNanos(rnd);
            assertTrue(d >= 0 && d <= 5_000_000_000L);
        }
        assertEquals(0, new CheckerState(false, 0, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ZERO)
                .initialDelayNanos(rnd));
    }

    @Test void tcpCheckRetriesWhileDown() {
        CheckerState s = state(false, 2);
        s.retryWhileDown();
        assertFalse(s.onResult(KO).up(), "first failure at start: down");
        assertTrue(s.onResult(KO).retrying(), "down, yet retried (keepalived's TCP_CHECK)");
        assertTrue(s.onResult(KO).retrying());
        var r = s.onResult(KO);
        assertFalse(r.retrying());
        assertEquals(10_000_000_000L, r.nextDelayNanos());
        assertTrue(s.onResult(OK).changed());
    }
}
