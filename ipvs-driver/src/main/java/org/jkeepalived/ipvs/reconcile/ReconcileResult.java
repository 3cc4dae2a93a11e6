package org.jkeepalived.ipvs.reconcile;

import java.util.List;
import org.jkeepalived.ipvs.LvsOp;

/**
 * What one reconcile did: the ops that succeeded (in order), the ones that still failed after the
 * re-read and retry, how many writes reached the backend (successful or not) and whether a retry
 * round was needed.
 */
public record ReconcileResult(List<LvsOp> applied, List<Failure> failures, int writes, boolean retried,
                              long elapsedNanos) {

    public ReconcileResult {
        applied = List.copyOf(applied);
        failures = List.copyOf(failures);
    }

    /** A write that failed twice (or once, when the re-read showed it still needed): op and message. */
    public record Failure(LvsOp op, String message, int errno) {}

    public boolean ok() { return failures.isEmpty(); }

    /** True when the backend already matched and nothing was written. */
    public boolean noop() { return writes == 0 && failures.isEmpty(); }

    @Override public String toString() {
        return "ReconcileResult[applied=" + applied.size() + ", failures=" + failures + ", writes=" + writes
                + ", retried=" + retried + ", " + elapsedNanos / 1_000 + " us]";
    }
}
