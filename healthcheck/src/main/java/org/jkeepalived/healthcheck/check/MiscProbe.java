package org.jkeepalived.healthcheck.check;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.jkeepalived.core.config.Checker;
import org.jkeepalived.healthcheck.CheckResult;
import org.jkeepalived.healthcheck.CheckTarget;
import org.jkeepalived.healthcheck.Probe;
import org.jkeepalived.healthcheck.ScriptRunner;

/**
 * MISC_CHECK: runs misc_path (as its user), killed after misc_timeout (delay_loop when not set).
 * Exit 0 passes, 1 fails; with misc_dynamic 2..255 pass with weight exit − 2 (sent as a difference
 * to the configured weight), otherwise any non-zero exit fails.
 */
public final class MiscProbe implements Probe {
    private final ScriptRunner runner;
    private final Checker.MiscCheck checker;
    private final int configuredWeight;
    private final String label;
    private final Duration timeout;

    public MiscProbe(ScriptRunner runner, CheckTarget target) {
        this.runner = runner;
        this.checker = (Checker.MiscCheck) target.checker();
        this.configuredWeight = target.realServer().weight();
        this.label = target.label();
        Duration t = checker.miscTimeout();
        if (t == null || t.isZero() || t.isNegative()) t = checker.common() != null ? checker.common().delayLoop() : null;
        this.timeout = t == null ? Duration.ofSeconds(60) : t;
    }

    @Override public String type() {
        return "MISC_CHECK";
    }

    @Override public CompletableFuture<CheckResult> check() {
        String cmd = checker.miscPath().command();
        return runner.run(checker.miscPath(), timeout).thenApply(rc -> {
            if (rc == ScriptRunner.TIMED_OUT) return CheckResult.fail("script_timeout", "Misc check for [" + cmd + "] of " + label + " timed out.");
            if (rc == ScriptRunner.FAILED_TO_START) return CheckResult.fail("script_error", "Misc check for [" + cmd + "] of " + label + " could not be run.");
            // exit 0 puts a misc_dynamic server back at its configured weight (keepalived: dynamic part 0)
            if (rc == 0) return CheckResult.ok("Misc check for [" + cmd + "] of " + label + " success.", checker.miscDynamic() ? 0 : null);
            if (checker.miscDynamic() && rc >= 2 && rc <= 255) {
                return CheckResult.ok("Misc check for [" + cmd + "] of " + label + " success, weight " + (rc - 2) + ".",
                        rc - 2 - configuredWeight);
            }
            return CheckResult.fail("script_exit", "Misc check for [" + cmd + "] of " + label + " failed with exit status " + rc + ".");
        });
    }
}
