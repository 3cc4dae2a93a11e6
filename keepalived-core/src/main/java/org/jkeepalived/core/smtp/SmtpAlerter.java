package org.jkeepalived.core.smtp;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jkeepalived.core.config.GlobalDefs;
import org.jkeepalived.core.parse.HostName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived's smtp_alert: mails an alert to every notification_email address through smtp_server,
 * in plain SMTP (no EHLO, AUTH or STARTTLS, as keepalived 2.2.7):
 * banner 220, {@code HELO name} 250, {@code MAIL FROM:<from>} 250, {@code RCPT TO:<addr>} 250 for each
 * address, {@code DATA} 354, the message 250, {@code QUIT} 221. Every connect and every reply waits at
 * most smtp_connect_timeout. A failure (server down, timeout, unexpected reply code) is logged with its
 * reason and that mail is dropped, as keepalived drops it; there is no retry.
 *
 * <p>{@link #alert} only queues: the mails go out one after the other, in order, from one thread of
 * their own, so a dead or slow mail server never holds up a VRRP transition or a checker.
 */
public final class SmtpAlerter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("Keepalived_smtp");
    /** Alerts waiting beyond this are dropped (a flapping service against a dead mail server). */
    static final int MAX_QUEUED = 256;
    /** keepalived reads a reply into a 1 KiB buffer and gives up past it. */
    private static final int MAX_REPLY = 1024;
    /** keepalived's Date header: strftime "%a, %d %b %Y %H:%M:%S %z", local time, C locale. */
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT);

    /** How one mail ended: sent, or the reason it was dropped (the text that was logged). */
    public record Outcome(boolean sent, String reason) {
        static final Outcome SENT = new Outcome(true, "sent");
        static final Outcome NOT_CONFIGURED = new Outcome(false, "no smtp_server or notification_email");
    }

    /** Everything one mail needs, taken when it is queued (a reload does not change a mail on its way). */
    record Mail(String server, int port, Duration timeout, String helo, String from, List<String> to,
                String subject, String body, ZonedDateTime date) {
        String where() {
            return (server.indexOf(':') >= 0 ? "[" + server + "]" : server) + ":" + port;
        }
    }

    private final ThreadPoolExecutor sender;
    private final Supplier<String> localName;
    private final Supplier<String> userName;
    private volatile GlobalDefs globals;

    public SmtpAlerter() {
        this(HostName::canonical, () -> System.getProperty("user.name", "root"));
    }

    /** With the names keepalived derives its defaults from (its host's canonical name, the running user). */
    public SmtpAlerter(Supplier<String> localName, Supplier<String> userName) {
        this.localName = localName;
        this.userName = userName;
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(MAX_QUEUED), r -> {
            Thread t = new Thread(r, "smtp-alert");
            t.setDaemon(true);
            return t;
        });
    }

    /** The global_defs the next alerts use (start and reload). */
    public void configure(GlobalDefs g) {
        this.globals = g;
    }

    /** There is a server and a recipient: keepalived mails nothing otherwise, whatever smtp_alert says. */
    boolean enabled() {
        GlobalDefs g = globals;
        return g != null && g.sendsEmail();
    }

    /**
     * Queues a mail with subject {@code [router_id] subject} and this body; returns at once. The future
     * tells how it ended (never exceptionally); the outcome is logged either way.
     */
    public CompletableFuture<Outcome> alert(String subject, String body) {
        GlobalDefs g = globals;
        if (g == null || !g.sendsEmail()) return CompletableFuture.completedFuture(Outcome.NOT_CONFIGURED);
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        ZonedDateTime now = ZonedDateTime.now();
        try {
            sender.execute(() -> done.complete(send(mail(g, subject, body, now))));
        } catch (RejectedExecutionException e) {
            String why = sender.isShutdown() ? "stopping" : "more than " + MAX_QUEUED + " alerts waiting";
            log.warn("SMTP alert '{}' dropped: {}", subject, why);
            done.complete(new Outcome(false, why));
        }
        return done;
    }

    /**
     * Runs on the mail thread: keepalived's defaults come from its local name (which may need the
     * resolver): router_id in the subject, the HELO name, and user@name as the sender.
     */
    private Mail mail(GlobalDefs g, String subject, String body, ZonedDateTime date) {
        GlobalDefs.SmtpAlerts s = g.smtpAlerts();
        String helo = s.heloName(), from = g.notificationEmailFrom(), routerId = g.routerId();
        if (helo == null || from == null || routerId == null) {
            String local = localName.get();
            if (helo == null) helo = local;
            if (from == null) from = userName.get() + "@" + local;
            if (routerId == null) routerId = local;
        }
        return new Mail(g.smtpServer(), s.serverPort(), g.smtpConnectTimeout(), helo, from, g.notificationEmail(),
                "[" + routerId + "] " + subject, body, date);
    }

    private Outcome send(Mail mail) {
        Outcome o;
        try {
            o = new Dialogue(mail).run();
        } catch (RuntimeException e) {
            o = new Outcome(false, "SMTP alert to " + mail.where() + " failed: " + e);
        }
        if (o.sent()) log.debug("SMTP alert sent: {}", mail.subject());
        else log.warn("{} - alert '{}' not sent", o.reason(), mail.subject());
        return o;
    }

    /** The message as keepalived writes it after DATA (headers, blank line, body, end of data). */
    static String message(Mail m) {
        StringBuilder sb = new StringBuilder(256 + m.body().length());
        sb.append("Date: ").append(DATE.format(m.date())).append("\r\n");
        sb.append("From: ").append(m.from()).append("\r\n");
        sb.append("Subject: ").append(m.subject()).append("\r\n");
        sb.append("X-Mailer: Keepalived\r\n");
        sb.append("To: ").append(String.join(", ", m.to())).append("\r\n");
        sb.append("\r\n");
        // a line of the body starting with '.' is doubled (RFC 5321 4.5.2) so it cannot end the data early
        for (String line : m.body().split("\r?\n", -1)) {
            if (line.startsWith(".")) sb.append('.');
            sb.append(line).append("\r\n");
        }
        sb.append("\r\n.\r\n");
        return sb.toString();
    }

    /** One mail's SMTP exchange on a blocking socket (on the mail thread only). */
    private static final class Dialogue {
        private final Mail m;
        private InputStream in;
        private OutputStream out;

        Dialogue(Mail m) {
            this.m = m;
        }

        Outcome run() {
            int timeout = (int) Math.max(1, Math.min(Integer.MAX_VALUE, m.timeout().toMillis()));
            try (Socket s = new Socket()) {
                try {
                    InetSocketAddress addr = new InetSocketAddress(m.server(), m.port());
                    if (addr.isUnresolved()) return fail("SMTP server " + m.where() + " cannot be resolved");
                    s.connect(addr, timeout);
                } catch (SocketTimeoutException e) {
                    return fail("SMTP server " + m.where() + " did not accept the connection within smtp_connect_timeout");
                } catch (IOException e) {
                    return fail("cannot connect to SMTP server " + m.where() + ": " + reason(e));
                }
                s.setSoTimeout(timeout);
                in = new BufferedInputStream(s.getInputStream());
                out = s.getOutputStream();
                String[] step = {"(E)SMTP"};
                try {
                    Outcome o = expect(220, step[0]);
                    if (o != null) return o;
                    o = command("HELO " + m.helo(), 250, step, "HELO");
                    if (o != null) return o;
                    o = command("MAIL FROM:<" + m.from() + ">", 250, step, "MAIL");
                    if (o != null) return o;
                    for (String to : m.to()) {
                        o = command("RCPT TO:<" + to + ">", 250, step, "RCPT");
                        if (o != null) return o;
                    }
                    o = command("DATA", 354, step, "DATA");
                    if (o != null) return o;
                    step[0] = "BODY";
                    out.write(message(m).getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    o = expect(250, "BODY");
                    if (o != null) return o;
                    // the mail is accepted: a server that then fumbles QUIT (error, silence, reset) does not unsend it
                    try {
                        command("QUIT", 221, step, "QUIT");
                    } catch (IOException afterDelivery) {
                        log.debug("SMTP server {} did not close cleanly after the mail: {}", m.where(), reason(afterDelivery));
                    }
                    return Outcome.SENT;
                } catch (SocketTimeoutException e) {
                    quietQuit();
                    return fail("SMTP server " + m.where() + " did not answer " + step[0] + " within smtp_connect_timeout");
                } catch (IOException e) {
                    return fail("SMTP server " + m.where() + " failed at " + step[0] + ": " + reason(e));
                }
            } catch (IOException e) {
                return fail("cannot connect to SMTP server " + m.where() + ": " + reason(e));
            }
        }

        /** Sends a command and checks the reply: null when it is the expected code, else the failure. */
        private Outcome command(String line, int want, String[] step, String name) throws IOException {
            step[0] = name;
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return expect(want, name);
        }

        private Outcome expect(int want, String name) throws IOException {
            int code = reply();
            if (code == -2) return fail("SMTP server " + m.where() + " closed the connection at " + name);
            if (code == want) return null;
            quietQuit();
            if (code == -1) return fail("SMTP server " + m.where() + " sent a reply to " + name + " that is not SMTP");
            return fail("SMTP server " + m.where() + " answered " + name + " with " + code + " (expected " + want + ")");
        }

        /** After an error keepalived still says QUIT; the answer (if any) does not matter. */
        private void quietQuit() {
            try {
                out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException ignored) {
                // the mail is dropped anyway
            }
        }

        /**
         * Reads one reply (its continuation lines "250-..." too) and returns the code of its last line,
         * -1 for a reply that is not SMTP, -2 when the server closed the connection.
         */
        private int reply() throws IOException {
            int total = 0;
            while (true) {
                ByteArrayOutputStream line = new ByteArrayOutputStream(128);
                int b;
                while ((b = in.read()) != -1 && b != '\n') {
                    if (++total > MAX_REPLY) return -1;
                    line.write(b);
                }
                if (b == -1) return -2;
                String l = line.toString(StandardCharsets.US_ASCII);
                if (l.endsWith("\r")) l = l.substring(0, l.length() - 1);
                if (l.length() < 3 || !Character.isDigit(l.charAt(0)) || !Character.isDigit(l.charAt(1))
                        || !Character.isDigit(l.charAt(2))) {
                    return -1;
                }
                if (l.length() > 3 && l.charAt(3) == '-') continue;
                return Integer.parseInt(l.substring(0, 3));
            }
        }

        private static Outcome fail(String why) {
            return new Outcome(false, why);
        }

        private static String reason(IOException e) {
            if (e instanceof ConnectException) return "connection refused";
            return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        }
    }

    /**
     * Stops taking alerts and waits up to {@code grace} for the queued ones (a stop's "Stopping" mails),
     * then abandons the rest.
     */
    public void close(Duration grace) {
        sender.shutdown();
        try {
            if (!sender.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                int left = sender.shutdownNow().size();
                log.warn("SMTP alerts not sent at stop: {} queued, one in progress", left);
            }
        } catch (InterruptedException e) {
            sender.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override public void close() {
        GlobalDefs g = globals;
        close(g == null ? Duration.ZERO : min(g.smtpConnectTimeout(), Duration.ofSeconds(5)));
    }

    private static Duration min(Duration a, Duration b) {
        return a == null || a.compareTo(b) > 0 ? b : a;
    }
}
