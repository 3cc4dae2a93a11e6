package org.jkeepalived.daemon.drill;

import java.util.List;

/** What a client saw around an event, from its samples (one per request, in time order). */
final class Outage {
    private Outage() {}

    /** Last good before t0 → first good after the failures that followed t0; 0 when nothing failed; null if never recovered. */
    static Long of(List<Drill.Sample> samples, long t0) {
        long lastGood = -1;
        Long firstFail = null;
        for (Drill.Sample s : samples) {
            if (s.wallMillis() < t0) {
                if (s.ok()) lastGood = s.wallMillis();
                continue;
            }
            if (!s.ok() && firstFail == null) firstFail = s.wallMillis();
            if (s.ok() && firstFail != null) return s.wallMillis() - (lastGood < 0 ? t0 : lastGood);
        }
        return firstFail == null ? 0L : null;
    }

    static int failedSince(List<Drill.Sample> samples, long t0) {
        int n = 0;
        for (Drill.Sample s : samples) if (s.wallMillis() >= t0 && !s.ok()) n++;
        return n;
    }

    /** The last five requests succeeded, the newest within the last second. */
    static boolean healthy(List<Drill.Sample> samples) {
        int n = samples.size();
        if (n < 5) return false;
        for (int i = n - 5; i < n; i++) if (!samples.get(i).ok()) return false;
        return samples.get(n - 1).wallMillis() > System.currentTimeMillis() - 1000;
    }
}
