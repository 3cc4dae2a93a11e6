package org.jkeepalived.healthcheck.check;

import io.netty.util.concurrent.EventExecutorGroup;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jkeepalived.healthcheck.nativeio.IcmpSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ICMP echo for every PING_CHECK: one socket per address family, shared by all checks, one
 * receiver thread per socket matching replies to pending echoes (by sequence number, and by
 * identifier on raw sockets). Sending never blocks an event loop; timeouts run on the group.
 */
public final class PingService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PingService.class);

    /** Opens the socket for a family (replaceable in tests). */
    public interface SocketOpener {
        IcmpSocket open(boolean ipv6) throws IOException;
    }

    private final EventExecutorGroup timers;
    private final SocketOpener opener;
    private final Family v4 = new Family(false);
    private final Family v6 = new Family(true);
    private volatile boolean closed;

    public PingService(EventExecutorGroup timers) {
        this(timers, IcmpSocket::open);
    }

    public PingService(EventExecutorGroup timers, SocketOpener opener) {
        this.timers = timers;
        this.opener = opener;
    }

    /** Echo the address; completes with the round trip, or an exception text in {@link Reply#error()}. */
    public CompletableFuture<Reply> ping(InetAddress dst, Duration timeout) {
        Family f = dst instanceof Inet6Address ? v6 : v4;
        return f.ping(dst, timeout);
    }

    /** rttNanos when answered; error/reason when not. */
    public record Reply(boolean ok, long rttNanos, String reason, String error) {}

    @Override public void close() {
        closed = true;
        v4.close();
        v6.close();
    }

    private final class Family {
        final boolean ipv6;
        final int ident = new Random().nextInt(0x10000);
        final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
        IcmpSocket socket;
        Thread reader;
        int seq;

        Family(boolean ipv6) {
            this.ipv6 = ipv6;
        }

        record Pending(InetAddress dst, long sentAt, CompletableFuture<Reply> future) {}

        synchronized IcmpSocket socket() throws IOException {
            if (socket == null) {
                socket = opener.open(ipv6);
                reader = new Thread(this::readLoop, "hc-ping" + (ipv6 ? "6" : "4"));
                reader.setDaemon(true);
                reader.start();
            }
            return socket;
        }

        CompletableFuture<Reply> ping(InetAddress dst, Duration timeout) {
            CompletableFuture<Reply> out = new CompletableFuture<>();
            if (closed) {
                out.complete(new Reply(false, 0, "error", "ping service closed"));
                return out;
            }
            int s;
            byte[] pkt;
            try {
                IcmpSocket sock = socket();
                synchronized (this) {
                    // a sequence number not in flight (65536 outstanding echoes per family at most)
                    do {
                        seq = (seq + 1) & 0xffff;
                    } while (pending.containsKey(seq));
                    s = seq;
                    pkt = echo(s, sock.ipv6());
                    pending.put(s, new Pending(dst, System.nanoTime(), out));
                    sock.send(dst, pkt);
                }
            } catch (IOException e) {
                pending.values().removeIf(p -> p.future == out);
                out.complete(new Reply(false, 0, "error", e.getMessage()));
                return out;
            }
            final int key = s;
            long ms = timeout == null || timeout.isZero() || timeout.isNegative() ? 5000 : timeout.toMillis();
            var t = timers.schedule(() -> {
                pending.remove(key);
                out.complete(new Reply(false, 0, "timeout", "no echo reply within " + ms + " ms"));
            }, ms, TimeUnit.MILLISECONDS);
            out.whenComplete((r, e) -> t.cancel(false));
            return out;
        }

        byte[] echo(int seq, boolean v6) {
            byte[] p = new byte[16];
            p[0] = (byte) (v6 ? 128 : 8);
            p[4] = (byte) (ident >> 8);
            p[5] = (byte) ident;
            p[6] = (byte) (seq >> 8);
            p[7] = (byte) seq;
            long now = System.nanoTime();
            for (int i = 0; i < 8; i++) p[8 + i] = (byte) (now >> (56 - 8 * i));
            return p;
        }

        void readLoop() {
            IcmpSocket sock;
            synchronized (this) {
                sock = socket;
            }
            try {
                while (!closed) {
                    IcmpSocket.Received r;
                    try {
                        r = sock.receive(200);
                    } catch (IOException e) {
                        if (!closed) log.warn("ICMP receive failed: {}", e.getMessage());
                        return;
                    }
                    if (r == null || r.icmp().length < 8) continue;
                    byte[] m = r.icmp();
                    int type = m[0] & 0xff;
                    if (type != (ipv6 ? 129 : 0)) continue;
                    int id = ((m[4] & 0xff) << 8) | (m[5] & 0xff);
                    int sq = ((m[6] & 0xff) << 8) | (m[7] & 0xff);
                    if (!sock.datagram() && id != ident) continue;
                    Pending p = pending.get(sq);
                    if (p == null || !p.dst.equals(r.from())) continue;
                    pending.remove(sq);
                    p.future.complete(new Reply(true, System.nanoTime() - p.sentAt, "ok", null));
                }
            } finally {
                sock.close();
            }
        }

        synchronized void close() {
            pending.values().forEach(p -> p.future.complete(new Reply(false, 0, "error", "ping service closed")));
            pending.clear();
            if (socket != null && reader == null) socket.close();
        }
    }
}
