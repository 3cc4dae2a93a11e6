package org.jkeepalived.ipvs.engine;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/** Native epoll when it loads (Linux x86_64/aarch64 with netty-all's natives), NIO otherwise. */
final class Transport {
    final boolean epoll;

    private Transport(boolean epoll) {
        this.epoll = epoll;
    }

    static Transport choose(boolean preferEpoll) {
        return new Transport(preferEpoll && Epoll.isAvailable());
    }

    static Throwable epollUnavailabilityCause() {
        return Epoll.unavailabilityCause();
    }

    String name() {
        return epoll ? "epoll" : "nio";
    }

    EventLoopGroup newGroup(int threads, String name) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    Class<? extends ServerChannel> serverSocket() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    Class<? extends Channel> socket() {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    Class<? extends DatagramChannel> datagram() {
        return epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }
}
