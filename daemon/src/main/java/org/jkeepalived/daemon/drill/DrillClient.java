package org.jkeepalived.daemon.drill;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The drill's client: one new TCP connection and one HTTP/1.0 request per interval, each result
 * printed at once as "epochMillis ok|fail server-or-reason latencyMicros" for the orchestrator.
 */
public final class DrillClient {
    private DrillClient() {}

    public static void run(InetSocketAddress target, long intervalMillis, long durationMillis, int timeoutMillis,
                           PrintStream out) throws InterruptedException {
        long end = durationMillis > 0 ? System.currentTimeMillis() + durationMillis : Long.MAX_VALUE;
        long next = System.nanoTime();
        while (System.currentTimeMillis() < end && !out.checkError()) {
            long t0 = System.nanoTime();
            long wall = System.currentTimeMillis();
            String result;
            try {
                result = "ok " + request(target, timeoutMillis);
            } catch (IOException e) {
                String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                result = "fail " + m.replace(' ', '_');
            }
            out.println(wall + " " + result + " " + (System.nanoTime() - t0) / 1000);
            out.flush();
            next += intervalMillis * 1_000_000L;
            long sleep = next - System.nanoTime();
            if (sleep > 0) Thread.sleep(sleep / 1_000_000L, (int) (sleep % 1_000_000L));
            else next = System.nanoTime();
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
