package org.jkeepalived.healthcheck;

import org.jkeepalived.core.table.TableChange;

/**
 * Receives each desired-table change, in order, on the checkers' control loop (keep it short:
 * hand the change to your own executor). The whole table is {@link HealthcheckService#desiredTable()};
 * the changes of one decision (e.g. quorum lost: sorry server in, real servers out) arrive in
 * one burst, so a consumer can coalesce them.
 */
@FunctionalInterface
public interface HealthcheckListener {
    void onChange(TableChange change);

    /**
     * A real server went up or down, where its notify_up / notify_down would run; labels as keepalived
     * prints them ({@code [10.0.0.1]:tcp:80}, {@code FWM 1}).
     */
    default void onRealServer(String virtualServer, String realServer, boolean up) {
    }

    /** A virtual server gained (up) or lost its quorum, where quorum_up / quorum_down would run. */
    default void onQuorum(String virtualServer, boolean up) {
    }
}
