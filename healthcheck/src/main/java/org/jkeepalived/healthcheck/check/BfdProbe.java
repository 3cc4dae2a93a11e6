package org.jkeepalived.healthcheck.check;

import java.util.concurrent.CompletableFuture;
import org.jkeepalived.core.config.Checker;
import org.jkeepalived.healthcheck.CheckResult;
import org.jkeepalived.healthcheck.CheckTarget;
import org.jkeepalived.healthcheck.Probe;
import org.jkeepalived.healthcheck.bfd.BfdService;
import org.jkeepalived.healthcheck.bfd.BfdState;

/**
 * BFD_CHECK: the real server is up while its named bfd_instance session is Up. Reading the state
 * costs nothing; the service also wakes the checker at once on every state change of the session.
 */
public final class BfdProbe implements Probe {
    private final String label;
    private final String name;
    private final BfdService bfd;
    private volatile Runnable wake;
    private final BfdService.Listener listener;

    public BfdProbe(CheckTarget target, BfdService bfd) {
        this.label = target.label();
        this.name = ((Checker.BfdCheck) target.checker()).name();
        this.bfd = bfd;
        this.listener = (n, s) -> {
            Runnable w = wake;
            if (w != null && n.equals(name)) w.run();
        };
        if (bfd != null) bfd.addListener(listener);
    }

    @Override public String type() {
        return "BFD_CHECK";
    }

    @Override public void onWake(Runnable wake) {
        this.wake = wake;
    }

    @Override public CompletableFuture<CheckResult> check() {
        BfdState s = bfd == null ? null : bfd.state(name);
        if (s == BfdState.UP) {
            return CompletableFuture.completedFuture(CheckResult.ok("BFD check of " + label + " (" + name + ") succeeded."));
        }
        String why = s == null ? "is not running" : "is " + s.label;
        return CompletableFuture.completedFuture(CheckResult.fail("bfd_down",
                "BFD check of " + label + " failed: bfd_instance " + name + " " + why + "."));
    }

    @Override public void close() {
        wake = null;
        if (bfd != null) bfd.removeListener(listener);
    }
}
