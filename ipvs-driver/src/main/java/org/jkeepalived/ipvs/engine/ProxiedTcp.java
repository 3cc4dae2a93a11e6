package org.jkeepalived.ipvs.engine;

import io.netty.channel.EventLoop;

/** One client connection proxied to a real server, whichever relay carries it (see {@link UringTcpConnection}). */
interface ProxiedTcp {
    /** IPVS's view of a proxied connection: SYN_RECV until the real server answers, ESTABLISHED = active, CLOSING after the first FIN. */
    int CONNECTING = 0, ESTABLISHED = 1, CLOSING = 2, CLOSED = 3;

    /**
     * Has a connection in {@code state}, last active at {@code lastActivity}, outlived its timeout
     * (tcp while established, tcpfin once closing; never while connecting or closed)?
     */
    static boolean pastTimeout(int state, long lastActivity, long now, long tcpTimeoutNanos, long finTimeoutNanos) {
        if (state == CLOSED || state == CONNECTING) return false;
        return now - lastActivity > (state == ESTABLISHED ? tcpTimeoutNanos : finTimeoutNanos);
    }

    /** The event loop the connection lives on; every method below but checkIdle runs there. */
    EventLoop loop();

    /** Closes both sides and releases the real server's binding; idempotent. */
    void close();

    /** Called by the idle sweeper from any thread: closes (on the loop) past the tcp / tcpfin timeout. */
    void checkIdle(long now, long tcpTimeoutNanos, long finTimeoutNanos);
}
