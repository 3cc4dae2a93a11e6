package org.jkeepalived.ipvs.kernel;

import static org.jkeepalived.ipvs.TestTables.ip;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jkeepalived.core.config.L4Protocol;
import org.jkeepalived.core.config.LvsMethod;
import org.jkeepalived.core.config.TunnelSpec;
import org.jkeepalived.core.table.Destination;
import org.jkeepalived.core.table.ServiceKey;
import org.jkeepalived.core.table.VirtualService;
import org.jkeepalived.ipvs.IpvsSemantics;

/** Runs the real ipvsadm and parses `ipvsadm -Sn`: the neutral view of what the kernel holds. */
final class Ipvsadm {
    private Ipvsadm() {}

    static String run(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("ipvsadm");
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = p.waitFor();
            if (rc != 0) throw new IllegalStateException(cmd + " exited " + rc + ": " + out);
            return out;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses `ipvsadm -Sn` into services (thresholds are not part of -S output). */
    static List<VirtualService> save() {
        Map<ServiceKey, VirtualService> svcs = new LinkedHashMap<>();
        Map<ServiceKey, List<Destination>> dests = new LinkedHashMap<>();
        for (String line : run("-Sn").split("\n")) {
            if (line.isBlank()) continue;
            String[] t = line.trim().split("\\s+");
            boolean add = t[0].equals("-A");
            ServiceKey key = null;
            String sched = "wlc", mask = null, pe = null;
            List<String> flags = List.of();
            boolean ops = false;
            int timeout = 0;
            String rs = null;
            LvsMethod m = LvsMethod.DR;
            int weight = 1, ux = 0, ly = 0;
            String tunType = null, csum = null;
            Integer tunPort = null;
            boolean six = List.of(t).contains("-6");
            for (int i = 1; i < t.length; i++) {
                switch (t[i]) {
                    case "-t": key = svcKey(L4Protocol.TCP, t[++i]); break;
                    case "-u": key = svcKey(L4Protocol.UDP, t[++i]); break;
                    case "--sctp-service": key = svcKey(L4Protocol.SCTP, t[++i]); break;
                    case "-f": key = ServiceKey.fwmark(Integer.parseInt(t[++i]), six); break;
                    case "-s": sched = t[++i]; break;
                    case "-p": timeout = Integer.parseInt(t[++i]); break;
                    case "-M": mask = t[++i]; break;
                    case "-b": flags = List.of(t[++i].split(",")); break;
                    case "-o": ops = true; break;
                    case "--pe": pe = t[++i]; break;
                    case "-r": rs = t[++i]; break;
                    case "-m": m = LvsMethod.NAT; break;
                    case "-g": m = LvsMethod.DR; break;
                    case "-i": m = LvsMethod.TUN; break;
                    case "-w": weight = Integer.parseInt(t[++i]); break;
                    case "-x": ux = Integer.parseInt(t[++i]); break;
                    case "-y": ly = Integer.parseInt(t[++i]); break;
                    case "--tun-type": tunType = t[++i]; break;
                    case "--tun-port": tunPort = Integer.parseInt(t[++i]); break;
                    case "--tun-nocsum": csum = "nocsum"; break;
                    case "--tun-csum": csum = "csum"; break;
                    case "--tun-remcsum": csum = "remcsum"; break;
                    default: break;
                }
            }
            if (add) {
                svcs.put(key, new VirtualService(key, sched, flags, ops, timeout, mask, pe, List.of()));
                dests.put(key, new ArrayList<>());
            } else {
                int c = rs.lastIndexOf(':');
                String host = rs.substring(0, c).replace("[", "").replace("]", "");
                TunnelSpec ts = m == LvsMethod.TUN ? new TunnelSpec(tunType == null ? "ipip" : tunType, tunPort, csum) : null;
                dests.get(key).add(new Destination(ip(host), Integer.parseInt(rs.substring(c + 1)), m, weight, ux, ly, ts));
            }
        }
        List<VirtualService> out = new ArrayList<>();
        for (VirtualService s : svcs.values()) out.add(s.withDestinations(dests.get(s.key())));
        return out;
    }

    private static ServiceKey svcKey(L4Protocol p, String hostPort) {
        int c = hostPort.lastIndexOf(':');
        return ServiceKey.of(p, ip(hostPort.substring(0, c).replace("[", "").replace("]", "")),
                Integer.parseInt(hostPort.substring(c + 1)));
    }

    /** A canonical text of a table as IPVS holds it; thresholds only when asked (-S does not show them). */
    static String canon(List<VirtualService> table, boolean thresholds) {
        return table.stream().map(IpvsSemantics::normalize).map(s -> {
            String head = IpvsSemantics.describe(s.key()) + " " + IpvsSemantics.scheduler(s) + " flags=" + IpvsSemantics.serviceFlags(s)
                    + " p=" + (s.persistent() ? s.persistenceTimeoutSeconds() : 0) + " mask=" + IpvsSemantics.netmask(s)
                    + " pe=" + IpvsSemantics.pe(s);
            String ds = s.destinations().stream().map(d -> IpvsSemantics.hostPort(d.address(), d.port()) + " " + d.method()
                    + " w=" + d.weight() + (thresholds ? " x=" + d.upperThreshold() + " y=" + d.lowerThreshold() : "")
                    + (d.method() == LvsMethod.TUN ? " " + IpvsSemantics.normalizeTunnel(d.tunnel()) : ""))
                    .sorted().collect(Collectors.joining("\n  "));
            return head + (ds.isEmpty() ? "" : "\n  " + ds);
        }).sorted(Comparator.naturalOrder()).collect(Collectors.joining("\n"));
    }
}
