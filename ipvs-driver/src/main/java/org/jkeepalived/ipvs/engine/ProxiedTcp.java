package org.jkeepalived.ipvs.engine;

import io.netty.channel.EventLoop;

/** One client connection proxied to a real server, whichever relay carries it (see {@link UringTcpConnection}). */
interface ProxiedTcp {
    /** The event loop the connection lives on; every method below but checkIdle runs there. */
    EventLoop loop();

    /** Closes both sides and releases the real server's binding; idempotent. */
    void close();

    /** Called by the idle sweeper from any thread: closes (on the loop) past the tcp / tcpfin timeout. */
    void checkIdle(long now, long tcpTimeoutNanos, long finTimeoutNanos);
}
