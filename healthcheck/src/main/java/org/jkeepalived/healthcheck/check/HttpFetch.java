package org.jkeepalived.healthcheck.check;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.ByteArrayOutputStream;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.jkeepalived.core.config.CheckerCommon;

/**
 * One HTTP(S) GET as keepalived's HTTP_GET / SSL_GET and genhash send it, read with bounded
 * memory: the header is capped ({@link #MAX_HEADER}), the body is hashed while it streams
 * (MD5 over the raw bytes after the header, up to Content-Length when given, as genhash does: no
 * chunked decoding) and at most {@code bodyLimit} bytes are read. A body is only read when a digest
 * or regex needs it; otherwise the answer is known at the end of the header.
 */
public final class HttpFetch {
    /** The largest response header accepted. */
    public static final int MAX_HEADER = 64 * 1024;
    /** Default body read limit for digest / regex. */
    public static final int DEFAULT_BODY_LIMIT = 1024 * 1024;

    /** What came back; {@code error} non-null when the exchange failed (reason = error code). */
    public record Response(int status, String header, String md5, byte[] bodyPrefix, long bodyLength,
                           String error, String errorText) {
        public boolean failed() { return error != null; }

        static Response failure(String reason, String text) {
            return new Response(0, null, null, null, 0, reason, text);
        }
    }

    /** Request settings. */
    public record Request(String path, String host, String protocol, boolean readBody, long bodyLimit,
                          SslContext ssl, String sniName, boolean verifyHostname, boolean keepBody) {
        public Request(String path, String host, String protocol, boolean readBody, long bodyLimit,
                       SslContext ssl, String sniName, boolean verifyHostname) {
            this(path, host, protocol, readBody, bodyLimit, ssl, sniName, verifyHostname, true);
        }
    }

    private HttpFetch() {}

    /** The request bytes as keepalived sends them. */
    public static String requestText(Request r) {
        String proto = r.protocol() == null ? "1.0" : r.protocol();
        boolean v11 = proto.equals("1.1");
        boolean close = v11 || proto.equalsIgnoreCase("1.0C");
        return "GET " + (r.path() == null || r.path().isEmpty() ? "/" : r.path()) + " HTTP/" + (v11 ? "1.1" : "1.0") + "\r\n"
                + "User-Agent: KeepAliveClient\r\n"
                + (close ? "Connection: close\r\n" : "")
                + "Host: " + r.host() + "\r\n\r\n";
    }

    /** Host header value without a virtualhost: "ip:port" ("[v6]:port"). */
    public static String defaultHost(InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        int pct = h.indexOf('%');
        if (pct >= 0) h = h.substring(0, pct);
        return (a.getAddress() instanceof Inet6Address ? "[" + h + "]" : h) + ":" + a.getPort();
    }

    public static CompletableFuture<Response> fetch(Net net, CheckerCommon c, Request req) {
        return fetch(net.tcp(c), c, req, requestBytes(req));
    }

