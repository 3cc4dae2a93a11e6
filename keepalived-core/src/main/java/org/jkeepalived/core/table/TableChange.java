package org.jkeepalived.core.table;

/**
 * One change to the desired table, as the checkers decide it: a real or sorry server goes in,
 * out, or changes weight (an upsert with the new weight). The checkers never talk to IPVS;
 * the driver folds these into a {@link DesiredTable} and reconciles.
 */
public sealed interface TableChange {
    ServiceKey service();

    record AddService(ServiceKey service, VirtualService definition) implements TableChange {}

    record RemoveService(ServiceKey service) implements TableChange {}

    /** Add a destination or change its weight/thresholds; {@code reason} is for the log. */
    record UpsertDestination(ServiceKey service, Destination destination, String reason) implements TableChange {}

    record RemoveDestination(ServiceKey service, Destination.DestinationKey destination, String reason)
            implements TableChange {}
}
