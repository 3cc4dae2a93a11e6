package org.jkeepalived.ipvs.engine;

/** {@link EngineStressTest} on the relay through Netty channels ({@link TcpConnection}). */
class NettyRelayStressTest extends EngineStressTest {
    @Override EngineSettings settings() {
        return EngineSettings.defaults().withDirectRelay(false);
    }
}
