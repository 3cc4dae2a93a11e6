package org.jkeepalived.core.table;

import java.util.List;
import java.util.Optional;

/**
 * A virtual service as IPVS holds it (ipvsadm -A): scheduler, scheduler flags (flag-1..3, sh-port,
 * sh-fallback, mh-port, mh-fallback), one-packet scheduling, persistence (seconds, 0 = off) with
 * its netmask (IPv4 dotted or IPv6 prefix length), and the destinations.
 */
public record VirtualService(ServiceKey key, String scheduler, List<String> schedFlags, boolean ops,
                             int persistenceTimeoutSeconds, String persistenceNetmask,
                             String persistenceEngine, List<Destination> destinations) {

    public VirtualService {
        schedFlags = List.copyOf(schedFlags);
        destinations = List.copyOf(destinations);
    }

    public boolean persistent() {
        return persistenceTimeoutSeconds > 0;
    }

    public Optional<Destination> destination(Destination.DestinationKey k) {
        return destinations.stream().filter(d -> d.key().equals(k)).findFirst();
    }

    public VirtualService withDestinations(List<Destination> ds) {
        return new VirtualService(key, scheduler, schedFlags, ops, persistenceTimeoutSeconds,
                persistenceNetmask, persistenceEngine, ds);
    }

    /** The same service without its destinations: what IPVS_CMD_NEW/SET_SERVICE carries. */
    public VirtualService serviceOnly() {
        return withDestinations(List.of());
    }
}
