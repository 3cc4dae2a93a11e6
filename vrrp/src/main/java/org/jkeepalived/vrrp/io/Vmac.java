package org.jkeepalived.vrrp.io;

import java.util.Objects;
import org.jkeepalived.core.config.VrrpInstance;

/**
 * A use_vmac interface: a macvlan (mode private) named {@code name} on {@code base} with the VRRP
 * virtual router MAC of RFC 5798 §7.3, 00:00:5e:00:01:VRID for IPv4 and 00:00:5e:00:02:VRID for IPv6.
 */
public record Vmac(String name, String base, int vrid, boolean ipv6) {
    public Vmac {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(base, "base");
        if (vrid < 1 || vrid > 255) {
            throw new IllegalArgumentException("VRID " + vrid);
        }
    }

    /** The instance's VMAC, or null without use_vmac. */
    public static Vmac of(VrrpInstance vi) {
        if (vi.useVmac() == null || vi.iface() == null) {
            return null;
        }
        String name = vi.useVmac().isEmpty() ? "vrrp." + vi.virtualRouterId() : vi.useVmac();
        return new Vmac(name, vi.iface(), vi.virtualRouterId(), vi.ipv6());
    }

    public byte[] mac() {
        return new byte[]{0, 0, 0x5e, 0, (byte) (ipv6 ? 2 : 1), (byte) vrid};
    }

    public String macString() {
        return String.format("00:00:5e:00:%02x:%02x", ipv6 ? 2 : 1, vrid);
    }
}
