package org.jkeepalived.vrrp.engine;

import ch.qos.logback.classic.Level;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jkeepalived.core.config.AuthType;
import org.jkeepalived.core.config.StaticAddress;
import org.jkeepalived.core.config.TrackRef;
import org.jkeepalived.core.config.UnicastPeer;
import org.jkeepalived.core.config.VrrpInstance;
import org.jkeepalived.core.config.VrrpState;
import org.jkeepalived.core.time.MonotonicClock;
import org.jkeepalived.vrrp.fsm.Action;
import org.jkeepalived.vrrp.io.NetIo;
import org.slf4j.LoggerFactory;

/**
 * Test main: one {@link VrrpEngine} with one instance described by {@code key=value} arguments
 * (name, iface, vrid, prio, version, int (seconds, may be fractional), vip (repeatable, CIDR),
 * auth=PASS:secret or auth=AH:secret, src (unicast_src_ip), peer=ADDR[,MIN_TTL,MAX_TTL] (repeatable), state, garp_delay, listen=PORT:TOKEN,
 * nopreempt, no_accept, evip (virtual_ipaddress_excluded, repeatable, CIDR), vmac[=NAME] (use_vmac), xmit_base
 * (vmac_xmit_base), rule=w,w,... (virtual_rules, repeatable)).
 * Prints {@code STATE name from to} on each transition, stops cleanly on SIGTERM
 * (priority 0) and answers {@code status} on stdin.
 */
