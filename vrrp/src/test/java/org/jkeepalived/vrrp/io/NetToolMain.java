package org.jkeepalived.vrrp.io;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test main run in a namespace by {@link NetnsLab#java}: drives the native {@link NetIo} from
 * commands on stdin, one per line, answering {@code OK ...} or {@code ERR ...}; asynchronous
 * events are printed as {@code EVENT ...}.
 */
public final class NetToolMain {
    private static final Map<Integer, VrrpSocket> SOCKETS = new ConcurrentHashMap<>();
    private static final AtomicInteger IDS = new AtomicInteger();

    public static void main(String[] args) throws Exception {
        NetIo io = NetIo.openNative();
        out("READY");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.trim().split("\\s+");
            try {
                if (w[0].equals("quit")) {
                    break;
                }
                out("OK " + handle(io, w));
            } catch (Exception e) {
                out("ERR " + e);
            }
        }
        io.close();
        System.exit(0);
    }

    static synchronized void out(String s) {
        System.out.println(s);
        System.out.flush();
    }

    private static String handle(NetIo io, String[] w) throws Exception {
        switch (w[0]) {
            case "open": { // open IFACE 4|6 mcast|ucast [ah]
                boolean v6 = w[2].equals("6");
                VrrpSocketConfig c = w[3].equals("mcast") ? VrrpSocketConfig.multicast(w[1], v6)
                        : VrrpSocketConfig.unicast(w[1], v6);
                if (w.length > 4 && w[4].equals("ah")) {
                    c = new VrrpSocketConfig(c.iface(), c.ipv6(), c.multicastGroup(), c.ttl(), false,
                            VrrpSocketConfig.IPPROTO_AH);
                }
                int id = IDS.incrementAndGet();
                SOCKETS.put(id, io.openVrrpSocket(c));
                return Integer.toString(id);
            }
            case "send": { // send ID HEX SRC|- DST
                InetAddress src = w[3].equals("-") ? null : InetAddress.getByName(w[3]);
                SOCKETS.get(Integer.parseInt(w[1])).send(HexFormat.of().parseHex(w[2]), src,
                        InetAddress.getByName(w[4]));
                return "sent";
            }
            case "recv": { // recv ID TIMEOUT_MS -> "src dst ttl hex" or "timeout"
                ReceivedPacket p = SOCKETS.get(Integer.parseInt(w[1]))
                        .receive(Duration.ofMillis(Long.parseLong(w[2])));
                if (p == null) {
                    return "timeout";
                }
                return p.source().getHostAddress() + " "
                        + (p.destination() == null ? "-" : p.destination().getHostAddress()) + " " + p.ttl()
                        + " " + HexFormat.of().formatHex(p.vrrp());
            }
            case "jitter": { // jitter ID MS INTERVAL_MS: worst lateness (ms) of any VRID's advert vs its interval
                VrrpSocket s = SOCKETS.get(Integer.parseInt(w[1]));
                long end = System.nanoTime() + Long.parseLong(w[2]) * 1_000_000;
                long interval = Long.parseLong(w[3]) * 1_000_000;
                Map<Integer, Long> last = new java.util.HashMap<>();
                long worst = 0;
                int n = 0;
                int over10 = 0;
                while (true) {
                    long left = end - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    ReceivedPacket p = s.receive(Duration.ofNanos(left));
                    if (p == null || p.vrrp().length < 2) {
                        continue;
                    }
                    n++;
                    int vrid = p.vrrp()[1] & 0xff;
                    Long prev = last.put(vrid, p.receivedNanos());
                    if (prev != null) {
                        long late = p.receivedNanos() - prev - interval;
                        worst = Math.max(worst, late);
                        if (late > 10_000_000) {
                            over10++;
                        }
                    }
                }
                return n + " " + last.size() + " " + worst / 1000 + " " + over10;
            }
            case "wakecheck": { // wakecheck ID: block in receive, close from another thread after 300 ms
                VrrpSocket s = SOCKETS.remove(Integer.parseInt(w[1]));
                long t0 = System.nanoTime();
                Thread closer = new Thread(() -> {
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException ignored) {
                        // closing anyway
                    }
                    s.close();
                });
                closer.start();
                String how;
                try {
                    s.receive(null);
                    how = "packet";
                } catch (ClosedChannelException e) {
                    how = "closed";
                }
                return how + " " + (System.nanoTime() - t0) / 1_000_000;
            }
            case "cputime": // process CPU time so far in ms, to prove an idle receiver costs nothing
                return Long.toString(java.lang.management.ManagementFactory.getThreadMXBean()
                        .getCurrentThreadCpuTime() / 1_000_000);
            case "idlecheck": { // idlecheck ID MS: CPU ms a receive blocked for MS ms used
                VrrpSocket s = SOCKETS.get(Integer.parseInt(w[1]));
                long cpu0 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                ReceivedPacket p = s.receive(Duration.ofMillis(Long.parseLong(w[2])));
                long cpu1 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                return (p == null ? "timeout" : "packet") + " " + (cpu1 - cpu0) / 1_000_000;
            }
            case "addr-add": // addr-add DEV CIDR [brd B] [scope S] [label L] [noprefixroute]
                return Boolean.toString(io.addresses().add(vip(w)));
            case "addr-del":
                return Boolean.toString(io.addresses().remove(vip(w)));
            case "addr-list": {
                StringBuilder b = new StringBuilder();
                for (InterfaceAddress a : io.addresses().list(w[1])) {
                    b.append(a.address().getHostAddress()).append('/').append(a.prefix())
                            .append(",scope=").append(a.scope())
                            .append(",label=").append(a.label())
                            .append(",brd=").append(a.broadcast() == null ? "-" : a.broadcast().getHostAddress())
                            .append(' ');
                }
                return b.toString().trim();
            }
            case "route-add": // route-add DEV WORDS...
                return Boolean.toString(io.routes().add(VirtualRoute.parse(List.of(w).subList(2, w.length), w[1])));
            case "rule-add": // rule-add WORDS... (ip-rule syntax, IPv4 unless an address says otherwise)
                return Boolean.toString(io.rules().add(VirtualRule.parse(List.of(w).subList(1, w.length), false)));
            case "rule-del":
                return Boolean.toString(io.rules().remove(VirtualRule.parse(List.of(w).subList(1, w.length), false)));
            case "route-del":
                return Boolean.toString(io.routes().remove(VirtualRoute.parse(List.of(w).subList(2, w.length), w[1])));
            case "link": {
                return io.links().link(w[1]).map(LinkInfo::toString).orElse("none");
            }
            case "watch": { // prints EVENT LINK name up|down for every change
                io.links().subscribe(l -> out("EVENT LINK " + l.name() + " " + (l.usable() ? "up" : "down")
                        + " running=" + l.running() + " admin=" + l.adminUp()));
                return "watching";
            }
            case "announce": // announce DEV IP
                io.gratuitousArp().announce(w[1], InetAddress.getByName(w[2]));
                return "announced";
            case "listen": { // listen PORT TOKEN: TCP listener answering TOKEN to every connection
                ServerSocket ss = new ServerSocket();
                ss.setReuseAddress(true);
                ss.bind(new InetSocketAddress(Integer.parseInt(w[1])));
                String token = w[2];
                Thread t = new Thread(() -> {
                    while (true) {
                        try (Socket c = ss.accept(); OutputStream o = c.getOutputStream()) {
                            o.write((token + "\n").getBytes(StandardCharsets.US_ASCII));
                        } catch (Exception e) {
                            return;
                        }
                    }
                });
                t.setDaemon(true);
                t.start();
                return "listening";
            }
            default:
                throw new IllegalArgumentException("unknown command " + w[0]);
        }
    }

    private static VipAddress vip(String[] w) throws Exception {
        String[] cidr = w[2].split("/");
        InetAddress a = InetAddress.getByName(cidr[0]);
        int prefix = cidr.length > 1 ? Integer.parseInt(cidr[1]) : (a.getAddress().length == 4 ? 32 : 128);
        InetAddress brd = null;
        int scope = 0;
        String label = null;
        boolean npr = false;
        List<String> rest = List.of(w).subList(3, w.length);
        for (int i = 0; i < rest.size(); i++) {
            switch (rest.get(i)) {
                case "brd":
                    brd = InetAddress.getByName(rest.get(++i));
                    break;
                case "scope":
                    scope = VipAddress.scopeNumber(rest.get(++i));
                    break;
                case "label":
                    label = rest.get(++i);
                    break;
                case "noprefixroute":
                    npr = true;
                    break;
                default:
                    throw new IllegalArgumentException(rest.get(i));
            }
        }
        return new VipAddress(a, prefix, w[1], brd, scope, label, npr);
    }
}
