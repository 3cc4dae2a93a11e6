package org.jkeepalived.daemon.drill;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The drill's client: one new TCP connection and one HTTP/1.0 request per interval, each result
 * printed at once as "epochMillis ok|fail server-or-reason latencyMicros" (epochMillis: when the
 * request started) for the orchestrator.
 */
public final class DrillClient {
    private DrillClient() {}

    public static void run(InetSocketAddress target, long intervalMillis, long durationMillis, int timeoutMillis,
                           PrintStream out) throws InterruptedException {
        run(target, intervalMillis, durationMillis, timeoutMillis, false, out);
    }

    /**
     * {@code overlap}: start a request every interval even while earlier ones still wait (each on
     * its own thread), so one request stuck on a dead director's MAC does not hide the moment the
     * new one starts answering; benchmarks measure takeover this way.
     */
    public static void run(InetSocketAddress target, long intervalMillis, long durationMillis, int timeoutMillis,
                           boolean overlap, PrintStream out) throws InterruptedException {
        java.util.concurrent.ExecutorService pool = overlap ? java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "drill-client");
            t.setDaemon(true);
            return t;
        }) : null;
        long end = durationMillis > 0 ? System.currentTimeMillis() + durationMillis : Long.MAX_VALUE;
        long next = System.nanoTime();
        try {
            while (System.currentTimeMillis() < end && !out.checkError()) {
                if (pool != null) pool.execute(() -> attempt(target, timeoutMillis, out));
                else attempt(target, timeoutMillis, out);
                next += intervalMillis * 1_000_000L;
                long sleep = next - System.nanoTime();
                if (sleep > 0) Thread.sleep(sleep / 1_000_000L, (int) (sleep % 1_000_000L));
                else next = System.nanoTime();
            }
        } finally {
            if (pool != null) { // the requests under way end within their timeout
                pool.shutdown();
                pool.awaitTermination(2L * timeoutMillis + 1000, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }
    }

    private static void attempt(InetSocketAddress target, int timeoutMillis, PrintStream out) {
        long t0 = System.nanoTime();
        long wall = System.currentTimeMillis();
        String result;
        try {
            result = "ok " + request(target, timeoutMillis);
        } catch (IOException e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            result = "fail " + m.replace(' ', '_');
        }
        String line = wall + " " + result + " " + (System.nanoTime() - t0) / 1000;
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    static String request(InetSocketAddress target, int timeoutMillis) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(target, timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            s.getOutputStream().write(("GET / HTTP/1.0\r\nHost: " + target.getHostString() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String resp = new String(in.readNBytes(4096), StandardCharsets.US_ASCII);
            if (!resp.startsWith("HTTP/1.") || !resp.substring(9).startsWith("200")) {
                throw new IOException("bad response");
            }
            int body = resp.indexOf("\r\n\r\n");
            if (body < 0) throw new IOException("no body");
            return resp.substring(body + 4).strip();
        }
    }
}
