package org.jkeepalived.ipvs.kernel;

import java.net.InetAddress;

/**
 * The IPVS connection-sync daemon (ipvsadm --start-daemon; keepalived's lvs_sync_daemon).
 * Optional fields null = the kernel's default (maxlen from the MTU, group 224.0.0.81, port 8848, ttl 1).
 */
public record SyncDaemon(State state, String iface, int syncId, Integer maxLen, InetAddress group, Integer port,
                         Integer ttl) {

    public enum State {
        MASTER(1), BACKUP(2);

        final int code;

        State(int code) { this.code = code; }

        static State of(int code) { return code == 2 ? BACKUP : MASTER; }
    }

    public static SyncDaemon of(State state, String iface, int syncId) {
        return new SyncDaemon(state, iface, syncId, null, null, null, null);
    }

    /** ipvsadm -L --daemon's line: "master sync daemon (mcast=eth0, syncid=7, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)". */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append(state == State.MASTER ? "master" : "backup").append(" sync daemon (mcast=").append(iface)
                .append(", syncid=").append(syncId);
        if (maxLen != null) b.append(", maxlen=").append(maxLen);
        if (group != null) b.append(", group=").append(group.getHostAddress());
        if (port != null) b.append(", port=").append(port);
        if (ttl != null) b.append(", ttl=").append(ttl);
        return b.append(')').toString();
    }
}
