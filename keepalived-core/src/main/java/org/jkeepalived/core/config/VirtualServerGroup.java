package org.jkeepalived.core.config;

import java.net.InetAddress;
import java.util.List;

/** virtual_server_group NAME { ADDR[-END|/nn] [PORT] ... fwmark N [inet|inet6] }. */
public record VirtualServerGroup(String name, List<Entry> entries) {
    public VirtualServerGroup {
        entries = entries == null ? List.of() : List.copyOf(entries);
    }

    /** An address range first..last (equal for a single address) with a port, or a fwmark. */
    public record Entry(InetAddress first, InetAddress last, int port, Integer fwmark, String family) {}
}
