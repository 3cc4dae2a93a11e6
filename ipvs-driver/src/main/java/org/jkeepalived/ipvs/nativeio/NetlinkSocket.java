package org.jkeepalived.ipvs.nativeio;

/**
 * A bound AF_NETLINK datagram socket: the only native surface the kernel backend needs. Tests
 * replace it with a scripted fake; {@link #openGeneric()} gives the real NETLINK_GENERIC one.
 */
public interface NetlinkSocket extends AutoCloseable {

    /** Sends {@code len} bytes (one or more netlink messages) in one sendmsg. */
    void send(byte[] data, int len) throws NetlinkIoException;

    /** Receives one datagram into {@code into}; returns its length. Times out as configured. */
    int receive(byte[] into) throws NetlinkIoException;

    @Override void close();

    /** socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_GENERIC), bound, with big buffers and capped ACKs. */
    static NetlinkSocket openGeneric() throws NetlinkIoException {
        return JnrNetlinkSocket.open(16);
    }
}
