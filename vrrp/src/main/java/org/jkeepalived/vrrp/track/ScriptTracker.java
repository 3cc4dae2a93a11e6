package org.jkeepalived.vrrp.track;

import java.time.Duration;
import org.jkeepalived.core.config.ScriptSpec;
import org.jkeepalived.core.config.VrrpScript;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One vrrp_script's schedule and rise/fall counter, pure (time passed in, the run done elsewhere by
 * a {@link ScriptRunner}).
 *
 * <p>Counter as keepalived keeps it: a value in 0..rise+fall−1, GOOD when ≥ rise. A success from
 * below rise−1 counts up; the success that reaches rise jumps to the top (GOOD). A failure above
 * rise counts down; the failure at rise or below drops to 0 (BAD). So a GOOD script needs
 * {@code fall} consecutive failures to go BAD and a BAD one {@code rise} consecutive successes to
 * go GOOD. Initially the counter is 0 and the status DOWN with {@code init_fail}, otherwise rise−1
 * and UNKNOWN, so the first result decides. Exit code 0 is success; anything else, a timeout or a
 * failure to start is failure.
 *
 * <p>Schedule: the first run is due at {@link #start}; the next one {@code interval} after the
 * start of the previous, but never while a run is still going (its timeout ends it).
 */
public final class ScriptTracker {
    private static final Logger log = LoggerFactory.getLogger(ScriptTracker.class);

    private final String name;
    private final ScriptSpec script;
    private final int rise;
    private final int fall;
    private final long intervalNanos;
    private final Duration timeout;
    private int counter;
    private TrackStatus status;
    private boolean running;
    private boolean scheduled;
    private long nextRun;

    public ScriptTracker(String name, ScriptSpec script, int rise, int fall, boolean initFail,
                         Duration interval, Duration timeout) {
        this.name = name;
        this.script = script;
        this.rise = Math.max(1, rise);
        this.fall = Math.max(1, fall);
        this.intervalNanos = Math.max(1, (interval == null ? Duration.ofSeconds(1) : interval).toNanos());
        // keepalived's default: the script may run until its next interval
        this.timeout = timeout == null || timeout.isZero() ? Duration.ofNanos(intervalNanos) : timeout;
        this.counter = initFail ? 0 : this.rise - 1;
        this.status = initFail ? TrackStatus.DOWN : TrackStatus.UNKNOWN;
    }

    public static ScriptTracker from(VrrpScript s) {
        return new ScriptTracker(s.name(), s.script(), s.rise(), s.fall(), s.initFail(), s.interval(), s.timeout());
    }

    /** Makes the first run due now. */
    public void start(long now) {
        scheduled = true;
        nextRun = now;
    }

    public boolean due(long now) {
        return scheduled && !running && now - nextRun >= 0;
    }

    /** When the next run is due (meaningful once started and while not running). */
    public long nextRunNanos() {
        return nextRun;
    }

    /** The caller started a run now (with {@link #timeout()}). */
    public void started(long now) {
        running = true;
        nextRun = now + intervalNanos;
    }

    public boolean running() {
        return running;
    }

    /**
     * A run ended with this exit code (negative: {@link ScriptRunner#TIMED_OUT} or
     * {@link ScriptRunner#FAILED_TO_START}). Returns true when the status changed.
     */
    public boolean onResult(int exitCode) {
        running = false;
        TrackStatus before = status;
        if (exitCode == 0) {
            if (counter < rise - 1) {
                counter++;
            } else {
                counter = rise + fall - 1;
                status = TrackStatus.UP;
            }
        } else {
            if (counter > rise) {
                counter--;
            } else {
                counter = 0;
                status = TrackStatus.DOWN;
            }
        }
        if (status != before) {
            if (status == TrackStatus.UP) {
                log.info("VRRP_Script({}) succeeded", name);
            } else {
                log.info("VRRP_Script({}) {}", name, exitCode == ScriptRunner.TIMED_OUT ? "timed out"
                        : "failed (exited with status " + exitCode + ")");
            }
            return true;
        }
        return false;
    }

    public TrackStatus status() {
        return status;
    }

    public String name() {
        return name;
    }

    public ScriptSpec script() {
        return script;
    }

    public Duration timeout() {
        return timeout;
    }
}
