package org.jkeepalived.daemon.drill;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/** A real server for the drill lab: answers every GET with its own name (so the client sees who served). */
public final class DrillBackend {
    private DrillBackend() {}

    public static HttpServer start(String name, InetSocketAddress listen) throws IOException {
        HttpServer http = HttpServer.create(listen, 256);
        byte[] body = (name + "\n").getBytes(StandardCharsets.US_ASCII);
        http.createContext("/", ex -> {
            try (ex) {
                ex.getResponseHeaders().set("Content-Type", "text/plain");
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(body);
                }
            }
        });
        http.setExecutor(Executors.newFixedThreadPool(4));
        http.start();
        return http;
    }
}
