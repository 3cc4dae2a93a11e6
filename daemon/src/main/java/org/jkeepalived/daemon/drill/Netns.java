package org.jkeepalived.daemon.drill;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs ip(8) and commands inside network namespaces; every failure names the command. */
public final class Netns {
    private Netns() {}

    public static String run(String... cmd) throws IOException {
        return run(List.of(cmd));
    }

    public static String run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try {
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", cmd));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", cmd));
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): " + out.strip());
        }
        return out;
    }

    /** Like run, but a failure is ignored (for cleanup). */
    public static void quiet(String... cmd) {
        try {
            run(cmd);
        } catch (IOException e) {
            // cleanup of something already gone
        }
    }

    public static List<String> exec(String ns, String... cmd) {
        List<String> l = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        l.addAll(List.of(cmd));
        return l;
    }

    public static boolean canUse() {
        if (!"root".equals(System.getProperty("user.name"))) return false;
        try {
            run("ip", "netns", "list");
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
