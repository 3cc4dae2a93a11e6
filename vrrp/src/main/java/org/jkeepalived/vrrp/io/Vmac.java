package org.jkeepalived.vrrp.io;

import java.util.List;
import java.util.Objects;
import org.jkeepalived.core.config.VrrpInstance;

/**
 * A use_vmac interface: a macvlan (mode private) named {@code name} on {@code base} with the VRRP
 * virtual router MAC of RFC 5798 §7.3, 00:00:5e:00:01:VRID for IPv4 and 00:00:5e:00:02:VRID for IPv6,
 * unless use_vmac's second argument gives one (5 octets: the VRID is the sixth).
 *
 * @param address the MAC given to use_vmac as xx:xx:xx:xx:xx:xx, null for the RFC one
 */
public record Vmac(String name, String base, int vrid, boolean ipv6, String address) {
    public Vmac {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(base, "base");
        if (vrid < 1 || vrid > 255) {
            throw new IllegalArgumentException("VRID " + vrid);
        }
        if (address != null) {
            address = normalize(address, vrid);
        }
    }

    public Vmac(String name, String base, int vrid, boolean ipv6) {
        this(name, base, vrid, ipv6, null);
    }

    private static String normalize(String mac, int vrid) {
        String[] p = mac.split(":");
        if ((p.length != 5 && p.length != 6) || !mac.matches("[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){4,5}")) {
            throw new IllegalArgumentException("use_vmac: not a MAC address: " + mac);
        }
        StringBuilder b = new StringBuilder();
        for (String o : p) {
            b.append(b.length() == 0 ? "" : ":").append(String.format("%02x", Integer.parseInt(o, 16)));
        }
        if (p.length == 5) {
            b.append(String.format(":%02x", vrid));
        }
        if ((Integer.parseInt(b.substring(0, 2), 16) & 1) != 0) {
            throw new IllegalArgumentException("use_vmac: " + mac + " is a multicast address");
        }
        return b.toString();
    }

    /** The instance's VMAC, or null without use_vmac. */
    public static Vmac of(VrrpInstance vi) {
        if (vi.useVmac() == null || vi.iface() == null) {
            return null;
        }
        String name = vi.useVmac().isEmpty() ? "vrrp." + vi.virtualRouterId() : vi.useVmac();
        // use_vmac NAME MAC: the parser keeps the arguments beyond the name in the options
        String address = null;
        List<List<String>> extra = vi.options().get("use_vmac");
        if (extra != null && !extra.isEmpty() && extra.get(extra.size() - 1).size() > 1) {
            address = extra.get(extra.size() - 1).get(1);
        }
        try {
            return new Vmac(name, vi.iface(), vi.virtualRouterId(), vi.ipv6(), address);
        } catch (IllegalArgumentException e) {
            return new Vmac(name, vi.iface(), vi.virtualRouterId(), vi.ipv6(), null); // see addressProblem
        }
    }

    /** Why use_vmac's MAC argument cannot be used (then the RFC MAC is), or null. */
    public static String addressProblem(VrrpInstance vi) {
        List<List<String>> extra = vi.options().get("use_vmac");
        if (vi.useVmac() == null || extra == null || extra.isEmpty() || extra.get(extra.size() - 1).size() < 2) {
            return null;
        }
        try {
            normalize(extra.get(extra.size() - 1).get(1), vi.virtualRouterId());
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    public byte[] mac() {
        String[] p = macString().split(":");
        byte[] m = new byte[6];
        for (int i = 0; i < 6; i++) {
            m[i] = (byte) Integer.parseInt(p[i], 16);
        }
        return m;
    }

    public String macString() {
        return address != null ? address : String.format("00:00:5e:00:%02x:%02x", ipv6 ? 2 : 1, vrid);
    }
}
