package org.jkeepalived.vrrp.io;

import java.net.Inet6Address;
import java.net.InetAddress;

/** An address the kernel holds on an interface, as RTM_GETADDR reports it. */
public record InterfaceAddress(int ifindex, InetAddress address, int prefix, int scope, String label,
                               InetAddress broadcast, int flags) {
    /** IFA_F_SECONDARY: not the interface's primary address of its subnet. */
    public static final int IFA_F_SECONDARY = 0x01;
    public static final int IFA_F_TENTATIVE = 0x40;

    public boolean secondary() {
        return (flags & IFA_F_SECONDARY) != 0;
    }

    public boolean ipv6() {
        return address instanceof Inet6Address;
    }

    public boolean linkLocal() {
        return address.isLinkLocalAddress();
    }
}
