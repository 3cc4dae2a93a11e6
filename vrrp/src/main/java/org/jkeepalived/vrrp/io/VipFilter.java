package org.jkeepalived.vrrp.io;

import java.util.List;

/**
 * no_accept (RFC 5798 Accept_Mode false): while an instance that is not the address owner is
 * MASTER, traffic to its VIPs (virtual_ipaddress and virtual_ipaddress_excluded) is dropped, and
 * so is traffic the host sends from them; IPv6 neighbour solicitations and advertisements still
 * pass so the VIP stays reachable for routing. The engine calls {@link #block} just before it adds
 * the VIPs and {@link #unblock} after it removed them, as keepalived 2.2.7 does.
 *
 * <p>Implementations never throw: a filter that cannot be programmed is logged as an error and VRRP
 * carries on (an unfiltered VIP is better than a virtual router that does not fail over).
 */
public interface VipFilter {
    /** The filter settings of global_defs (table name, hook priority, counters); called at start and reload. */
    default void configure(VipFilterOptions options) {
    }

    /** Drops traffic to and from {@code vips} for {@code instance}, replacing what it blocked before. */
    void block(String instance, List<VipAddress> vips);

    /** Lifts what {@code instance} blocked; nothing happens when it blocked nothing. */
    void unblock(String instance);

    /**
     * Forgets every instance and removes our table, including one a killed earlier run left
     * behind. Called when the engine starts and when it stops.
     */
    void clear();

    /** Filters nothing (fakes, and hosts where the engine runs without a firewall). */
    VipFilter NONE = new VipFilter() {
        @Override
        public void block(String instance, List<VipAddress> vips) {
        }

        @Override
        public void unblock(String instance) {
        }

        @Override
        public void clear() {
        }
    };
}
