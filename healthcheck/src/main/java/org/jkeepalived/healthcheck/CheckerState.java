package org.jkeepalived.healthcheck;

import java.time.Duration;
import java.util.Random;

/**
 * One checker's up/down state and timer, as keepalived drives it (pure: no clock, no I/O).
 *
 * <ul>
 *   <li>alpha: start down until a check passes; otherwise start up.</li>
 *   <li>On a first start (not a reload) the first check gets no retries: one failure is enough to go
 *       down, as keepalived sets each checker's retry count as spent at start.</li>
 *   <li>A failure while up (or before the first result) is retried {@code retry} times, each after
 *       {@code delay_before_retry}; only then does the checker go down. A failure while already down
 *       just waits {@code delay_loop} (no retries: there is nothing left to protect), except for
 *       TCP_CHECK ({@link #retryWhileDown()}), which keepalived retries while down too.</li>
 *   <li>A success brings it up at once and resets the retry count; the next check is after
 *       {@code delay_loop}.</li>
 *   <li>The first check runs after a random delay in [0, warmup].</li>
 * </ul>
 */
public final class CheckerState {
    private final int retry;
    private final long delayLoopNanos;
    private final long delayBeforeRetryNanos;
    private final long warmupNanos;
    private boolean up;
    private boolean hasRun;
    private int retryIt;
    private boolean retryWhileDown;
    private CheckResult last;

    public CheckerState(boolean alpha, int retry, Duration delayLoop, Duration delayBeforeRetry, Duration warmup) {
        this.retry = Math.max(0, retry);
        this.delayLoopNanos = positive(delayLoop, Duration.ofSeconds(60));
        this.delayBeforeRetryNanos = positive(delayBeforeRetry, Duration.ofSeconds(1));
        this.warmupNanos = warmup == null || warmup.isNegative() ? 0 : warmup.toNanos();
        this.up = !alpha;
    }

    private static long positive(Duration d, Duration dflt) {
        return d == null || d.isNegative() || d.isZero() ? dflt.toNanos() : d.toNanos();
    }

    /** Retries also while down (keepalived's TCP_CHECK): a server back up is seen a retry earlier. */
    public void retryWhileDown() {
        this.retryWhileDown = true;
    }

    /** Carry the verdict of the same checker from before a reload: no alpha, no re-proving. */
    public void inherit(boolean wasUp) {
        this.up = wasUp;
        this.hasRun = true;
    }

    /** Delay before the first check: uniformly random in [0, warmup]. */
    public long initialDelayNanos(Random random) {
        if (warmupNanos <= 0) return 0;
        return (long) (random.nextDouble() * warmupNanos);
    }

    /** What one result did: the state changed or not, and when the next check is due. */
    public record Step(boolean changed, boolean up, boolean retrying, long nextDelayNanos) {}

    public Step onResult(CheckResult r) {
        last = r;
        if (r.ok()) {
            boolean changed = !up;
            up = true;
            hasRun = true;
            retryIt = 0;
            return new Step(changed, true, false, delayLoopNanos);
        }
        // no result yet since a first start (not a reload, which inherits hasRun): the failure is final,
        // keepalived's retries start spent
        if ((up || retryWhileDown) && hasRun && retryIt < retry) {
            retryIt++;
            return new Step(false, up, true, delayBeforeRetryNanos);
        }
        boolean changed = up;
        up = false;
        hasRun = true;
        retryIt = 0;
        return new Step(changed, false, false, delayLoopNanos);
    }

    public boolean up() { return up; }

    public boolean hasRun() { return hasRun; }

    /** Retries spent on the current failure run (0 when none). */
    public int retryIt() { return retryIt; }

    public CheckResult last() { return last; }
}
