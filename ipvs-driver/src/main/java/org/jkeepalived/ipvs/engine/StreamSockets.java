package org.jkeepalived.ipvs.engine;

import io.netty.channel.unix.Socket;

/**
 * Non-blocking TCP sockets of one address family, through Netty's JNI (loaded with its io_uring
 * transport). Netty's public factory makes dual-stack IPv6 sockets only, on which IPv4 peers show as
 * ::ffff:a.b.c.d; a socket of the address's own family keeps client addresses as they are for the
 * schedulers and persistence masks.
 */
final class StreamSockets extends Socket {
    private StreamSockets(int fd) {
        super(fd);
    }

    static Socket open(boolean ipv6) {
        return new Socket(newSocketStream0(ipv6));
    }

    static void closeQuietly(Socket s) {
        if (s == null) return;
        try {
            s.close();
        } catch (java.io.IOException ignored) {
            // already closed
        }
    }
}
