package org.jkeepalived.healthcheck.check;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jkeepalived.core.config.Checker;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.config.RealServer;
import org.jkeepalived.core.config.VirtualServer;
import org.jkeepalived.healthcheck.CheckResult;
import org.jkeepalived.healthcheck.CheckTarget;
import org.jkeepalived.healthcheck.Fixtures;
import org.jkeepalived.healthcheck.ScriptRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** One Netty group for a test class, probes built by the production factory, loopback servers. */
abstract class ProbeTestSupport {
    static EventLoopGroup group;
    static ScriptRunner scripts;
    static final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();

    @BeforeAll static void setUpGroup() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        scripts = new ScriptRunner(2);
    }

    @AfterAll static void tearDownGroup() throws Exception {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
        closeables.clear();
        scripts.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    static NettyProbeFactory factory(KeepalivedConfig cfg) {
        NettyProbeFactory f = new NettyProbeFactory(group, scripts, cfg);
        closeables.add(f);
        return f;
    }

    static CheckResult run(Checker c) throws Exception {
        return run(c, Fixtures.rs(c.common() == null ? "127.0.0.1" : c.common().connectIp().getHostAddress(),
                c.common() == null ? 80 : c.common().connectPort(), 1, c), null);
    }

    static CheckResult run(Checker c, RealServer rs, VirtualServer vs) throws Exception {
        VirtualServer v = vs != null ? vs : Fixtures.vs("127.0.0.1", 80, rs);
        return factory(Fixtures.config(v)).create(new CheckTarget(v, rs, c)).check().get(20, TimeUnit.SECONDS);
    }

    /** A TCP server on loopback whose connections a handler serves (each on its own thread). */
    static final class RawServer implements AutoCloseable {
        interface Handler {
            void serve(Socket s) throws Exception;
        }

        final ServerSocket server;
        final ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "raw-server");
            t.setDaemon(true);
            return t;
        });
        final List<String> requests = new CopyOnWriteArrayList<>();

        RawServer(Handler h) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            pool.execute(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        pool.execute(() -> {
                            try (s) {
                                h.serve(s);
                            } catch (Exception ignored) {
                                // the peer went away: expected in these tests
                            }
                        });
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            closeables.add(this);
        }

        int port() {
            return server.getLocalPort();
        }

        /** Read the request header (up to the blank line) and remember it. */
        String readRequest(Socket s) throws IOException {
            InputStream in = s.getInputStream();
            StringBuilder b = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                b.append((char) c);
                if (b.length() >= 4 && b.substring(b.length() - 4).equals("\r\n\r\n")) break;
            }
            requests.add(b.toString());
            return b.toString();
        }

        static void write(Socket s, String text) throws IOException {
            OutputStream o = s.getOutputStream();
            o.write(text.getBytes(StandardCharsets.ISO_8859_1));
            o.flush();
        }

        @Override public void close() throws IOException {
            server.close();
            pool.shutdownNow();
        }
    }
}
