package org.jkeepalived.vrrp.io;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;

/**
 * Announces that this host now answers for an address: a gratuitous ARP for IPv4, an unsolicited
 * neighbour advertisement (override flag, to ff02::1, hop limit 255) for IPv6. When and how often
 * is the engine's business ({@link GarpSchedule}); this only puts one announcement on the wire.
 */
public interface GratuitousArp extends Closeable {
    /** Sends one GARP (IPv4) or unsolicited NA (IPv6) for {@code address} out of {@code iface}. */
    void announce(String iface, InetAddress address) throws IOException;

    @Override
    void close();
}
