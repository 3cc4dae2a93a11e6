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
}
