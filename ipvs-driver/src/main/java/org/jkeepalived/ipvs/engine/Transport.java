package org.jkeepalived.ipvs.engine;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoHandlerConfig;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The socket layer under the engine: io_uring or epoll (Linux, netty-all's natives) or NIO anywhere.
 * The native ones bind listeners with SO_REUSEPORT (a listener per loop, when configured so) and FREEBIND.
 */
enum Transport {
    IO_URING("io_uring"), EPOLL("epoll"), NIO("nio");

    private final String label;

    Transport(String label) {
        this.label = label;
    }

    /**
     * The first of {@code wanted} (a name, or "native" = io_uring else epoll) that this host can run;
     * NIO when none of them loads.
     */
    static Transport choose(String wanted) {
        return switch (wanted) {
            case "io_uring" -> IoUring.isAvailable() ? IO_URING : choose("epoll");
            case "epoll" -> Epoll.isAvailable() ? EPOLL : NIO;
            case "nio" -> NIO;
            default -> IoUring.isAvailable() ? IO_URING : choose("epoll");
        };
    }

    /** Why the native transports did not load (for the log), or null. */
    static String unavailabilityCause() {
        return "io_uring: " + IoUring.unavailabilityCause() + "; epoll: " + Epoll.unavailabilityCause();
    }

    boolean isNative() {
        return this != NIO;
    }

    String label() {
        return label;
    }

    EventLoopGroup newGroup(int threads, String name) {
        IoHandlerFactory f = switch (this) {
            // every open connection keeps a receive pending, so with thousands of them a burst of
            // completions overflows Netty's default queue (4096; seen in the 10,000-connection test);
            // 64 Ki entries of 16 bytes: 1 MiB per loop
            case IO_URING -> IoUringIoHandler.newFactory(new IoUringIoHandlerConfig().setCqSize(65536));
            case EPOLL -> EpollIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), f);
    }

    Class<? extends ServerChannel> serverSocket() {
        return switch (this) {
            case IO_URING -> IoUringServerSocketChannel.class;
            case EPOLL -> EpollServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }

    Class<? extends Channel> socket() {
        return switch (this) {
            case IO_URING -> IoUringSocketChannel.class;
            case EPOLL -> EpollSocketChannel.class;
            case NIO -> NioSocketChannel.class;
        };
    }

    Class<? extends DatagramChannel> datagram() {
        return switch (this) {
            case IO_URING -> IoUringDatagramChannel.class;
            case EPOLL -> EpollDatagramChannel.class;
            case NIO -> NioDatagramChannel.class;
        };
    }

    ChannelOption<Boolean> freeBind() {
        return this == IO_URING ? IoUringChannelOption.IP_FREEBIND : EpollChannelOption.IP_FREEBIND;
    }

    ChannelOption<Boolean> reusePort() {
        return UnixChannelOption.SO_REUSEPORT;
    }
}
