package org.jkeepalived.healthcheck;

import java.net.InetAddress;
import java.util.List;
import org.jkeepalived.core.table.ServiceKey;

/** A snapshot of one real server (or sorry server) as the checkers see it. */
public record RealServerStatus(String virtualServer, List<ServiceKey> services, InetAddress address, int port,
                               boolean alive, int weight, boolean inTable, String lastFailure,
                               List<CheckerStatus> checkers) {
    public RealServerStatus {
        services = List.copyOf(services);
        checkers = List.copyOf(checkers);
    }

    /** state: UP or DOWN; lastReason / lastMessage of the last attempt (null before any). */
    /** @param weightDelta the dynamic weight (misc_dynamic, FILE_CHECK) as a difference to the configured one, or null */
    public record CheckerStatus(String type, String state, int retriesUsed, String lastReason, String lastMessage,
                                Integer weightDelta) {}
}
