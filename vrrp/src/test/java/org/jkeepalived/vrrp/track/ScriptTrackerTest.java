package org.jkeepalived.vrrp.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.jkeepalived.core.config.ScriptSpec;
import org.jkeepalived.core.time.FakeClock;
import org.junit.jupiter.api.Test;

class ScriptTrackerTest {
    static final ScriptSpec TRUE = new ScriptSpec("/bin/true", List.of("/bin/true"), null, null);

    @Test
    void fallConsecutiveFailuresThenRiseConsecutiveSuccesses() {
        ScriptTracker t = new ScriptTracker("chk", TRUE, 2, 3, false, Duration.ofSeconds(1), null);
        assertEquals(TrackStatus.UNKNOWN, t.status());
        assertTrue(t.onResult(0), "first success decides");
        assertEquals(TrackStatus.UP, t.status());
        assertFalse(t.onResult(1));
        assertFalse(t.onResult(1));
        assertFalse(t.onResult(0), "a success in between resets the fall count");
        assertFalse(t.onResult(1));
        assertFalse(t.onResult(1));
        assertTrue(t.onResult(ScriptRunner.TIMED_OUT), "third consecutive failure (a timeout counts)");
        assertEquals(TrackStatus.DOWN, t.status());
        assertFalse(t.onResult(0));
        assertFalse(t.onResult(1), "a failure resets the rise count");
        assertFalse(t.onResult(0));
        assertTrue(t.onResult(0));
        assertEquals(TrackStatus.UP, t.status());
    }

    @Test
    void initFailStartsDownAndNeedsRiseSuccesses() {
        ScriptTracker t = new ScriptTracker("chk", TRUE, 3, 1, true, Duration.ofSeconds(1), null);
        assertEquals(TrackStatus.DOWN, t.status());
        assertFalse(t.onResult(0));
        assertFalse(t.onResult(0));
        assertTrue(t.onResult(0));
        assertTrue(t.onResult(2), "fall 1");
    }

    @Test
    void firstFailureWithoutInitFailIsDown() {
        ScriptTracker t = new ScriptTracker("chk", TRUE, 2, 2, false, Duration.ofSeconds(1), null);
        assertTrue(t.onResult(ScriptRunner.FAILED_TO_START));
        assertEquals(TrackStatus.DOWN, t.status());
    }

    @Test
    void scheduleEveryIntervalNeverOverlapping() {
        FakeClock c = new FakeClock();
        ScriptTracker t = new ScriptTracker("chk", TRUE, 1, 1, false, Duration.ofSeconds(2), null);
        assertEquals(Duration.ofSeconds(2), t.timeout(), "default timeout is the interval");
        assertFalse(t.due(c.nanoTime()), "not started");
        t.start(c.nanoTime());
        assertTrue(t.due(c.nanoTime()));
        t.started(c.nanoTime());
        c.advance(Duration.ofSeconds(3));
        assertFalse(t.due(c.nanoTime()), "still running");
        t.onResult(0);
        assertTrue(t.due(c.nanoTime()));
        t.started(c.nanoTime());
        t.onResult(0);
        c.advance(Duration.ofMillis(1999));
        assertFalse(t.due(c.nanoTime()));
        c.advance(Duration.ofMillis(1));
        assertTrue(t.due(c.nanoTime()));
    }
}
