package org.jkeepalived.healthcheck.nativeio;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.SaveError;

/**
 * Test helper: a {@link UdpTtlSocket.Opener} that opens its sockets inside a named network namespace
 * (setns on one dedicated thread: a socket stays in the namespace it was created in).
 */
public final class NetnsSockets implements UdpTtlSocket.Opener, AutoCloseable {

    public interface LibC {
        @SaveError int open(String path, int flags);

        @SaveError int setns(int fd, int nstype);

        int close(int fd);
    }

    private static final int CLONE_NEWNET = 0x40000000;
    private final ExecutorService thread;

    public NetnsSockets(String namespace) throws IOException {
        LibC c = LibraryLoader.create(LibC.class).load("c");
        thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "netns-" + namespace);
            t.setDaemon(true);
            return t;
        });
        call(() -> {
            int fd = c.open("/run/netns/" + namespace, 0);
            if (fd < 0) throw new IOException("open /run/netns/" + namespace);
            try {
                if (c.setns(fd, CLONE_NEWNET) != 0) throw new IOException("setns " + namespace);
            } finally {
                c.close(fd);
            }
            return null;
        });
    }

    private interface Call<T> {
        T run() throws IOException;
    }

    private <T> T call(Call<T> body) throws IOException {
        try {
            return thread.submit(body::run).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Override public UdpTtlSocket open(boolean ipv6, java.net.InetAddress bind, int port, int ttl) throws IOException {
        return call(() -> UdpTtlSocket.SYSTEM.open(ipv6, bind, port, ttl));
    }

    @Override public void close() {
        thread.shutdownNow();
    }
}
