package org.jkeepalived.healthcheck.check;

import static org.jkeepalived.healthcheck.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jkeepalived.core.config.Checker;
import org.jkeepalived.core.config.CheckerCommon;
import org.jkeepalived.core.config.HttpUrl;
import org.jkeepalived.core.config.RealServer;
import org.jkeepalived.core.config.VirtualServer;
import org.jkeepalived.healthcheck.CheckResult;
import org.jkeepalived.healthcheck.CheckTarget;
import org.jkeepalived.healthcheck.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpProbeTest extends ProbeTestSupport {
    static HttpServer http;
    static int port;
    static final String BODY = "hello world\n";

    @BeforeAll static void startServer() throws Exception {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        http.setExecutor(Executors.newCachedThreadPool());
        http.createContext("/ok", ex -> reply(ex, 200, BODY));
        http.createContext("/fail", ex -> reply(ex, 503, "unavailable"));
        http.createContext("/slow", ex -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException ignored) {
                // shut down
            }
            reply(ex, 200, BODY);
        });
        http.start();
        port = http.getAddress().getPort();
    }

    static void reply(com.sun.net.httpserver.HttpExchange ex, int code, String body) throws java.io.IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(code, b.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
        }
    }

    @AfterAll static void stopServer() {
        http.stop(0);
    }

    static String md5(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.ISO_8859_1)));
    }

    static CheckerCommon c(int p, long timeoutMs) {
        return common("127.0.0.1", p, Duration.ofMillis(timeoutMs), 0, Duration.ofSeconds(1), Duration.ofSeconds(5), false);
    }

    static Checker.HttpGet get(int p, HttpUrl... urls) {
        return http(c(p, 2000), false, null, urls);
    }

    @Test void up() throws Exception {
        CheckResult r = run(get(port, url("/ok")));
        assertTrue(r.ok(), r.message());
    }

    @Test void wrongStatusIsDownWithKeepalivedMessage() throws Exception {
        CheckResult r = run(get(port, url("/fail")));
        assertFalse(r.ok());
        assertEquals("status", r.reason());
        assertEquals("HTTP status code error to [127.0.0.1]:tcp:" + port + " url(1), status_code [503].", r.message());
    }

    @Test void statusCodeRangesAccept() throws Exception {
        var codes = List.of(new HttpUrl.StatusRange(200, 200), new HttpUrl.StatusRange(500, 503));
        assertTrue(run(get(port, url("/fail", null, codes, null, null, false))).ok());
        assertFalse(run(get(port, url("/ok", null, List.of(new HttpUrl.StatusRange(500, 599)), null, null, false))).ok());
    }

    @Test void digestMatchAndMismatch() throws Exception {
        assertTrue(run(get(port, url("/ok", md5(BODY), List.of(), null, null, false))).ok());
        CheckResult r = run(get(port, url("/ok", md5("other"), List.of(), null, null, false)));
        assertEquals("digest", r.reason());
        assertEquals("MD5 digest error to [127.0.0.1]:tcp:" + port + " url(1), MD5SUM [" + md5(BODY) + "].", r.message());
    }

    @Test void regexMatchAndNoMatch() throws Exception {
        assertTrue(run(get(port, url("/ok", null, List.of(), null, "wor.d", false))).ok());
        assertEquals("regex", run(get(port, url("/ok", null, List.of(), null, "absent", false))).reason());
        assertTrue(run(get(port, url("/ok", null, List.of(), null, "absent", true))).ok());
        assertEquals("regex", run(get(port, url("/ok", null, List.of(), null, "hello", true))).reason());
    }

    @Test void everyUrlMustPass() throws Exception {
        CheckResult r = run(get(port, url("/ok"), url("/fail")));
        assertFalse(r.ok());
        assertTrue(r.message().contains("url(2)"), r.message());
    }

    @Test void slowServerTimesOut() throws Exception {
        long t0 = System.nanoTime();
        CheckResult r = run(http(c(port, 500), false, null, url("/slow")));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("timeout", r.reason(), r.message());
        assertTrue(ms < 2000, "took " + ms + " ms");
    }

    @Test void slowDripHitsTheWholeExchangeDeadline() throws Exception {
        // a byte every 150 ms never trips the 400 ms idle limit, but the exchange must end by 800 ms
        RawServer raw = new RawServer(s -> {
            readRequestOf(s);
            for (int i = 0; i < 40; i++) {
                RawServer.write(s, i == 0 ? "H" : "x");
                Thread.sleep(150);
            }
        });
        long t0 = System.nanoTime();
        CheckResult r = run(http(c(raw.port(), 400), false, null, url("/")));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("timeout", r.reason(), r.message());
        assertTrue(r.message().contains("not complete within 800 ms"), r.message());
        assertTrue(ms >= 750 && ms < 1500, "took " + ms + " ms");
    }

    @Test void refusedConnection() throws Exception {
        int closed;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        CheckResult r = run(get(closed, url("/")));
        assertEquals("connect_refused", r.reason(), r.message());
    }

    @Test void resetMidResponse() throws Exception {
        RawServer raw = new RawServer(s -> {
            readRequestOf(s);
            RawServer.write(s, "HTTP/1.0 200 OK\r\nContent-Length: 1000\r\n\r\npartial");
            s.setSoLinger(true, 0); // RST
        });
        CheckResult r = run(get(raw.port(), url("/", md5("x"), List.of(), null, null, false)));
        assertFalse(r.ok());
        assertEquals("reset", r.reason(), r.message());
    }

    @Test void garbageResponse() throws Exception {
        RawServer raw = new RawServer(s -> {
            readRequestOf(s);
            RawServer.write(s, "SSH-2.0-OpenSSH_9.2\r\n\r\n");
        });
        CheckResult r = run(get(raw.port(), url("/")));
        assertEquals("protocol", r.reason(), r.message());
    }

    @Test void endlessBodyIsCutAndOtherChecksAreUnaffected() throws Exception {
        RawServer raw = new RawServer(s -> {
            readRequestOf(s);
            RawServer.write(s, "HTTP/1.0 200 OK\r\n\r\n");
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'x');
            OutputStream o = s.getOutputStream();
            while (true) o.write(chunk);
        });
        VirtualServer vs = Fixtures.vs("127.0.0.1", 80);
        Checker.HttpGet endless = get(raw.port(), url("/", md5("x"), List.of(), null, null, false));
        RealServer rs = Fixtures.rs("127.0.0.1", raw.port(), 1, endless);
        NettyProbeFactory f = factory(Fixtures.config(vs));
        CompletableFuture<CheckResult> bad = f.create(new CheckTarget(vs, rs, endless)).check();
        // meanwhile a normal check answers promptly
        Checker.HttpGet good = get(port, url("/ok"));
        long t0 = System.nanoTime();
        CheckResult ok = f.create(new CheckTarget(vs, Fixtures.rs("127.0.0.1", port, 1, good), good)).check().get(5, TimeUnit.SECONDS);
        assertTrue(ok.ok());
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 3000, "a normal check is not held up by the endless one");
        CheckResult r = bad.get(10, TimeUnit.SECONDS);
        assertEquals("body_too_large", r.reason(), r.message());
    }

    @Test void tenMegabyteHeaderIsRefused() throws Exception {
        RawServer raw = new RawServer(s -> {
            readRequestOf(s);
            OutputStream o = s.getOutputStream();
            o.write("HTTP/1.0 200 OK\r\nX-Big: ".getBytes(StandardCharsets.ISO_8859_1));
            byte[] chunk = new byte[1024 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'a');
            for (int i = 0; i < 10; i++) o.write(chunk);
            o.write("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        });
        CheckResult r = run(get(raw.port(), url("/")));
        assertEquals("header_too_large", r.reason(), r.message());
    }

    @Test void requestFormatAndVirtualhostPrecedence() throws Exception {
        java.util.List<String> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
        RawServer raw = new RawServer(s -> {
            requests.add(readRequestOf(s));
            RawServer.write(s, "HTTP/1.0 200 OK\r\n\r\n");
        });
        int p = raw.port();
        VirtualServer vsWithHost = new VirtualServer(ip("127.0.0.1"), 80, null, null, null,
                org.jkeepalived.core.config.L4Protocol.TCP, "wlc", List.of(), false, null, null, null, null, null,
                Duration.ofSeconds(5), false, false, false, 1, 0, null, null, false, "vs.example", null, false,
                List.of(), null, java.util.Map.of());
        RealServer rsWithHost = new RealServer(ip("127.0.0.1"), p, 1, null, null, false, false, null, null, null,
                null, "rs.example", List.of(), null, java.util.Map.of());
        RealServer rsPlain = Fixtures.rs("127.0.0.1", p, 1);

        // url > checker > real_server > virtual_server
        Checker.HttpGet all = new Checker.HttpGet(c(p, 2000), false,
                List.of(url("/a", null, List.of(), "url.example", null, false)), "checker.example", "1.1", false, false, false);
        assertTrue(run(all, rsWithHost, vsWithHost).ok());
        assertEquals("GET /a HTTP/1.1\r\nUser-Agent: KeepAliveClient\r\nConnection: close\r\nHost: url.example\r\n\r\n",
                requests.get(0));
        Checker.HttpGet checkerHost = new Checker.HttpGet(c(p, 2000), false, List.of(url("/b")), "checker.example",
                "1.0C", false, false, false);
        assertTrue(run(checkerHost, rsWithHost, vsWithHost).ok());
        assertEquals("GET /b HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nConnection: close\r\nHost: checker.example\r\n\r\n",
                requests.get(1));
        Checker.HttpGet none = http(c(p, 2000), false, null, url("/c"));
        assertTrue(run(none, rsWithHost, vsWithHost).ok());
        assertTrue(requests.get(2).contains("Host: rs.example\r\n"), requests.get(2));
        assertTrue(run(none, rsPlain, vsWithHost).ok());
        assertTrue(requests.get(3).contains("Host: vs.example\r\n"), requests.get(3));
        assertTrue(run(none, rsPlain, null).ok());
        assertEquals("GET /c HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nHost: 127.0.0.1:" + p + "\r\n\r\n", requests.get(4));
    }

    /** Read a request header from the socket (shared by the raw servers). */
    static String readRequestOf(Socket s) throws java.io.IOException {
        var in = s.getInputStream();
        StringBuilder b = new StringBuilder();
        int ch;
        while ((ch = in.read()) >= 0) {
            b.append((char) ch);
            if (b.length() >= 4 && b.substring(b.length() - 4).equals("\r\n\r\n")) break;
        }
        return b.toString();
    }
}
