package org.jkeepalived.vrrp.io;

import java.io.IOException;

/** Adds and removes virtual_routes (rtnetlink RTM_NEWROUTE / RTM_DELROUTE). */
public interface RouteManager {
    /** false when the kernel already had the route. */
    boolean add(VirtualRoute route) throws IOException;

    /** false when the route was not there. */
    boolean remove(VirtualRoute route) throws IOException;
}
