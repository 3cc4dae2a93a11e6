package org.jkeepalived.core.parse;

import java.nio.file.Files;
import java.nio.file.Path;

/** The node name as uname(2) gives it (keepalived's default config id), without a DNS lookup. */
public final class HostName {
    private static volatile String cached;
    private static volatile String canonical;

    private HostName() {}

    public static String get() {
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

    /**
     * keepalived's "local name" (default router_id, HELO name and sender domain): the node name's
     * canonical name as the resolver gives it (/etc/hosts or DNS), else the node name. It may ask the
     * resolver: call it off the time-critical threads.
     */
    public static String canonical() {
        String c = canonical;
        if (c != null) return c;
        String node = get();
        try {
            java.net.InetAddress a = java.net.InetAddress.getByName(node);
            c = a.getCanonicalHostName();
            // the address back means the resolver knows no name for it: keep the node name
            if (c == null || c.isEmpty() || c.equals(a.getHostAddress())) c = node;
        } catch (java.io.IOException | SecurityException e) {
            c = node;
        }
        canonical = c;
        return c;
    }
}
