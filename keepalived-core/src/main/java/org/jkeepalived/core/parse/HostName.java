package org.jkeepalived.core.parse;

import java.nio.file.Files;
import java.nio.file.Path;

/** The node name as uname(2) gives it (keepalived's default config id), without a DNS lookup. */
final class HostName {
    private static volatile String cached;

    private HostName() {}

    static String get() {
        String h = cached;
        if (h != null) return h;
        try {
            h = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (Exception e) {
            h = null;
        }
        if (h == null || h.isEmpty()) h = System.getenv("HOSTNAME");
        if (h == null || h.isBlank()) h = "localhost";
        cached = h;
        return h;
    }
}
