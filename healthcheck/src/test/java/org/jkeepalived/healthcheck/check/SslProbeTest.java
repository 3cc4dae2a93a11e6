package org.jkeepalived.healthcheck.check;

import static org.jkeepalived.healthcheck.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import org.jkeepalived.core.config.Checker;
import org.jkeepalived.core.config.CheckerCommon;
import org.jkeepalived.healthcheck.CheckResult;
import org.jkeepalived.healthcheck.Genhash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SSL_GET against a JDK HttpsServer with a self-signed certificate (src/test/resources/tls, made once by keytool). */
class SslProbeTest extends ProbeTestSupport {
    static HttpsServer https;
    static HttpServer plain;
    static final List<String> sniSeen = new CopyOnWriteArrayList<>();

    @BeforeAll static void start() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = SslProbeTest.class.getResourceAsStream("/tls/test-keystore.p12")) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        https.setHttpsConfigurator(new HttpsConfigurator(ctx));
        https.createContext("/", ex -> {
            var names = ((ExtendedSSLSession) ((HttpsExchange) ex).getSSLSession()).getRequestedServerNames();
            sniSeen.add(names.isEmpty() ? "-" : ((SNIHostName) names.get(0)).getAsciiName());
            byte[] b = "secure\n".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(b);
            }
        });
        https.start();
        plain = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        plain.createContext("/", ex -> {
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        plain.start();
    }

    @AfterAll static void stop() {
        https.stop(0);
        plain.stop(0);
    }

    static CheckerCommon c(int port) {
        return common("127.0.0.1", port, Duration.ofSeconds(2), 0, Duration.ofSeconds(1), Duration.ofSeconds(5), false);
    }

    static Checker.HttpGet ssl(int port, String vhost, boolean sni, boolean verify) {
        return new Checker.HttpGet(c(port), true, List.of(url("/")), vhost, "1.0", sni, false, verify);
    }

    @Test void selfSignedAcceptedAsKeepalivedDoes() throws Exception {
        CheckResult r = run(ssl(https.getAddress().getPort(), null, false, false));
        assertTrue(r.ok(), r.message());
    }

    @Test void verifyCertificateRejectsSelfSigned() throws Exception {
        CheckResult r = run(ssl(https.getAddress().getPort(), null, false, true));
        assertFalse(r.ok());
        assertEquals("tls", r.reason(), r.message());
    }

    @Test void handshakeFailureAgainstPlainHttp() throws Exception {
        // a plain HTTP server answering the ClientHello with an HTTP error: not a TLS record
        RawServer raw = new RawServer(s -> {
            s.getInputStream().read(new byte[512]);
            RawServer.write(s, "HTTP/1.0 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
            Thread.sleep(500);
        });
        CheckResult r = run(ssl(raw.port(), null, false, false));
        assertFalse(r.ok());
        assertEquals("tls", r.reason(), r.message());
    }

    @Test void handshakeTimeoutAgainstSilentPlainHttp() throws Exception {
        CheckResult r = run(new Checker.HttpGet(common("127.0.0.1", plain.getAddress().getPort(), Duration.ofMillis(400), 0,
                Duration.ofSeconds(1), Duration.ofSeconds(5), false), true, List.of(url("/")), null, "1.0", false, false, false));
        assertFalse(r.ok());
        assertEquals("tls", r.reason(), r.message());
    }

    @Test void sniSentOnlyWithEnableSni() throws Exception {
        int port = https.getAddress().getPort();
        sniSeen.clear();
        assertTrue(run(ssl(port, "www.example.org", true, false)).ok());
        assertTrue(run(ssl(port, "www.example.org", false, false)).ok());
        assertEquals(List.of("www.example.org", "-"), sniSeen);
    }

    @Test void genhashOverTls() throws Exception {
        var bytes = new java.io.ByteArrayOutputStream();
        int rc = Genhash.run(new String[] {"-S", "-s", "127.0.0.1", "-p", String.valueOf(https.getAddress().getPort()),
                "-u", "/"}, new java.io.PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(0, rc, bytes.toString(StandardCharsets.UTF_8));
        assertEquals(HttpProbeTest.md5("secure\n") + "\n", bytes.toString(StandardCharsets.UTF_8));
    }
}
