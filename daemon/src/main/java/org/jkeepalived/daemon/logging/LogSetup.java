package org.jkeepalived.daemon.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Logging outputs chosen by keepalived's flags: console (-l), syslog (default, -S facility, off
 * with -G), a file (--log-file), detail (-D = debug level). Messages keep keepalived's wording.
 */
public final class LogSetup {
    private LogSetup() {}

    public static void configure(boolean console, boolean syslog, String facility, String file, boolean detail) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(detail ? Level.DEBUG : Level.INFO);
        ctx.getLogger("io.netty").setLevel(Level.WARN);
        if (console) {
            ConsoleAppender<ILoggingEvent> c = new ConsoleAppender<>();
            c.setContext(ctx);
            c.setEncoder(encoder(ctx, "%d{EEE MMM d HH:mm:ss yyyy}: %msg%n"));
            c.start();
            root.addAppender(async(ctx, c));
        }
        if (file != null) {
            FileAppender<ILoggingEvent> f = new FileAppender<>();
            f.setContext(ctx);
            f.setFile(file);
            f.setAppend(true);
            f.setEncoder(encoder(ctx, "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %msg%n"));
            f.start();
            root.addAppender(async(ctx, f));
        }
        if (syslog && Files.exists(Path.of("/dev/log"))) {
            SyslogAppender s = new SyslogAppender("/dev/log", SyslogAppender.facility(facility), "Keepalived");
            s.setContext(ctx);
            s.start();
            if (s.isStarted()) root.addAppender(async(ctx, s));
        }
    }

    /**
     * Event loops and the VRRP scheduler log from hot paths (a mass failure logs a line per real
     * server): appenders sit behind a queue that never blocks the caller.
     */
    private static AsyncAppender async(LoggerContext ctx, Appender<ILoggingEvent> target) {
        AsyncAppender a = new AsyncAppender();
        a.setContext(ctx);
        a.setName("async-" + target.getClass().getSimpleName());
        a.setQueueSize(8192);
        a.setDiscardingThreshold(0);
        a.setNeverBlock(true);
        a.addAppender(target);
        a.start();
        return a;
    }

    /** Flushes the queued lines (at exit). */
    public static void flush() {
        ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
    }

    private static PatternLayoutEncoder encoder(LoggerContext ctx, String pattern) {
        PatternLayoutEncoder e = new PatternLayoutEncoder();
        e.setContext(ctx);
        e.setPattern(pattern);
        e.start();
        return e;
    }
}
