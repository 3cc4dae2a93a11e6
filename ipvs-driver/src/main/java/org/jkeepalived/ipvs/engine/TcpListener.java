package org.jkeepalived.ipvs.engine;

import io.netty.channel.Channel;
import io.netty.channel.unix.UnixChannel;

/** One listening socket of a TCP virtual service (one, or one per event loop: EngineSettings.acceptOnEveryLoop). */
interface TcpListener {
    /** The socket's descriptor (for the SO_REUSEPORT steering program), or -1 on NIO. */
    int fd();

    /** Stops accepting; returns once the socket is closed. */
    void stop();

    static TcpListener of(Channel ch) {
        return new TcpListener() {
            @Override public int fd() {
                return ch instanceof UnixChannel u ? u.fd().intValue() : -1;
            }

            @Override public void stop() {
                ch.close().awaitUninterruptibly();
            }
        };
    }
}
