package org.jkeepalived.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the packaged launcher (target/jkeepalived-VERSION/bin/jkeepalived) as a user would. */
final class DistLauncher {
    record Result(int exit, String out, String err) {}

    private DistLauncher() {}

    static Path launcher() throws IOException {
        try (var s = Files.list(Path.of("target"))) {
            return s.filter(p -> p.getFileName().toString().startsWith("jkeepalived-") && Files.isDirectory(p))
                    .map(p -> p.resolve("bin/jkeepalived")).filter(Files::isExecutable).findFirst()
                    .orElseThrow(() -> new IOException("no packaged launcher under target/ (run mvn package)"));
        }
    }

    static Path repoRoot() {
        return Path.of("").toAbsolutePath().getParent();
    }

    /** The launcher with args, run inside network namespace ns. */
    static List<String> commandIn(String ns, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, launcher().toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Starts the launcher inside ns, its output appended to log. */
    static Process startIn(String ns, Path log, String... args) throws IOException {
        return new ProcessBuilder(commandIn(ns, args)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** The first vrrp_instance's state number as a running daemon reports it, -1 when unreachable. */
    static int vrrpState(Path controlSocket) {
        try {
            return org.jkeepalived.daemon.control.ControlClient.call(controlSocket,
                    new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("cmd", "status"))
                    .path("vrrp_instances").path(0).path("data").path("state").asInt();
        } catch (IOException e) {
            return -1;
        }
    }

    static Result run(List<String> prefix, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(launcher().toAbsolutePath().toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        var out = p.getInputStream().readAllBytes();
        var err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + cmd);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }
}
