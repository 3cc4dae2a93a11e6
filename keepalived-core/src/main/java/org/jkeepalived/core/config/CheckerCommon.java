package org.jkeepalived.core.config;

import java.net.InetAddress;
import java.time.Duration;

/**
 * Options every checker shares, already resolved from checker → real_server → virtual_server
 * defaults by the parser (so a checker never has to look up its parents).
 * connectIp / connectPort are the real server's when not given.
 */
public record CheckerCommon(
        InetAddress connectIp,
        int connectPort,
        InetAddress bindto,
        String bindIf,
        Integer bindPort,
        Integer fwmark,
        Duration connectTimeout,
        int retry,
        Duration delayBeforeRetry,
        Duration warmup,
        Duration delayLoop,
        boolean alpha,
        boolean logAllFailures) {
}
