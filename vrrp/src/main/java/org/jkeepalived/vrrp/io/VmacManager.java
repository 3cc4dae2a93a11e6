package org.jkeepalived.vrrp.io;

import java.io.IOException;

/** Creates and deletes use_vmac macvlan interfaces (rtnetlink RTM_NEWLINK / RTM_DELLINK). */
public interface VmacManager {
    /**
     * Creates the macvlan on its base interface (replacing a leftover of the same name), sets it up
     * as keepalived does (sysctls on it and on the base, no IPv6 address generation; for IPv6 the
     * base's link-local address copied onto it so adverts can be sent from it) and brings it up.
     */
    void create(Vmac vmac) throws IOException;

    /** Deletes the interface; false when it was not there. */
    boolean remove(String name) throws IOException;
}
