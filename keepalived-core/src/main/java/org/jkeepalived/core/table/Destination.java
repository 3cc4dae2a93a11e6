package org.jkeepalived.core.table;

import java.net.InetAddress;
import org.jkeepalived.core.config.LvsMethod;
import org.jkeepalived.core.config.TunnelSpec;

/** A real server as IPVS holds it (ipvsadm -a): address, port, forwarding method, weight, thresholds. */
public record Destination(InetAddress address, int port, LvsMethod method, int weight,
                          int upperThreshold, int lowerThreshold, TunnelSpec tunnel) {

    public DestinationKey key() {
        return new DestinationKey(address, port);
    }

    public Destination withWeight(int w) {
        return new Destination(address, port, method, w, upperThreshold, lowerThreshold, tunnel);
    }

    /** Identity of a destination within one service. */
    public record DestinationKey(InetAddress address, int port) {
        @Override public String toString() { return ServiceKey.hostPort(address, port); }
    }
}
