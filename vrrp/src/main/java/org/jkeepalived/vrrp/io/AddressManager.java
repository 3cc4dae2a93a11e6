package org.jkeepalived.vrrp.io;

import java.io.IOException;
import java.util.List;

/** Adds, removes and lists interface addresses (rtnetlink RTM_NEWADDR / RTM_DELADDR / RTM_GETADDR). */
public interface AddressManager {
    /** Adds the address; false when the interface already had it (not an error: a VIP may survive a crash). */
    boolean add(VipAddress vip) throws IOException;

    /** Removes the address; false when it was not there. */
    boolean remove(VipAddress vip) throws IOException;

    /** The addresses of one interface, both families, in the kernel's order (primary first). */
    List<InterfaceAddress> list(String iface) throws IOException;

    /** True when {@code iface} currently holds {@code vip}'s address. */
    default boolean has(VipAddress vip) throws IOException {
        for (InterfaceAddress a : list(vip.dev())) {
            if (a.address().equals(vip.address())) {
                return true;
            }
        }
        return false;
    }
}
