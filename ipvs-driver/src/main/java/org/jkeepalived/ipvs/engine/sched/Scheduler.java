package org.jkeepalived.ipvs.engine.sched;

import java.util.List;

/**
 * One IPVS scheduler for one service. {@code dests} is the service's destination list in the kernel's
 * order (newest first, as list_add puts it); callers serialise calls per service.
 */
public interface Scheduler {

    /** The ipvsadm name: rr, wrr, lc, ... */
    String name();

    /** The server for a new connection, or null when none is available ("no destination available"). */
    DestState pick(List<DestState> dests, ClientKey client);

    /** A destination was added, removed or edited (the kernel's add_dest / del_dest / upd_dest). */
    default void destinationsChanged(List<DestState> dests) {}
}
