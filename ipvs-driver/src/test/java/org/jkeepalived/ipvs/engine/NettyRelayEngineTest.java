package org.jkeepalived.ipvs.engine;

/**
 * {@link UserspaceEngineTest} on the relay through Netty channels ({@link TcpConnection}): what epoll and
 * NIO always use, and io_uring with jkeepalived.engine.relay=netty. The parent runs the default (on
 * io_uring: {@link UringTcpConnection}).
 */
class NettyRelayEngineTest extends UserspaceEngineTest {
    @Override EngineSettings settings() {
        return EngineSettings.defaults().withDirectRelay(false);
    }
}
