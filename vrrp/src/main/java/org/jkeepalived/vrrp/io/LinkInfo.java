package org.jkeepalived.vrrp.io;

/**
 * An interface as rtnetlink reports it.
 *
 * @param flags   IFF_* flags (IFF_UP 0x1, IFF_RUNNING 0x40, IFF_LOWER_UP 0x10000)
 * @param carrier IFLA_CARRIER (true when the kernel did not say)
 * @param mac     hardware address (IFLA_ADDRESS), empty when the link has none
 */
public record LinkInfo(int index, String name, int flags, boolean carrier, byte[] mac) {
    public static final int IFF_UP = 0x1;
    public static final int IFF_RUNNING = 0x40;

    public LinkInfo {
        mac = mac == null ? new byte[0] : mac.clone();
    }

    public boolean adminUp() {
        return (flags & IFF_UP) != 0;
    }

    /** IFF_RUNNING: operationally up (carrier present). */
    public boolean running() {
        return (flags & IFF_RUNNING) != 0;
    }

    /** What VRRP calls the interface being up: administratively up, running and with carrier. */
    public boolean usable() {
        return adminUp() && running() && carrier;
    }

    @Override
    public byte[] mac() {
        return mac.clone();
    }

    public String macString() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < mac.length; i++) {
            if (i > 0) {
                b.append(':');
            }
            b.append(String.format("%02x", mac[i] & 0xff));
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LinkInfo)) {
            return false;
        }
        LinkInfo l = (LinkInfo) o;
        return index == l.index && name.equals(l.name) && flags == l.flags && carrier == l.carrier
                && java.util.Arrays.equals(mac, l.mac);
    }

    @Override
    public int hashCode() {
        return index * 31 + name.hashCode();
    }

    @Override
    public String toString() {
        return name + "(" + index + ") " + (usable() ? "UP" : "DOWN") + " flags=0x" + Integer.toHexString(flags)
                + " carrier=" + carrier + " mac=" + macString();
    }
}
