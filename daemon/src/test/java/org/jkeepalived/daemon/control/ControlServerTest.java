package org.jkeepalived.daemon.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void rootOnlySocketInADirectoryItCreates(@TempDir Path tmp) throws Exception {
        Path sock = tmp.resolve("run/jk/control.sock");
        try (ControlServer s = new ControlServer(sock, null, req -> JSON.createObjectNode().put("echo", req.get("cmd").asText()))) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sock.getParent())));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)));
            assertEquals("status", ControlClient.call(sock, JSON.createObjectNode().put("cmd", "status")).path("echo").asText());
        }
        assertFalse(Files.exists(sock), "socket removed on close");
    }

    @Test
    void leavesAnExistingDirectoryAlone(@TempDir Path tmp) throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        try (ControlServer s = new ControlServer(tmp.resolve("c.sock"), null, req -> JSON.createObjectNode())) {
            assertEquals("rwxrwxrwx", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp)));
        }
    }

    @Test
    void badRequestsGetAnErrorReply(@TempDir Path tmp) throws Exception {
        Path sock = tmp.resolve("c.sock");
        try (ControlServer s = new ControlServer(sock, null, req -> { throw new IllegalArgumentException("unknown command 'x'"); })) {
            var reply = ControlClient.call(sock, JSON.createObjectNode().put("cmd", "x"));
            assertFalse(reply.path("ok").asBoolean(true));
            assertEquals("unknown command 'x'", reply.path("error").asText());
            var noCmd = ControlClient.call(sock, JSON.createObjectNode().put("what", 1));
            assertTrue(noCmd.path("error").asText().contains("cmd"), noCmd.toString());
        }
    }
}
