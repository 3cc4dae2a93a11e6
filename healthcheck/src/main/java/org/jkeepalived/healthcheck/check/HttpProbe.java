package org.jkeepalived.healthcheck.check;

import io.netty.handler.ssl.SslContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jkeepalived.core.config.Checker;
import org.jkeepalived.core.config.HttpUrl;
import org.jkeepalived.healthcheck.CheckResult;
import org.jkeepalived.healthcheck.CheckTarget;
import org.jkeepalived.healthcheck.Probe;

/**
 * HTTP_GET / SSL_GET: each url in turn (all must pass): status_code (200-299 by default), digest
 * (MD5 of the body, genhash's way), regex / regex_no_match (java.util.regex over the first
 * {@code bodyLimit} bytes, ISO-8859-1). virtualhost precedence: url, checker, real_server,
 * virtual_server.
 */
public final class HttpProbe implements Probe {
    private final Net net;
    private final CheckTarget target;
    private final Checker.HttpGet checker;
    private final SslContext ssl;
    private final int bodyLimit;
    private final String label;
    private final List<Pattern> patterns = new ArrayList<>();

    public HttpProbe(Net net, CheckTarget target, SslContext ssl, int bodyLimit) {
        this.net = net;
        this.target = target;
        this.checker = (Checker.HttpGet) target.checker();
        this.ssl = ssl;
        this.bodyLimit = bodyLimit;
        this.label = target.label();
        for (HttpUrl u : checker.urls()) patterns.add(u.regex() == null ? null : Pattern.compile(u.regex(), flags(u.regexOptions())));
        var c = checker.common();
        this.bootstrap = net.tcp(c);
        for (int i = 0; i < checker.urls().size(); i++) {
            HttpUrl u = checker.urls().get(i);
            String vhost = virtualhost(u);
            boolean needBody = u.digest() != null || u.regex() != null;
            HttpFetch.Request req = new HttpFetch.Request(u.path(), vhost != null ? vhost : HttpFetch.defaultHost(Net.remote(c)),
                    checker.httpProtocol(), needBody, bodyLimit, ssl,
                    ssl != null && checker.enableSni() && vhost != null ? vhost : null,
                    checker.verifyCertificate());
            requests.add(req);
            requestBytes.add(HttpFetch.requestBytes(req));
            passed.add(CheckResult.ok("HTTP status code success to " + label + " url(" + (i + 1) + ")."));
        }
    }

    // everything about a URL's exchange that does not change between checks, made once
    private final io.netty.bootstrap.Bootstrap bootstrap;
    private final List<HttpFetch.Request> requests = new java.util.ArrayList<>();
    private final List<byte[]> requestBytes = new java.util.ArrayList<>();
    private final List<CheckResult> passed = new java.util.ArrayList<>();

    /** keepalived's pcre2 regex_options that java.util.regex has. */
    static int flags(List<String> options) {
        int f = 0;
        for (String o : options) {
            switch (o) {
                case "caseless": f |= Pattern.CASE_INSENSITIVE; break;
                case "multiline": f |= Pattern.MULTILINE; break;
                case "dotall": f |= Pattern.DOTALL; break;
                case "extended": f |= Pattern.COMMENTS; break;
                case "ucp": f |= Pattern.UNICODE_CHARACTER_CLASS; break;
                default: break; // no equivalent (e.g. ungreedy): ignored
            }
        }
        return f;
    }

    @Override public String type() {
        return checker.keyword();
    }

    @Override public CompletableFuture<CheckResult> check() {
        if (checker.urls().isEmpty()) return CompletableFuture.completedFuture(CheckResult.fail("config", "No url configured for " + checker.keyword() + " on " + label));
        return checkUrl(0);
    }

    private String virtualhost(HttpUrl u) {
        if (u.virtualhost() != null) return u.virtualhost();
        if (checker.virtualhost() != null) return checker.virtualhost();
        if (target.realServer().virtualhost() != null) return target.realServer().virtualhost();
        return target.virtualServer().virtualhost();
    }

    private CompletableFuture<CheckResult> checkUrl(int i) {
        HttpUrl u = checker.urls().get(i);
        return HttpFetch.fetch(bootstrap, checker.common(), requests.get(i), requestBytes.get(i)).thenCompose(r -> {
            CheckResult res = evaluate(i, u, r);
            if (!res.ok() || i + 1 >= checker.urls().size()) return CompletableFuture.completedFuture(res);
            return checkUrl(i + 1);
        });
    }

    private CheckResult evaluate(int i, HttpUrl u, HttpFetch.Response r) {
        String url = "url(" + (i + 1) + ")";
        if (r.failed()) {
            String what = "tls".equals(r.error()) ? "SSL handshake/read error to " : "timeout".equals(r.error())
                    ? "Timeout connecting/reading to " : "connect_refused".equals(r.error())
                    ? "Error connecting server " : "HTTP read error to ";
            return CheckResult.fail(r.error(), what + label + " " + url + ": " + r.errorText() + ".");
        }
        boolean statusOk = u.statusCodes().isEmpty() ? r.status() >= 200 && r.status() <= 299 : u.statusAccepted(r.status());
        if (!statusOk) {
            return CheckResult.fail("status", "HTTP status code error to " + label + " " + url + ", status_code [" + r.status() + "].");
        }
        if (u.digest() != null && !u.digest().equalsIgnoreCase(r.md5())) {
            return CheckResult.fail("digest", "MD5 digest error to " + label + " " + url + ", MD5SUM [" + r.md5() + "].");
        }
        Pattern p = patterns.get(i);
        if (p != null) {
            String body = new String(r.bodyPrefix(), StandardCharsets.ISO_8859_1);
            int from = u.regexMinOffset() == null ? 0 : Math.min(body.length(), Math.max(0, u.regexMinOffset()));
            Matcher m = p.matcher(body);
            m.region(from, body.length());
            boolean found = false;
            while (m.find()) {
                if (u.regexMaxOffset() == null || m.start() <= u.regexMaxOffset()) found = true;
                break;
            }
            if (found == u.regexNoMatch()) {
                return CheckResult.fail("regex", "Regex " + (u.regexNoMatch() ? "matched" : "match failed") + " to " + label + " " + url + ".");
            }
        }
        return passed.get(i);
    }
}