public final class EngineMain {
    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(Level.INFO);
        List<VrrpInstance> vis = new ArrayList<>();
        int count = 1;
        for (String a : args) {
            if (a.startsWith("count=")) {
                count = Integer.parseInt(a.substring(6));
            }
        }
        if (count == 1) {
            vis.add(instance(args));
        } else {
            // count=N: N instances VI_1..VI_N with VRIDs 1..N, each with its own VIP 10.9.1.k
            for (int k = 1; k <= count; k++) {
                List<String> l = new ArrayList<>(List.of(args));
                l.removeIf(x -> x.startsWith("vip=") || x.startsWith("name=") || x.startsWith("vrid="));
                l.add("name=VI_" + k);
                l.add("vrid=" + k);
                l.add("vip=10.9.1." + k + "/32");
                vis.add(instance(l.toArray(new String[0])));
            }
        }
        for (String a : args) {
            if (a.startsWith("listen=")) {
                String[] pt = a.substring(7).split(":");
                listen(Integer.parseInt(pt[0]), pt[1]);
            }
        }
        NetIo io = new CountingNetIo(NetIo.openNative());
        EngineListener listener = new EngineListener() {
            @Override
            public void onStateChanged(Action.StateChanged c) {
                out("STATE " + c.instance() + " " + c.from() + " " + c.to());
            }
        };
        VrrpEngine engine = VrrpEngine.start(vis, List.of(), null, io, MonotonicClock.SYSTEM, listener, null);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            engine.stop();
            out("STOPPED");
        }));
        out("STARTED");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.equals("lateness")) { // max us, count > 10 ms, tasks; then reset
                long[] l = engine.schedulerLateness(true);
                out("OK " + l[0] / 1000 + " " + l[1] + " " + l[2]);
            } else if (line.equals("cpu")) {
                // CPU time of the whole process (all threads, JIT and GC included), in ms
                out("OK " + ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                        .getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000);
            } else if (line.startsWith("reload ")) {
                // reload k=v k=v ...: the one instance as those words describe it
                VrrpInstance vi = instance(line.substring(7).trim().split("\\s+"));
                engine.reload(new org.jkeepalived.core.config.KeepalivedConfig(null, List.of(), List.of(), List.of(),
                        List.of(), List.of(), List.of(), List.of(vi), List.of(), List.of()));
                out("OK reloaded");
            } else if (line.equals("garps")) {
                out("OK " + ((CountingNetIo) io).garps.get());
            } else if (line.startsWith("handoff")) {
                String[] w = line.split("\\s+");
                java.time.Duration hold = w.length > 1 ? java.time.Duration.ofMillis(
                        Math.round(Double.parseDouble(w[1]) * 1000)) : null;
                HandoffResult r = engine.handoff(vis.get(0).name(), hold);
                out("OK " + r.outcome() + " " + r.message());
            } else if (line.equals("handback")) {
                HandoffResult r = engine.handback(vis.get(0).name());
                out("OK " + r.outcome() + " " + r.message());
            } else if (line.equals("status")) {
                out("OK " + engine.status().get(0));
            } else if (line.equals("quit")) {
                break;
            }
        }
        // stdin closed (parent gone) or quit: stay up until killed unless asked to quit
        if (line == null) {
            Thread.sleep(Long.MAX_VALUE);
        }
        System.exit(0);
    }

    static synchronized void out(String s) {
        System.out.println(s);
        System.out.flush();
    }

    private static void listen(int port, String token) throws Exception {
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        ss.bind(new InetSocketAddress(port));
        Thread t = new Thread(() -> {
            while (true) {
                try (Socket c = ss.accept()) {
                    c.getOutputStream().write((token + "\n").getBytes(StandardCharsets.US_ASCII));
                } catch (Exception e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
    }

    /** Builds a VrrpInstance with keepalived's defaults from {@code key=value} words. */
    public static VrrpInstance instance(String... args) throws Exception {
        String name = "VI_1";
        String iface = "eth0";
        int vrid = 51;
        int prio = 100;
        int version = 3;
        Duration advert = Duration.ofSeconds(1);
        List<StaticAddress> vips = new ArrayList<>();
        AuthType auth = AuthType.NONE;
        String pass = null;
        InetAddress src = null;
        List<UnicastPeer> peers = new ArrayList<>();
        VrrpState state = null;
        Duration garpDelay = Duration.ofSeconds(5);
        int garpRepeat = 5;
        Duration lowerDelay = Duration.ZERO;
        int lowerRepeat = 0;
        Duration refresh = Duration.ZERO;
        boolean nopreempt = false;
        boolean accept = true;
        List<StaticAddress> excluded = new ArrayList<>();
        List<TrackRef> track = new ArrayList<>();
        List<TrackRef> scripts = new ArrayList<>();
        List<org.jkeepalived.core.config.StaticRoute> routes = new ArrayList<>();
        org.jkeepalived.core.config.ScriptSpec notify = null;
        org.jkeepalived.core.config.ScriptSpec notifyStop = null;
        String vmac = null;
        boolean xmitBase = false;
        List<org.jkeepalived.core.config.StaticRoute> rules = new ArrayList<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            String k = eq < 0 ? a : a.substring(0, eq);
            String v = eq < 0 ? "" : a.substring(eq + 1);
            switch (k) {
                case "name": name = v; break;
                case "iface": iface = v; break;
                case "vrid": vrid = Integer.parseInt(v); break;
                case "prio": prio = Integer.parseInt(v); break;
                case "version": version = Integer.parseInt(v); break;
                case "int": advert = Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000)); break;
                case "vip": {
                    String[] c = v.split("/");
                    InetAddress addr = InetAddress.getByName(c[0]);
                    int len = c.length > 1 ? Integer.parseInt(c[1]) : addr.getAddress().length * 8;
                    vips.add(new StaticAddress(addr, len, null, null, null, null, null, false, List.of()));
                    break;
                }
                case "auth": // PASS:secret or AH:secret (a bare secret means PASS)
                    auth = v.startsWith("AH:") ? AuthType.AH : AuthType.PASS;
                    pass = v.substring(v.indexOf(':') + 1);
                    break;
                case "src": src = InetAddress.getByName(v); break;
                case "peer": { // ADDR[,MIN_TTL,MAX_TTL]
                    String[] pv = v.split(",");
                    peers.add(new UnicastPeer(InetAddress.getByName(pv[0]),
                            pv.length > 1 ? Integer.valueOf(pv[1]) : null, pv.length > 2 ? Integer.valueOf(pv[2]) : null));
                    break;
                }
                case "state": state = VrrpState.valueOf(v); break;
                case "garp_delay": garpDelay = Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000)); break;
                case "nopreempt": nopreempt = true; break;
                case "no_accept": accept = false; break;
                case "evip": {
                    String[] c = v.split("/");
                    InetAddress addr = InetAddress.getByName(c[0]);
                    excluded.add(new StaticAddress(addr, Integer.parseInt(c[1]), null, null, null, null, null, false,
                            List.of()));
                    break;
                }
                case "garp_repeat": garpRepeat = Integer.parseInt(v); break;
                case "refresh": refresh = Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000)); break;
                case "lower_repeat": lowerRepeat = Integer.parseInt(v); break;
                case "lower_delay": lowerDelay = Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000)); break;
                case "track": track.add(new TrackRef(v, null, false)); break;
                case "vmac": vmac = v; break;
                case "xmit_base": xmitBase = true; break;
                case "rule": rules.add(new org.jkeepalived.core.config.StaticRoute(List.of(v.split(",")))); break;
                case "route": routes.add(new org.jkeepalived.core.config.StaticRoute(List.of(v.split(",")))); break;
                case "track_script": scripts.add(new TrackRef(v, null, false)); break;
                case "notify": notify = new org.jkeepalived.core.config.ScriptSpec(v, List.of(v), null, null); break;
                case "notify_stop": notifyStop = new org.jkeepalived.core.config.ScriptSpec(v, List.of(v), null, null); break;
                default: break;
            }
        }
        boolean ipv6 = !vips.isEmpty() && vips.get(0).address() instanceof java.net.Inet6Address;
        return new VrrpInstance(name, state, iface, vrid, prio, advert, version, ipv6, nopreempt, Duration.ZERO,
                accept, auth, pass, null, src, peers, vips, excluded, routes, rules, track, scripts,
                List.of(), List.of(), false, vmac == null ? null : vmac.isEmpty() ? "vrrp." + vrid : vmac, xmitBase, garpDelay, garpRepeat, refresh, 1, lowerDelay, lowerRepeat, null, null, null,
                notifyStop, notify, false, null, false, false, Map.of());
    }

    /** The native NetIo, counting the GARPs / unsolicited NAs put on the wire. */
    static final class CountingNetIo implements NetIo {
        final NetIo real;
        final java.util.concurrent.atomic.AtomicLong garps = new java.util.concurrent.atomic.AtomicLong();

        CountingNetIo(NetIo real) {
            this.real = real;
        }

        @Override
        public org.jkeepalived.vrrp.io.VrrpSocket openVrrpSocket(org.jkeepalived.vrrp.io.VrrpSocketConfig c)
                throws java.io.IOException {
            return real.openVrrpSocket(c);
        }

        @Override
        public org.jkeepalived.vrrp.io.AddressManager addresses() {
            return real.addresses();
        }

        @Override
        public org.jkeepalived.vrrp.io.LinkMonitor links() {
            return real.links();
        }

        @Override
        public org.jkeepalived.vrrp.io.RouteManager routes() {
            return real.routes();
        }

        @Override
        public org.jkeepalived.vrrp.io.RuleManager rules() {
            return real.rules();
        }

        @Override
        public org.jkeepalived.vrrp.io.VmacManager vmacs() {
            return real.vmacs();
        }

        @Override
        public void prioritizeCurrentThread(ThreadPriority p) {
            real.prioritizeCurrentThread(p);
        }

        @Override
        public org.jkeepalived.vrrp.io.VipFilter vipFilter() {
            return real.vipFilter();
        }

        @Override
        public org.jkeepalived.vrrp.io.GratuitousArp gratuitousArp() {
            org.jkeepalived.vrrp.io.GratuitousArp g = real.gratuitousArp();
            return new org.jkeepalived.vrrp.io.GratuitousArp() {
                @Override
                public void announce(String iface, InetAddress address) throws java.io.IOException {
                    g.announce(iface, address);
                    garps.incrementAndGet();
                }

                @Override
                public void close() {
                    g.close();
                }
            };
        }

        @Override
        public void close() {
            real.close();
        }
    }
}
