package org.jkeepalived.healthcheck;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GenhashTest {
    static HttpServer http;
    static int port;
    static final List<String> hosts = new CopyOnWriteArrayList<>();
    static final byte[] PAGE = "<html><body>genhash test page</body></html>\n".getBytes(StandardCharsets.UTF_8);

    @BeforeAll static void start() throws Exception {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        http.createContext("/page", ex -> {
            hosts.add(ex.getRequestHeaders().getFirst("Host"));
            ex.sendResponseHeaders(200, PAGE.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(PAGE);
            }
        });
        http.start();
        port = http.getAddress().getPort();
    }

    @AfterAll static void stop() {
        http.stop(0);
    }

    static String run(int expectRc, String... args) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int rc = Genhash.run(args, new PrintStream(b, true, StandardCharsets.UTF_8));
        String out = b.toString(StandardCharsets.UTF_8);
        assertEquals(expectRc, rc, out);
        return out;
    }

    @Test void printsTheMd5OfTheBody() throws Exception {
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(PAGE));
        assertEquals(md5 + "\n", run(0, "-s", "127.0.0.1", "-p", String.valueOf(port), "-u", "/page"));
        hosts.clear();
        assertEquals(md5 + "\n", run(0, "--server", "127.0.0.1", "--port", String.valueOf(port), "--url", "/page",
                "--virtualhost", "www.example.org", "-P", "1.1"));
        assertEquals(List.of("www.example.org"), hosts);
    }

    @Test void sameDigestAsKeepalivedsGenhash() throws Exception {
        Path genhash = Path.of("/usr/bin/genhash");
        Assumptions.assumeTrue(Files.isExecutable(genhash), "keepalived's genhash not installed");
        Process p = new ProcessBuilder(genhash.toString(), "-s", "127.0.0.1", "-p", String.valueOf(port), "-u", "/page")
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        String theirs = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String ours = run(0, "-s", "127.0.0.1", "-p", String.valueOf(port), "-u", "/page").trim();
        assertEquals(theirs, ours);
    }

    @Test void usageAndFailures() throws Exception {
        assertTrue(run(1).startsWith("Usage: jkeepalived genhash"));
        assertTrue(run(0, "-h").contains("--virtualhost"));
        assertTrue(run(1, "-s", "127.0.0.1", "-u", "/", "-x").contains("Unknown option -x"));
        int closed;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        assertTrue(run(1, "-s", "127.0.0.1", "-p", String.valueOf(closed), "-u", "/").startsWith("Connection failed"));
    }
}
