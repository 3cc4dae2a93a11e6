package org.jkeepalived.daemon.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutageTest {
    static List<Drill.Sample> samples(String pattern, long start, long step) {
        List<Drill.Sample> l = new ArrayList<>();
        for (int i = 0; i < pattern.length(); i++) {
            l.add(new Drill.Sample(start + i * step, pattern.charAt(i) == '+', pattern.charAt(i) == '+' ? "rs1" : "timeout"));
        }
        return l;
    }

    @Test
    void outageRunsFromLastGoodBeforeTheEventToFirstGoodAfter() {
        // requests every 20 ms from t=1000; event at t=1050 (between the 3rd and 4th request)
        List<Drill.Sample> s = samples("+++---++", 1000, 20);
        assertEquals(1120 - 1040, Outage.of(s, 1050));
        assertEquals(3, Outage.failedSince(s, 1050));
    }

    @Test
    void noFailureMeansNoOutageAndNeverRecoveringIsUnknown() {
        assertEquals(0L, Outage.of(samples("++++++", 0, 10), 25));
        assertNull(Outage.of(samples("+++---", 0, 10), 25));
    }

    @Test
    void verdictAndTableNameEveryEvent() {
        List<Drill.EventResult> r = List.of(
                new Drill.EventResult(1, "crash master (SIGKILL)", 0, 3600L, 3700L, 170, null, "dir2", null),
                new Drill.EventResult(1, "link cut", 0, null, null, 0, null, "dir1", "dir2 did not take over"));
        assertEquals(1, DrillReport.verdict(r));
        assertEquals(0, DrillReport.verdict(r.subList(0, 1)));
        String table = DrillReport.table(r);
        assertTrue(table.contains("crash master (SIGKILL)") && table.contains("3600") && table.contains("dir2 did not take over"), table);
        String html = DrillReport.html(r, samples("++-+", 0, 10));
        assertTrue(html.contains("<svg") && html.contains("fill='#d22'"), "failed request drawn in red");
    }
}
