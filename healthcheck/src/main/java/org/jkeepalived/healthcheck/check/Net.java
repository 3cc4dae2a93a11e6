package org.jkeepalived.healthcheck.check;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.time.Duration;
import javax.net.ssl.SSLException;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import org.jkeepalived.core.config.CheckerCommon;

/** Bootstraps for the checkers on the group handed in (NIO, or epoll when the group is an epoll one). */
public final class Net {
    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> tcp;
    private final Class<? extends DatagramChannel> udp;

    public Net(EventLoopGroup group) {
        this.group = group;
        boolean epoll = false;
        try {
            epoll = group instanceof IoEventLoopGroup g && g.isIoType(EpollIoHandler.class);
        } catch (Throwable ignored) {
            // epoll classes unusable here: NIO
        }
        this.tcp = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        this.udp = epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }

    /**
     * Ready sockets handled per turn of the checkers' loop. With thousands of checks a second an
     * unbounded epoll batch (Netty's default grows it to thousands) takes tens of ms, and the due
     * checks' timers wait behind it: measured p99 lateness 10-100 ms at 10,000 checks/s, 2-5 ms with 128.
     */
    static final int MAX_EVENTS = Integer.getInteger("jkeepalived.checker.maxEvents", 128);

    /**
     * The checkers' event loop group: epoll where the native transport loads (cheaper per
     * connection, and SO_MARK / SO_BINDTODEVICE work), NIO elsewhere.
     */

    public static EventLoopGroup newGroup(int threads, String threadName) {
        io.netty.util.concurrent.DefaultThreadFactory tf = new io.netty.util.concurrent.DefaultThreadFactory(threadName, true);
        boolean epoll;
        try {
            epoll = io.netty.channel.epoll.Epoll.isAvailable();
        } catch (Throwable t) {
            epoll = false;
        }
        return new io.netty.channel.MultiThreadIoEventLoopGroup(threads, tf, epoll
                ? EpollIoHandler.newFactory(MAX_EVENTS, io.netty.channel.DefaultSelectStrategyFactory.INSTANCE)
                : io.netty.channel.nio.NioIoHandler.newFactory());
    }

    public EventLoopGroup group() {
        return group;
    }

    public Bootstrap tcp(CheckerCommon c) {
        Bootstrap b = new Bootstrap().group(group).channel(tcp)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, millis(c.connectTimeout(), 5000)))
                .option(ChannelOption.SO_LINGER, 0)
                .option(ChannelOption.AUTO_READ, true);
        SocketAddress local = local(c);
        if (local != null) b.localAddress(local);
        mark(b, c);
        return b;
    }

    private static final int SOL_SOCKET = 1, SO_BINDTODEVICE = 25, SO_MARK = 36, IFNAMSIZ = 16;

    /** True when the group runs the epoll transport (fwmark and bind_if need it). */
    public boolean epoll() {
        return tcp == EpollSocketChannel.class;
    }

    /**
     * fwmark (SO_MARK) and bind_if (SO_BINDTODEVICE) on checker sockets: raw socket options exist
     * only on the epoll transport; with NIO they are ignored (logged once by the factory).
     */
    private void mark(Bootstrap b, CheckerCommon c) {
        if (!epoll()) return;
        if (c.fwmark() != null && c.fwmark() != 0) {
            b.option(new io.netty.channel.unix.IntegerUnixChannelOption("SO_MARK", SOL_SOCKET, SO_MARK), c.fwmark());
        }
        if (c.bindIf() != null && !c.bindIf().isEmpty()) {
            byte[] name = c.bindIf().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocateDirect(IFNAMSIZ);
            buf.put(name, 0, Math.min(name.length, IFNAMSIZ - 1)).position(0);
            b.option(new io.netty.channel.unix.RawUnixChannelOption("SO_BINDTODEVICE", SOL_SOCKET, SO_BINDTODEVICE, IFNAMSIZ), buf);
        }
    }

    public Bootstrap udp(CheckerCommon c) {
        Bootstrap b = new Bootstrap().group(group).channel(udp);
        SocketAddress local = local(c);
        if (local != null) b.localAddress(local);
        mark(b, c);
        return b;
    }

    private static SocketAddress local(CheckerCommon c) {
        if (c.bindto() == null && (c.bindPort() == null || c.bindPort() == 0)) return null;
        InetAddress a = c.bindto();
        int port = c.bindPort() == null ? 0 : c.bindPort();
        if (a == null) return new InetSocketAddress(port);
        return new InetSocketAddress(a, port);
    }

    public static long millis(Duration d, long dflt) {
        return d == null || d.isZero() || d.isNegative() ? dflt : d.toMillis();
    }

    public static InetSocketAddress remote(CheckerCommon c) {
        return new InetSocketAddress(c.connectIp(), c.connectPort());
    }

    /** A failure cause as a low-cardinality reason code. */
    public static String reason(Throwable t) {
        while (t != null && t.getCause() != null && !(t instanceof IOException) && !(t instanceof ReadTimeoutException)) {
            t = t.getCause();
        }
        if (t instanceof ConnectTimeoutException || t instanceof ReadTimeoutException) return "timeout";
        if (t instanceof PortUnreachableException) return "unreachable";
        if (t instanceof NoRouteToHostException) return "unreachable";
        if (t instanceof ConnectException) return "connect_refused";
        if (t instanceof SSLException) return "tls";
        if (t instanceof IOException) {
            String m = String.valueOf(t.getMessage()).toLowerCase();
            if (m.contains("reset")) return "reset";
            if (m.contains("refused")) return "connect_refused";
            return "io_error";
        }
        return "error";
    }

    /** A short text for a failure cause. */
    public static String describe(Throwable t) {
        if (t == null) return "unknown";
        if (t instanceof ReadTimeoutException) return "timeout";
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
