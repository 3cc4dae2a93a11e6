package org.jkeepalived.daemon.drill;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The drill's namespace lab: one bridge namespace joining a client, two directors and two real
 * servers by veth pairs on 10.77.0.0/24 (addresses exist only inside these namespaces).
 * <pre>
 *   client 10.77.0.2 ─┐
 *   dir1   10.77.0.3 ─┤
 *   dir2   10.77.0.4 ─┼─ br0 (in ns "&lt;prefix&gt;br")      VIP 10.77.0.100 (VRRP)
 *   rs1    10.77.0.11─┤
 *   rs2    10.77.0.12─┘
 * </pre>
 */
public final class DrillLab implements AutoCloseable {
    public static final String VIP = "10.77.0.100";
    public static final String[] HOSTS = {"client", "dir1", "dir2", "rs1", "rs2"};
    public static final String[] ADDRS = {"10.77.0.2", "10.77.0.3", "10.77.0.4", "10.77.0.11", "10.77.0.12"};

    private final String prefix;
    private final List<String> created = new ArrayList<>();

    public DrillLab(String prefix) {
        this.prefix = prefix;
    }

    public String ns(String host) {
        return prefix + host;
    }

    public String bridgeNs() {
        return prefix + "br";
    }

    /** Host-side (bridge namespace) end of a host's veth: cut it to take the host off the LAN. */
    public String bridgePort(String host) {
        return "v" + host;
    }

    public void create() throws IOException {
        close(); // leftovers of an interrupted earlier drill
        add(bridgeNs());
        Netns.run("ip", "-n", bridgeNs(), "link", "add", "br0", "type", "bridge");
        Netns.run("ip", "-n", bridgeNs(), "link", "set", "br0", "up");
        for (int i = 0; i < HOSTS.length; i++) {
            String h = HOSTS[i];
            add(ns(h));
            Netns.run("ip", "-n", ns(h), "link", "add", "eth0", "type", "veth", "peer", "name", bridgePort(h),
                    "netns", bridgeNs());
            Netns.run("ip", "-n", bridgeNs(), "link", "set", bridgePort(h), "master", "br0", "up");
            Netns.run("ip", "-n", ns(h), "addr", "add", ADDRS[i] + "/24", "dev", "eth0");
            Netns.run("ip", "-n", ns(h), "link", "set", "eth0", "up");
            Netns.run("ip", "-n", ns(h), "link", "set", "lo", "up");
        }
        for (String d : new String[]{"dir1", "dir2"}) {
            // the userspace engine listens on the VIP before it owns it
            Netns.run("ip", "netns", "exec", ns(d), "sysctl", "-qw", "net.ipv4.ip_nonlocal_bind=1");
        }
    }

    private void add(String name) throws IOException {
        Netns.run("ip", "netns", "add", name);
        created.add(name);
    }

    public void linkDown(String host) throws IOException {
        Netns.run("ip", "-n", bridgeNs(), "link", "set", bridgePort(host), "down");
    }

    public void linkUp(String host) throws IOException {
        Netns.run("ip", "-n", bridgeNs(), "link", "set", bridgePort(host), "up");
    }

    @Override public void close() {
        for (String h : HOSTS) Netns.quiet("ip", "netns", "pids", ns(h));
        for (String h : HOSTS) killAll(ns(h));
        for (String h : HOSTS) Netns.quiet("ip", "netns", "del", ns(h));
        Netns.quiet("ip", "netns", "del", bridgeNs());
        created.clear();
    }

    private static void killAll(String ns) {
        try {
            for (String pid : Netns.run("ip", "netns", "pids", ns).split("\\s+")) {
                if (!pid.isBlank()) Netns.quiet("kill", "-9", pid.strip());
            }
        } catch (IOException e) {
            // namespace already gone
        }
    }
}
