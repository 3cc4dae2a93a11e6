package org.jkeepalived.healthcheck;

import java.util.concurrent.CompletableFuture;

/**
 * One check attempt of one checker against one real server. Implementations never block the
 * caller: the future completes on an event loop (or the script executor). They never complete
 * exceptionally on network trouble: a failure is a {@link CheckResult} with its reason.
 */
public interface Probe {
    CompletableFuture<CheckResult> check();

    /** keepalived's checker keyword (metrics tag). */
    String type();

    /**
     * For probes that learn about a change by themselves (BFD_CHECK): the service hands a callback that
     * runs the next check at once; call it from any thread.
     */
    default void onWake(Runnable wake) {}

    /** Release resources held across attempts (sockets, file watches). */
    default void close() {}
}
