package org.jkeepalived.ipvs;

import java.util.List;
import org.jkeepalived.core.table.Destination;
import org.jkeepalived.core.table.ServiceKey;
import org.jkeepalived.core.table.VirtualService;

/**
 * The driver SPI: a place that holds a virtual-server table (kernel IPVS, or the userspace engine).
 * The {@link Reconciler} is its only caller; each method is one atomic table operation and throws
 * {@link LvsException} naming the service and the cause when the backend refuses it.
 */
public interface LvsBackend extends AutoCloseable {

    /** "kernel-ipvs" or "userspace". */
    String name();

    /** The table as the backend holds it now, destinations included. */
    List<VirtualService> readTable() throws LvsException;

    void addService(VirtualService service) throws LvsException;

    /** Change scheduler, flags or persistence of an existing service (destinations untouched). */
    void editService(VirtualService service) throws LvsException;

    void deleteService(ServiceKey key) throws LvsException;

    void addDestination(ServiceKey service, Destination destination) throws LvsException;

    void editDestination(ServiceKey service, Destination destination) throws LvsException;

    void deleteDestination(ServiceKey service, Destination.DestinationKey destination) throws LvsException;

    /** Remove every service (lvs_flush). */
    void flush() throws LvsException;

    /** Counters and rates per service and destination, ipvsadm --stats / --rate meanings. */
    List<ServiceStats> readStats() throws LvsException;

    /** lvs_timeouts; null fields are left as they are. */
    default void setTimeouts(Timeouts timeouts) throws LvsException {
        throw new LvsException("timeouts are not supported by the " + name() + " backend");
    }

    default Timeouts readTimeouts() throws LvsException {
        throw new LvsException("timeouts are not supported by the " + name() + " backend");
    }

    @Override void close();

    /** tcp, tcpfin, udp idle timeouts in seconds (ipvsadm --set). */
    record Timeouts(Integer tcp, Integer tcpFin, Integer udp) {}

    /** Counters (since creation) and rates (per second) of a service or destination. */
    record Counters(long conns, long inPackets, long outPackets, long inBytes, long outBytes,
                    long cps, long inPps, long outPps, long inBps, long outBps) {
        public static final Counters ZERO = new Counters(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    record DestinationStats(Destination.DestinationKey destination, int activeConns, int inactiveConns,
                            Counters counters) {}

    record ServiceStats(ServiceKey service, Counters counters, List<DestinationStats> destinations) {
        public ServiceStats {
            destinations = List.copyOf(destinations);
        }
    }
}
