package org.jkeepalived.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jkeepalived.core.smtp.FakeSmtpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * smtp_alert through the packaged daemon (checkers and the userspace engine on loopback, no VRRP):
 * the mailer is configured at start and again on reload, and the checkers' mails reach the server
 * with the router_id of the config in force, including an omega stop's "Shutting down".
 */
class EmailAlertsIT {
    @TempDir Path dir;

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String config(String routerId, int smtpPort, int vsPort, List<Integer> realServers) {
        StringBuilder sb = new StringBuilder("global_defs {\n    router_id " + routerId + "\n"
                + "    notification_email {\n        ops@example.test\n    }\n"
                + "    notification_email_from lb@example.test\n"
                + "    smtp_server 127.0.0.1 " + smtpPort + "\n    smtp_connect_timeout 3\n}\n"
                + "virtual_server 127.0.0.1 " + vsPort + " {\n    delay_loop 1\n    lb_algo rr\n    lb_kind NAT\n"
                + "    protocol TCP\n    omega\n    smtp_alert\n");
        for (int p : realServers) {
            sb.append("    real_server 127.0.0.1 ").append(p).append(" {\n        TCP_CHECK {\n")
                    .append("            connect_timeout 1\n            retry 0\n        }\n    }\n");
        }
        return sb.append("}\n").toString();
    }

    /** Subjects (and bodies) of every mail that arrives within the wait, in order. */
    private static List<String> mails(FakeSmtpServer server, Duration wait) throws Exception {
        List<String> got = new ArrayList<>();
        long end = System.nanoTime() + wait.toNanos();
        for (FakeSmtpServer.Mail m; System.nanoTime() < end
                && (m = server.awaitMail(Duration.ofNanos(Math.max(1, end - System.nanoTime())))) != null; ) {
            got.add(m.headers().get("Subject") + " | " + m.body().strip());
        }
        return got;
    }

    @Test
    void checkerMailsFollowTheConfigInForceFromStartToStop() throws Exception {
        try (FakeSmtpServer server = new FakeSmtpServer()) {
            int vs = freePort(), down = freePort(), up;
            ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            up = listening.getLocalPort();
            Path conf = dir.resolve("keepalived.conf");
            Files.writeString(conf, config("LB_A", server.port(), vs, List.of(up, down)));
            Process d = new ProcessBuilder(DistLauncher.launcher().toAbsolutePath().toString(), "-n", "-l", "-C",
                    "-f", conf.toString(), "--engine", "userspace", "--metrics", "off",
                    "--control-socket", dir.resolve("c.sock").toString(), "-p", dir.resolve("d.pid").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("d.log").toFile()).start();
            try {
                String vsLabel = "[127.0.0.1]:tcp:" + vs;
                FakeSmtpServer.Mail first = server.awaitMail(Duration.ofSeconds(20));
                assertNotNull(first, "no mail at all: " + Files.readString(dir.resolve("d.log")));
                assertEquals(List.of("ops@example.test"), first.rcptTo());
                assertEquals("lb@example.test", first.headers().get("From"));
                List<String> atStart = new ArrayList<>(List.of(first.headers().get("Subject") + " | " + first.body().strip()));
                atStart.addAll(mails(server, Duration.ofSeconds(3)));
                assertTrue(atStart.contains("[LB_A] Realserver [127.0.0.1]:tcp:" + down + " of virtual server " + vsLabel
                        + " - DOWN | => TCP CHECK failed on service <="), atStart.toString());

                // reload: another router_id, the dead real server removed; the live one stays up, so no mail for it
                Files.writeString(conf, config("LB_B", server.port(), vs, List.of(up)));
                new ProcessBuilder("kill", "-HUP", Long.toString(d.pid())).start().waitFor(10, TimeUnit.SECONDS);
                List<String> afterReload = mails(server, Duration.ofSeconds(4));
                assertTrue(afterReload.stream().noneMatch(m -> m.startsWith("[LB_A]")), afterReload.toString());
                assertTrue(afterReload.stream().noneMatch(m -> m.contains(":tcp:" + up + " of")), afterReload.toString());

                // omega: a stop mails the live real server (real servers mail by default) and the virtual server
                // (its smtp_alert) as shutting down, under LB_B
                d.destroy();
                assertTrue(d.waitFor(20, TimeUnit.SECONDS), "daemon did not stop");
                List<String> atStop = mails(server, Duration.ofSeconds(3));
                assertTrue(atStop.contains("[LB_B] Realserver [127.0.0.1]:tcp:" + up + " of virtual server " + vsLabel
                        + " - DOWN | => Shutting down <="), atStop.toString());
                assertTrue(atStop.stream().anyMatch(m -> m.startsWith("[LB_B] Virtualserver " + vsLabel + " - DOWN")),
                        atStop.toString());
            } finally {
                d.destroyForcibly();
                listening.close();
            }
        }
    }
}
