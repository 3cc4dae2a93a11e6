package org.jkeepalived.healthcheck;

import org.jkeepalived.core.config.Checker;
import org.jkeepalived.core.config.RealServer;
import org.jkeepalived.core.config.VirtualServer;

/** What a probe checks: one checker of one real server of one virtual server. */
public record CheckTarget(VirtualServer virtualServer, RealServer realServer, Checker checker) {

    /** "[10.0.0.2]:tcp:80", keepalived's way of naming the checked endpoint. */
    public String label() {
        var c = checker.common();
        String host = c != null && c.connectIp() != null ? c.connectIp().getHostAddress() : realServer.address().getHostAddress();
        int port = c != null && c.connectPort() > 0 ? c.connectPort() : realServer.port();
        String proto = virtualServer.protocol() == null ? "tcp" : virtualServer.protocol().name().toLowerCase();
        return "[" + host + "]:" + proto + ":" + port;
    }
}
