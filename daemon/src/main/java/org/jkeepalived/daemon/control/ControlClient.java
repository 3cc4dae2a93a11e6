package org.jkeepalived.daemon.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Sends one request to a running daemon's control socket and returns its reply. */
public final class ControlClient {
    private ControlClient() {}

    public static JsonNode call(Path socket, JsonNode request) throws IOException {
        ObjectMapper json = new ObjectMapper();
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(java.nio.ByteBuffer.wrap((json.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.shutdownOutput();
            return json.readTree(Channels.newInputStream(ch));
        }
    }
}
