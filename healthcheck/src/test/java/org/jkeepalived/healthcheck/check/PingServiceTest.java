package org.jkeepalived.healthcheck.check;

import static org.junit.jupiter.api.Assertions.*;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jkeepalived.healthcheck.nativeio.IcmpSocket;
import org.junit.jupiter.api.Test;

/** PingService matching and timeouts against a scripted ICMP socket (no privileges needed). */
class PingServiceTest {

    /** Answers echoes only for one address; records nothing else. */
    static final class FakeSocket implements IcmpSocket {
        final InetAddress alive;
        final BlockingQueue<Received> replies = new ArrayBlockingQueue<>(100);
        volatile boolean closed;

        FakeSocket(InetAddress alive) {
            this.alive = alive;
        }

        @Override public boolean datagram() { return false; }

        @Override public boolean ipv6() { return false; }

        @Override public void send(InetAddress to, byte[] icmp) {
            if (!to.equals(alive)) return;
            byte[] reply = icmp.clone();
            reply[0] = 0;
            replies.add(new Received(to, reply));
            // an echo with a foreign identifier must be ignored
            byte[] foreign = reply.clone();
            foreign[4] ^= 0x55;
            replies.add(new Received(to, foreign));
        }

        @Override public Received receive(int timeoutMillis) throws IOException {
            if (closed) throw new IOException("closed");
            try {
                return replies.poll(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        }

        @Override public void close() {
            closed = true;
        }
    }

    @Test void replyMatchedAndSilenceTimesOut() throws Exception {
        var group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        InetAddress up = InetAddress.getByName("192.0.2.1"), down = InetAddress.getByName("192.0.2.2");
        FakeSocket sock = new FakeSocket(up);
        try (PingService ping = new PingService(group, v6 -> sock)) {
            var a = ping.ping(up, Duration.ofMillis(300));
            var b = ping.ping(down, Duration.ofMillis(300));
            assertTrue(a.get(2, TimeUnit.SECONDS).ok());
            PingService.Reply r = b.get(2, TimeUnit.SECONDS);
            assertFalse(r.ok());
            assertEquals("timeout", r.reason());
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