    /** The request as bytes, once per checker rather than once per check. */
    public static byte[] requestBytes(Request req) {
        return requestText(req).getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * One exchange through {@code base} (a bootstrap from {@link Net#tcp} that the caller keeps:
     * cloning it is cheaper than building one per check) sending {@code request}.
     */
    public static CompletableFuture<Response> fetch(Bootstrap base, CheckerCommon c, Request req, byte[] request) {
        CompletableFuture<Response> result = new CompletableFuture<>();
        long timeoutMs = Net.millis(c.connectTimeout(), 5000);
        InetSocketAddress remote = Net.remote(c);
        Reader reader = new Reader(req, result);
        Bootstrap b = base.clone().handler(new ChannelInitializer<Channel>() {
            @Override protected void initChannel(Channel ch) {
                if (req.ssl() != null) {
                    SslHandler sh = req.sniName() != null
                            ? req.ssl().newHandler(ch.alloc(), req.sniName(), remote.getPort())
                            : req.verifyHostname()
                                    ? req.ssl().newHandler(ch.alloc(), remote.getAddress().getHostAddress(), remote.getPort())
                                    : req.ssl().newHandler(ch.alloc());
                    if (req.verifyHostname()) {
                        SSLEngine e = sh.engine();
                        SSLParameters p = e.getSSLParameters();
                        p.setEndpointIdentificationAlgorithm("HTTPS");
                        e.setSSLParameters(p);
                    }
                    sh.setHandshakeTimeoutMillis(timeoutMs);
                    ch.pipeline().addLast("ssl", sh);
                }
                ch.pipeline().addLast("http", reader);
            }
        });
        ChannelFuture cf;
        try {
            cf = b.connect(remote);
        } catch (RuntimeException e) {
            result.complete(Response.failure(Net.reason(e), Net.describe(e)));
            return result;
        }
        cf.addListener(f -> {
            if (!f.isSuccess()) {
                result.complete(Response.failure(Net.reason(f.cause()), Net.describe(f.cause())));
                return;
            }
            Channel ch = cf.channel();
            // One timer for both limits (10,000 checks a second: each timer costs a heap insert and
            // removal): no byte for connect_timeout, and a slow drip never stalls the check: the
            // whole exchange has a hard deadline of twice that.
            reader.lastRead = System.nanoTime();
            Deadline deadline = new Deadline(ch, reader, result, TimeUnit.MILLISECONDS.toNanos(timeoutMs));
            result.whenComplete((r, e) -> {
                deadline.cancel();
                ch.close();
            });
            Runnable send = () -> ch.writeAndFlush(Unpooled.wrappedBuffer(request));
            SslHandler sh = ch.pipeline().get(SslHandler.class);
            if (sh == null) send.run();
            else sh.handshakeFuture().addListener(h -> {
                if (h.isSuccess()) send.run();
                else result.complete(Response.failure("tls", "SSL handshake failed: " + Net.describe(h.cause())));
            });
        });
        return result;
    }

    /** connect_timeout without a byte read, or twice that for the whole exchange: a timeout. */
    private static final class Deadline implements Runnable {
        private final Channel ch;
        private final Reader reader;
        private final CompletableFuture<Response> result;
        private final long idleNanos;
        private final long hardAt;
        private ScheduledFuture<?> timer;

        Deadline(Channel ch, Reader reader, CompletableFuture<Response> result, long idleNanos) {
            this.ch = ch;
            this.reader = reader;
            this.result = result;
            this.idleNanos = idleNanos;
            this.hardAt = System.nanoTime() + 2 * idleNanos;
            timer = ch.eventLoop().schedule(this, idleNanos, TimeUnit.NANOSECONDS);
        }

        @Override public void run() {
            if (result.isDone()) return;
            long now = System.nanoTime();
            long idleLeft = reader.lastRead + idleNanos - now;
            if (now - hardAt >= 0) {
                result.complete(Response.failure("timeout", "response not complete within "
                        + TimeUnit.NANOSECONDS.toMillis(2 * idleNanos) + " ms"));
            } else if (idleLeft <= 0) {
                result.complete(Response.failure("timeout", "timeout"));
            } else {
                timer = ch.eventLoop().schedule(this, Math.min(idleLeft, hardAt - now), TimeUnit.NANOSECONDS);
                return;
            }
            ch.close();
        }

        void cancel() {
            ScheduledFuture<?> t = timer;
            if (t != null) t.cancel(false);
        }
    }

    /** Reads the response with bounded buffers. */
    private static final class Reader extends ChannelInboundHandlerAdapter {
        private final Request req;
        private final CompletableFuture<Response> result;
        private byte[] header = new byte[512];
        private int headerLength;
        private final ByteArrayOutputStream prefix;
        private final MessageDigest md5;
        private boolean inBody;
        private int status;
        private String headerText;
        private long contentLength = -1;
        private long bodyLength;
        private int last4;
        /** nanoTime of the last byte read (or of the connect): the idle limit counts from it. */
        volatile long lastRead;

        Reader(Request req, CompletableFuture<Response> result) {
            this.req = req;
            this.result = result;
            this.prefix = req.readBody() && req.keepBody() ? new ByteArrayOutputStream(1024) : null;
            try {
                this.md5 = req.readBody() ? MessageDigest.getInstance("MD5") : null;
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (result.isDone() || !(msg instanceof ByteBuf buf)) return;
                lastRead = System.nanoTime();
                while (buf.isReadable() && !result.isDone()) {
                    if (!inBody) readHeader(buf);
                    else readBody(buf);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        /** Copies up to the blank line that ends the header (10,000 checks a second: no per-byte calls). */
        private void readHeader(ByteBuf buf) {
            int from = buf.readerIndex();
            int to = buf.writerIndex();
            int end = -1;
            for (int i = from; i < to; i++) {
                last4 = (last4 << 8) | (buf.getByte(i) & 0xff);
                if (last4 == 0x0d0a0d0a || (last4 & 0xffff) == 0x0a0a) {
                    end = i + 1;
                    break;
                }
            }
            int n = (end < 0 ? to : end) - from;
            if (headerLength + n > MAX_HEADER) {
                fail("header_too_large", "HTTP header larger than " + MAX_HEADER + " bytes");
                return;
            }
            if (headerLength + n > header.length) {
                header = java.util.Arrays.copyOf(header, Math.min(MAX_HEADER, Math.max(header.length * 2, headerLength + n)));
            }
            buf.readBytes(header, headerLength, n);
            headerLength += n;
            if (end >= 0) headerDone(java.util.Arrays.copyOf(header, headerLength));
        }

        private void headerDone(byte[] h) {
            headerText = new String(h, StandardCharsets.ISO_8859_1);
            int eol = headerText.indexOf('\n');
            String first = (eol < 0 ? headerText : headerText.substring(0, eol)).strip();
            int sp1 = first.indexOf(' ');
            if (sp1 < 0 || !first.startsWith("HTTP/")) {
                fail("protocol", "invalid HTTP status line [" + printable(first) + "]");
                return;
            }
            int sp2 = first.indexOf(' ', sp1 + 1);
            try {
                status = Integer.parseInt(first.substring(sp1 + 1, sp2 < 0 ? first.length() : sp2).trim());
            } catch (NumberFormatException e) {
                fail("protocol", "invalid HTTP status line [" + printable(first) + "]");
                return;
            }
            for (int at = eol + 1; at > 0 && at < headerText.length(); ) {
                int next = headerText.indexOf('\n', at);
                int lineEnd = next < 0 ? headerText.length() : next;
                int colon = headerText.indexOf(':', at);
                if (colon > at && colon < lineEnd
                        && headerText.substring(at, colon).trim().equalsIgnoreCase("content-length")) {
                    try {
                        contentLength = Long.parseLong(headerText.substring(colon + 1, lineEnd).trim());
                    } catch (NumberFormatException ignored) {
                        // as keepalived: an unusable length means "read to the end"
                    }
                }
                at = next < 0 ? -1 : next + 1;
            }
            inBody = true;
            if (!req.readBody() || contentLength == 0) done();
        }

        private void readBody(ByteBuf buf) {
            int n = buf.readableBytes();
            if (contentLength >= 0) n = (int) Math.min(n, contentLength - bodyLength);
            if (bodyLength + n > req.bodyLimit()) {
                fail("body_too_large", "HTTP body larger than " + req.bodyLimit() + " bytes");
                return;
            }
            byte[] chunk = new byte[n];
            buf.readBytes(chunk);
            md5.update(chunk);
            if (prefix != null) prefix.write(chunk, 0, chunk.length);
            bodyLength += n;
            if (contentLength >= 0 && bodyLength >= contentLength) {
                buf.skipBytes(buf.readableBytes());
                done();
            }
        }

        private void done() {
            result.complete(new Response(status, headerText, md5 == null ? null : HexFormat.of().formatHex(md5.digest()),
                    prefix == null ? new byte[0] : prefix.toByteArray(), bodyLength, null, null));
        }

        private void fail(String reason, String text) {
            result.complete(Response.failure(reason, text));
        }

        @Override public void channelInactive(ChannelHandlerContext ctx) {
            if (result.isDone()) return;
            if (!inBody) fail(headerLength == 0 ? "no_response" : "reset", headerLength == 0
                    ? "connection closed without a response" : "connection closed in the HTTP header");
            else if (contentLength >= 0 && bodyLength < contentLength) {
                fail("reset", "connection closed after " + bodyLength + " of " + contentLength + " body bytes");
            } else done();
        }

        @Override public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!result.isDone()) fail(Net.reason(cause), Net.describe(cause));
            ctx.close();
        }
    }

    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char ch : s.toCharArray()) {
            if (b.length() >= 80) break;
            b.append(ch >= 0x20 && ch < 0x7f ? ch : '.');
        }
        return b.toString();
    }
}
