package org.jkeepalived.vrrp.track;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jkeepalived.core.config.ScriptSpec;

/**
 * Runs a script (vrrp_script, notify_*, MISC_CHECK...) without blocking the caller. The future
 * completes with the exit status (0..255), or {@link #TIMED_OUT} after the script was killed for
 * running too long, or {@link #FAILED_TO_START}. It never completes exceptionally.
 */
public interface ScriptRunner {
    int TIMED_OUT = -1;
    int FAILED_TO_START = -2;

    CompletableFuture<Integer> run(ScriptSpec spec, List<String> extraArgs, Duration timeout);

    default CompletableFuture<Integer> run(ScriptSpec spec, Duration timeout) {
        return run(spec, List.of(), timeout);
    }
}
