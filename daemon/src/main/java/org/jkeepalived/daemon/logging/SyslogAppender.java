package org.jkeepalived.daemon.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.jkeepalived.daemon.nativeio.UnixDatagramSender;

/**
 * Writes RFC 3164 lines to the local syslog socket (/dev/log), tagged like keepalived's
 * ("Keepalived_vrrp[PID]: ..."), so existing rsyslog/journald filters and alerts match.
 */
public final class SyslogAppender extends AppenderBase<ILoggingEvent> {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH);
    private final String socketPath;
    private final int facility;
    private final String tag;
    private UnixDatagramSender sender;

    public SyslogAppender(String socketPath, int facility, String tag) {
        this.socketPath = socketPath;
        this.facility = facility;
        this.tag = tag;
    }

    /** keepalived's -S values: 0-7 (local0-7), localN, user, daemon. */
    public static int facility(String name) {
        if (name == null || name.equals("daemon")) return 3;
        if (name.equals("user")) return 1;
        String n = name.startsWith("local") ? name.substring(5) : name;
        int i = Integer.parseInt(n);
        if (i < 0 || i > 7) throw new IllegalArgumentException("syslog facility must be 0-7, localN, user or daemon");
        return 16 + i;
    }

    @Override public void start() {
        try {
            sender = new UnixDatagramSender(socketPath);
            super.start();
        } catch (RuntimeException | LinkageError e) {
            addError("syslog socket " + socketPath + " unavailable: " + e.getMessage());
        }
    }

    @Override protected synchronized void append(ILoggingEvent e) {
        int severity = severity(e.getLevel());
        String line = "<" + (facility * 8 + severity) + ">" + STAMP.format(ZonedDateTime.now()) + " " + tag + "["
                + ProcessHandle.current().pid() + "]: " + e.getFormattedMessage();
        sender.send(line.getBytes(StandardCharsets.UTF_8));
    }

    static int severity(Level l) {
        if (l.isGreaterOrEqual(Level.ERROR)) return 3;
        if (l.isGreaterOrEqual(Level.WARN)) return 4;
        if (l.isGreaterOrEqual(Level.INFO)) return 6;
        return 7;
    }

    @Override public void stop() {
        super.stop();
        if (sender != null) sender.close();
    }
}
