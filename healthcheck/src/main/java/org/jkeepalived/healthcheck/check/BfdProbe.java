package org.jkeepalived.healthcheck.check;

import java.util.concurrent.CompletableFuture;
import org.jkeepalived.healthcheck.CheckResult;
import org.jkeepalived.healthcheck.CheckTarget;
import org.jkeepalived.healthcheck.Probe;

/**
 * BFD_CHECK: jkeepalived has no BFD. The service never schedules it: the checker shows as
 * NOT_IMPLEMENTED in the status and a warning is logged at start; it does not decide up/down.
 */
public final class BfdProbe implements Probe {
    private final String label;

    public BfdProbe(CheckTarget target) {
        this.label = target.label();
    }

    @Override public String type() {
        return "BFD_CHECK";
    }

    @Override public CompletableFuture<CheckResult> check() {
        return CompletableFuture.completedFuture(CheckResult.notImplemented("BFD_CHECK on " + label + " is not implemented (no BFD support)."));
    }
}
