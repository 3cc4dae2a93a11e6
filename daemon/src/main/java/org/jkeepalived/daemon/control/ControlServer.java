package org.jkeepalived.daemon.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local control socket: one JSON request per connection ({"cmd":"status"}), one JSON reply.
 * The socket file is created mode 0600 (0660 with a configured group) inside a 0700/0750
 * directory, so only root (or that group) can drive the daemon.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
    /** Requests are small; a larger one is refused rather than buffered. */
    static final int MAX_REQUEST = 64 * 1024;

    private final Path path;
    private final ServerSocketChannel server;
    private final Thread acceptor;
    private final ObjectMapper json = new ObjectMapper();
    private volatile boolean closed;

    public ControlServer(Path path, String group, Function<JsonNode, JsonNode> handler) throws IOException {
        this.path = path;
        Path dir = path.toAbsolutePath().getParent();
        boolean ownDir = !Files.isDirectory(dir);
        if (ownDir) {
            // a directory we create is ours to lock down; an existing one (e.g. /tmp) is left as it is
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(group == null ? "rwx------" : "rwxr-x---"));
        }
        Files.deleteIfExists(path);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(group == null ? "rw-------" : "rw-rw----"));
        if (group != null) {
            GroupPrincipal g = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
            Files.getFileAttributeView(path, PosixFileAttributeView.class).setGroup(g);
            if (ownDir) Files.getFileAttributeView(dir, PosixFileAttributeView.class).setGroup(g);
        }
        acceptor = new Thread(() -> acceptLoop(handler), "control-socket");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public Path path() {
        return path;
    }

    private void acceptLoop(Function<JsonNode, JsonNode> handler) {
        while (!closed) {
            try (SocketChannel ch = server.accept()) {
                serve(ch, handler);
            } catch (IOException e) {
                if (!closed) log.warn("control socket: {}", e.getMessage());
            }
        }
    }

    private void serve(SocketChannel ch, Function<JsonNode, JsonNode> handler) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(MAX_REQUEST);
        while (buf.hasRemaining() && ch.read(buf) > 0) {
            if (buf.get(buf.position() - 1) == '\n') break;
        }
        JsonNode reply;
        try {
            JsonNode req = json.readTree(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
            if (req == null || !req.hasNonNull("cmd")) throw new IllegalArgumentException("request needs a \"cmd\"");
            reply = handler.apply(req);
        } catch (RuntimeException | IOException e) {
            ObjectNode err = json.createObjectNode();
            err.put("ok", false);
            err.put("error", e.getMessage() == null ? e.toString() : e.getMessage());
            reply = err;
        }
        byte[] out = (json.writeValueAsString(reply) + "\n").getBytes(StandardCharsets.UTF_8);
        Channels.newOutputStream(ch).write(out);
    }

    @Override public void close() {
        closed = true;
        try {
            server.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.debug("closing control socket: {}", e.getMessage());
        }
    }
}
