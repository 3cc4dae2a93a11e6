package org.jkeepalived.healthcheck;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jkeepalived.core.config.CheckerCommon;
import org.jkeepalived.healthcheck.check.HttpFetch;
import org.jkeepalived.healthcheck.check.Net;
import org.jkeepalived.healthcheck.check.NettyProbeFactory;

/**
 * {@code jkeepalived genhash}: fetch a page as HTTP_GET / SSL_GET would and print the MD5 digest of
 * its body, for writing {@code digest} lines. Options as keepalived's genhash:
 * {@code -s HOST -p PORT -u PATH [-S|--ssl|--use-ssl] [-V|--virtualhost|--use-virtualhost NAME]
 * [-I|--use-sni] [-P|--protocol 1.0|1.0c|1.1] [-t|--timeout SECONDS] [-v|--verbose] [-h|--help]}.
 * Prints just the digest (verbose adds the header and byte counts). Exit 0 with a digest, 1 otherwise.
 */
public final class Genhash {
    /** Bodies above this are refused (the digest streams; nothing is held in memory). */
    static final long BODY_LIMIT = 1L << 30;

    private Genhash() {}

    public static int run(String[] args, PrintStream out) {
        String server = null, url = null, vhost = null, protocol = "1.0";
        int port = -1;
        boolean ssl = false, sni = false, verbose = false;
        double timeout = 5;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "-s": case "--server": server = args[++i]; break;
                    case "-p": case "--port": port = Integer.parseInt(args[++i]); break;
                    case "-u": case "--url": url = args[++i]; break;
                    case "-S": case "--ssl": case "--use-ssl": ssl = true; break;
                    case "-I": case "--use-sni": case "--sni": sni = true; break;
                    case "-V": case "--virtualhost": case "--use-virtualhost": vhost = args[++i]; break;
                    case "-P": case "--protocol": protocol = args[++i]; break;
                    case "-t": case "--timeout": timeout = Double.parseDouble(args[++i]); break;
                    case "-v": case "--verbose": verbose = true; break;
                    case "-m": case "--fwmark": ++i; out.println("fwmark is not supported: ignored"); break;
                    case "-h": case "--help": usage(out); return 0;
                    default: out.println("Unknown option " + a); usage(out); return 1;
                }
            }
        } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
            out.println("Bad or missing option value");
            usage(out);
            return 1;
        }
        if (server == null || url == null) {
            usage(out);
            return 1;
        }
        if (!protocol.equals("1.0") && !protocol.equalsIgnoreCase("1.0c") && !protocol.equals("1.1")) {
            out.println("Unknown protocol " + protocol + " (1.0, 1.0c or 1.1)");
            return 1;
        }
        if (port <= 0) port = ssl ? 443 : 80;
        InetAddress addr;
        try {
            addr = InetAddress.getByName(server);
        } catch (Exception e) {
            out.println("Cannot resolve " + server);
            return 1;
        }
        Duration to = Duration.ofMillis((long) (timeout * 1000));
        CheckerCommon common = new CheckerCommon(addr, port, null, null, null, null, to, 0, Duration.ZERO,
                Duration.ZERO, Duration.ofSeconds(60), false, false);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            String host = vhost != null ? vhost : HttpFetch.defaultHost(new InetSocketAddress(addr, port));
            HttpFetch.Request req = new HttpFetch.Request(url, host, protocol.equalsIgnoreCase("1.0c") ? "1.0C" : protocol,
                    true, BODY_LIMIT, ssl ? NettyProbeFactory.sslContext(false) : null,
                    ssl && sni && vhost != null ? vhost : null, false, false);
            long t0 = System.nanoTime();
            HttpFetch.Response r = HttpFetch.fetch(new Net(group), common, req).get((long) (timeout * 3000) + 1000, TimeUnit.MILLISECONDS);
            if (r.failed()) {
                out.println("Connection failed (" + r.errorText() + ")");
                return 1;
            }
            if (verbose) {
                out.println("----------------[ HTTP Header ]----------------");
                out.print(r.header());
                out.println("----------------[ Body: " + r.bodyLength() + " bytes ]----------------");
                out.println("----------------[ MD5 digest ]----------------");
            }
            out.println(r.md5());
            if (verbose) out.println("Response time for [" + url + "] = " + (System.nanoTime() - t0) / 1000 + " usecs");
            return 0;
        } catch (Exception e) {
            out.println("Connection failed (" + e + ")");
            return 1;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private static void usage(PrintStream out) {
        out.println("Usage: jkeepalived genhash -s ADDRESS -p PORT -u PATH [options]");
        out.println("Prints the MD5 digest of the page body, for HTTP_GET / SSL_GET digest lines.");
        out.println("  -s, --server ADDRESS             address to connect to");
        out.println("  -p, --port PORT                  port (80, or 443 with --ssl)");
        out.println("  -u, --url PATH                   path to fetch");
        out.println("  -S, --ssl, --use-ssl             connect with TLS (certificate not verified)");
        out.println("  -I, --use-sni                    send the virtualhost as SNI");
        out.println("  -V, --virtualhost NAME           Host header to send");
        out.println("  -P, --protocol 1.0|1.0c|1.1      HTTP version (1.0c: 1.0 with Connection: close)");
        out.println("  -t, --timeout SECONDS            connect/read timeout (default 5)");
        out.println("  -v, --verbose                    also print the response header");
        out.println("  -h, --help                       this text");
    }
}
