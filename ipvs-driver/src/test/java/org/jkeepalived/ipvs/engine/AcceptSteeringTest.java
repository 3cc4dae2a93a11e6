package org.jkeepalived.ipvs.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jkeepalived.ipvs.engine.AcceptSteering.Mode;
import org.junit.jupiter.api.Test;

class AcceptSteeringTest {
    private static final long MS = 1_000_000L;

    /** Feeds one 100 ms period in which the loops were busy for the given shares of it. */
    private static final class Feed {
        final AcceptSteering st;
        final long[] cpu;
        long now = 1_000 * MS;

        Feed(int loops) {
            st = new AcceptSteering(loops);
            cpu = new long[loops];
            st.update(now, cpu.clone());
        }

        Mode period(double... busy) {
            now += 100 * MS;
            for (int i = 0; i < busy.length; i++) cpu[i] += (long) (busy[i] * 100 * MS);
            return st.update(now, cpu.clone());
        }
    }

    @Test void newConnectionsStayOnTheFirstLoopWhileItHasHeadroom() {
        Feed f = new Feed(2);
        assertEquals(Mode.FIRST, f.st.mode());
        assertEquals(Mode.FIRST, f.period(0.45, 0.0));
        assertEquals(Mode.FIRST, f.period(0.50, 0.0), "half busy is still headroom");
        assertEquals(Mode.FIRST, f.period(0.10, 0.45), "only the first loop's share counts for spreading");
    }

    @Test void aBusyFirstLoopSpreadsThemAndAQuietGroupGathersThemAgain() {
        Feed f = new Feed(2);
        assertEquals(Mode.SPREAD, f.period(0.8, 0.0));
        assertEquals(Mode.SPREAD, f.period(0.2, 0.2), "0.4 in all: inside the gap, no change");
        assertEquals(Mode.SPREAD, f.period(0.05, 0.3));
        assertEquals(Mode.FIRST, f.period(0.1, 0.1), "0.2 in all: back to the first loop");
        assertEquals(Mode.SPREAD, f.period(0.6, 0.0));
    }

    @Test void theFirstReadingIsOnlyABaseline() {
        AcceptSteering st = new AcceptSteering(2);
        assertEquals(Mode.FIRST, st.update(5 * MS, new long[] {999_999 * MS, 0}), "no period yet");
        assertEquals(Mode.FIRST, st.update(105 * MS, new long[] {999_999 * MS + 10 * MS, 0}));
        assertEquals(Mode.FIRST, st.update(105 * MS, new long[] {999_999 * MS + 90 * MS, 0}), "no time passed");
    }

    @Test void oneLoopHasNothingToSpreadTo() {
        Feed f = new Feed(1);
        assertEquals(Mode.FIRST, f.period(1.0));
        assertThrows(IllegalArgumentException.class, () -> f.st.update(f.now + 1, new long[2]));
        assertThrows(IllegalArgumentException.class, () -> new AcceptSteering(0));
    }
}
