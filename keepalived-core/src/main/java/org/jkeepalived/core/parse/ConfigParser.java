package org.jkeepalived.core.parse;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jkeepalived.core.config.AuthType;
import org.jkeepalived.core.config.Checker;
import org.jkeepalived.core.config.CheckerCommon;
import org.jkeepalived.core.config.GlobalDefs;
import org.jkeepalived.core.config.HttpUrl;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.config.L4Protocol;
import org.jkeepalived.core.config.LvsMethod;
import org.jkeepalived.core.config.BfdInstance;
import org.jkeepalived.core.config.RawBlock;
import org.jkeepalived.core.config.RealServer;
import org.jkeepalived.core.config.ScriptSpec;
import org.jkeepalived.core.config.StaticAddress;
import org.jkeepalived.core.config.StaticRoute;
import org.jkeepalived.core.config.TrackFile;
import org.jkeepalived.core.config.TrackProcess;
import org.jkeepalived.core.config.TrackRef;
import org.jkeepalived.core.config.TunnelSpec;
import org.jkeepalived.core.config.UnicastPeer;
import org.jkeepalived.core.config.VirtualServer;
import org.jkeepalived.core.config.VirtualServerGroup;
import org.jkeepalived.core.config.VrrpInstance;
import org.jkeepalived.core.config.VrrpScript;
import org.jkeepalived.core.config.VrrpState;
import org.jkeepalived.core.config.VrrpSyncGroup;

/**
 * Statements to the typed model. keepalived 2.2.7's defaults are filled in here and only here (see
 * {@link Defaults}); values inherited virtual_server → real_server → checker are resolved here too.
 */
final class ConfigParser {
    private final Diags d;
    private final LoadOptions opts;

    private GlobalDefs globals;
    /** lvs_sync_daemon of global_defs, or an instance's deprecated lvs_sync_daemon_interface. */
    private Node lvsSyncNode;
    private String lvsSyncInstance;
    private final List<StaticAddress> staticIpaddress = new ArrayList<>();
    private final List<StaticRoute> staticRoutes = new ArrayList<>();
    private final List<StaticRoute> staticRules = new ArrayList<>();
    private final List<VrrpScript> scripts = new ArrayList<>();
    private final List<TrackFile> trackFiles = new ArrayList<>();
    private final List<TrackProcess> trackProcesses = new ArrayList<>();
    private final List<VrrpSyncGroup> syncGroups = new ArrayList<>();
    private final List<VrrpInstance> instances = new ArrayList<>();
    /** keepalived 2.2.7's lvs_sched names, matched exactly (so "RR" is refused there too). */
    private static final Set<String> KEEPALIVED_SCHEDULERS = Set.of("rr", "wrr", "lc", "wlc", "lblc", "sh", "mh", "dh",
            "fo", "ovf", "lblcr", "sed", "nq", "twos");
    /** virtual_server group NAME without protocol: {group name, token, label}. */
    private final List<Object[]> groupsWithoutProtocol = new ArrayList<>();
    private final List<VirtualServerGroup> vsGroups = new ArrayList<>();
    private final List<VirtualServer> virtualServers = new ArrayList<>();
    private final List<RawBlock> others = new ArrayList<>();
    private final List<BfdInstance> bfds = new ArrayList<>();
    /** The names BFD_CHECKs refer to: the instance must send its events to the checkers. */
    private final List<Token> bfdChecks = new ArrayList<>();
    /** track_bfd entries of instances and sync groups, checked against the bfd_instances at the end. */
    private final List<Token> trackBfds = new ArrayList<>();
    /** Instances by (VRID, IPv6, interface): two of them may clash. */
    private final Map<List<Object>, List<VrrpInstance>> byVrid = new HashMap<>();
    /** Where each named object was defined or referenced, for the reference checks at the end. */
    private final Map<Object, Token> where = new HashMap<>();
    private final List<Object[]> refs = new ArrayList<>();
    private boolean checkerLogAllFailures;
    private Duration globalLowerPrioDelay;
    private Integer globalLowerPrioRepeat;

    ConfigParser(Diags d, LoadOptions opts) {
        this.d = d;
        this.opts = opts;
    }

    KeepalivedConfig parse(List<Node> root) {
        rootNodes = root;
        pendingNotices("top", root);
        for (Node n : root) {
            if (n.keyword().equals("global_defs")) guard(n, () -> globalDefs(n));
        }
        if (globals == null) globals = globalDefsFrom(new GlobalBuilder());
        for (Node n : root) {
            guard(n, () -> top(n));
        }
        if (lvsSyncNode != null) guard(lvsSyncNode, this::resolveLvsSync);
        checkReferences();
        for (Token t : trackBfds) {
            for (BfdInstance b : bfds) {
                if (b.name().equals(t.text()) && !b.forVrrp()) {
                    d.error(t, "track_bfd: bfd_instance '" + t.text() + "' sends its events to the checkers only");
                }
            }
        }
        for (Token t : bfdChecks) {
            for (BfdInstance b : bfds) {
                if (b.name().equals(t.text()) && !b.forChecker()) {
                    d.error(t, "BFD_CHECK: bfd_instance '" + t.text() + "' sends its events to vrrp only");
                }
            }
        }
        inheritReverse();
        instances.replaceAll(this::withoutIgnoredWeights);
        syncGroups.replaceAll(this::unweightedProcessesWithOwner);
        for (Object[] g : groupsWithoutProtocol) {
            boolean addresses = vsGroups.stream().anyMatch(v -> v.name().equals(g[0])
                    && v.entries().stream().anyMatch(e -> e.fwmark() == null));
            if (addresses) {
                d.warn((Token) g[1], g[2] + ": no protocol set - keepalived 2.2.7 defaults to UDP, we to TCP: set protocol");
            }
        }
        return new KeepalivedConfig(globals, staticIpaddress, staticRoutes, staticRules, scripts, trackFiles,
                syncGroups, instances, vsGroups, virtualServers, others, bfds, trackProcesses);
    }

    /**
     * keepalived runs no floating priority in a sync group (unless sync_group_tracking_weight) nor for
     * the address owner, and says so: a weighted track_interface becomes unweighted (a FAULT when
     * down) in a group and is dropped for the owner; a weighted track_script or track_bfd is dropped;
     * a track_file of weight 1 (its default) becomes weight 0 and one of another weight is dropped.
     */
    private VrrpInstance withoutIgnoredWeights(VrrpInstance vi) {
        boolean grouped = false;
        for (VrrpSyncGroup g : syncGroups) {
            grouped |= g.group().contains(vi.name()) && !g.syncGroupTrackingWeight();
        }
        if (!grouped && !vi.addressOwner()) return vi;
        String why = grouped ? "SYNC group (sync_group_tracking_weight not set)" : "address owner";
        Token at = where.get(List.of("vrrp_instance", vi.name()));
        List<TrackRef> ifs = new ArrayList<>();
        for (TrackRef r : vi.trackInterfaces()) {
            if (r.weight() == null || r.weight() == 0) {
                ifs.add(r);
            } else {
                d.warn(at, "(" + vi.name() + ") ignoring the weight of tracked interface " + r.name() + " due to " + why
                        + (grouped ? ": it is a FAULT when down" : ": not tracked"));
                if (grouped) ifs.add(new TrackRef(r.name(), 0, r.reverse()));
            }
        }
        List<TrackRef> scr = unweightedOnly(vi, vi.trackScripts(), "script", name -> scripts.stream()
                .filter(x -> x.name().equals(name)).mapToInt(VrrpScript::weight).findFirst().orElse(0), at, why);
        List<TrackRef> files = new ArrayList<>();
        for (TrackRef r : vi.trackFiles()) {
            int w = r.weight() != null ? r.weight()
                    : trackFiles.stream().filter(x -> x.name().equals(r.name())).mapToInt(TrackFile::weight).findFirst().orElse(1);
            if (w == 0) {
                files.add(r);
            } else if (w == 1) {
                d.warn(at, "(" + vi.name() + ") ignoring the weight of tracked file " + r.name() + " due to " + why
                        + ": weight 0 (a non-zero value is a FAULT); specify weight 0");
                files.add(new TrackRef(r.name(), 0, r.reverse()));
            } else {
                d.warn(at, "(" + vi.name() + ") ignoring tracked file " + r.name() + " with weight " + w + " due to " + why);
            }
        }
        List<TrackRef> bfdRefs = unweightedOnly(vi, vi.trackBfds(), "bfd", name -> bfds.stream()
                .filter(x -> x.name().equals(name)).mapToInt(BfdInstance::weight).findFirst().orElse(0), at, why);
        if (ifs.equals(vi.trackInterfaces()) && scr.equals(vi.trackScripts()) && files.equals(vi.trackFiles())
                && bfdRefs.equals(vi.trackBfds())) {
            return vi;
        }
        return vi.withTracking(ifs, scr, files, bfdRefs);
    }

    /**
     * A sync group with an address owner (priority 255) among its members: keepalived 2.2.7 makes the
     * group's weighted track_process entries unweighted, and says so. (It leaves an instance's own
     * track_process entries alone, in a group or not: their weight applies, and none for the owner,
     * whose priority stays 255.)
     */
    private VrrpSyncGroup unweightedProcessesWithOwner(VrrpSyncGroup g) {
        boolean owner = instances.stream().anyMatch(i -> g.group().contains(i.name()) && i.addressOwner());
        if (!owner || g.trackProcesses().isEmpty()) return g;
        Token at = where.get(List.of("vrrp_sync_group", g.name()));
        List<TrackRef> procs = new ArrayList<>();
        for (TrackRef r : g.trackProcesses()) {
            int w = r.weight() != null ? r.weight() : trackProcesses.stream().filter(p -> p.name().equals(r.name()))
                    .mapToInt(TrackProcess::weight).findFirst().orElse(0);
            if (w != 0) {
                d.warn(at, "(" + g.name() + ") Cannot have weighted track process '" + r.name()
                        + "' with member having priority 255 - setting weight 0");
                procs.add(new TrackRef(r.name(), 0, r.reverse()));
            } else {
                procs.add(r);
            }
        }
        return new VrrpSyncGroup(g.name(), g.group(), g.notifyMaster(), g.notifyBackup(), g.notifyFault(),
                g.notifyStop(), g.notifyGeneric(), g.trackInterfaces(), g.trackScripts(), g.trackFiles(), g.trackBfds(),
                procs, g.globalTracking(), g.syncGroupTrackingWeight(), g.smtpAlert(), g.options());
    }

    /** The entries whose weight (their own, else the tracked object's) is 0; the others are reported. */
    private List<TrackRef> unweightedOnly(VrrpInstance vi, List<TrackRef> refs, String what,
                                          java.util.function.ToIntFunction<String> ownWeight, Token at, String why) {
        List<TrackRef> out = new ArrayList<>();
        for (TrackRef r : refs) {
            int w = r.weight() != null ? r.weight() : ownWeight.applyAsInt(r.name());
            if (w == 0) out.add(r);
            else d.warn(at, "(" + vi.name() + ") ignoring tracked " + what + " " + r.name() + " with weight " + w + " due to " + why);
        }
        return out;
    }

    /** Nothing may escape the loader: an unexpected failure becomes an error at the statement. */
    private void guard(Node n, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException | StackOverflowError e) {
            d.error(n.kw, "cannot parse '" + n.keyword() + "': " + e);
        }
    }

    private void top(Node n) {
        String kw = n.keyword();
        switch (kw) {
            case "global_defs": return;
            case "static_ipaddress":
                for (Node c : block(n)) addr(c).ifPresent(staticIpaddress::add);
                return;
            case "static_routes":
                for (Node c : block(n)) staticRoutes.add(route(c));
                return;
            case "static_rules":
                for (Node c : block(n)) staticRules.add(rule(c));
                return;
            case "vrrp_script": vrrpScript(n); return;
            case "vrrp_track_file":
            case "track_file": trackFile(n); return;
            case "vrrp_track_process": trackProcess(n); return;
            case "vrrp_sync_group": syncGroup(n); return;
            case "vrrp_instance": instance(n); return;
            case "virtual_server_group": vsGroup(n); return;
            case "virtual_server": virtualServer(n); return;
            case "bfd_instance": bfdInstance(n); return;
            case "include_check": return; // done by the preprocessor
            case "include": case "includer": case "includem": case "includew": case "includeb": case "includea":
                // the preprocessor takes include lines as written; one made by a conditional or a
                // parameter is not followed, as keepalived.conf(5) says
                d.warn(n.kw, kw + " produced by a conditional or parameter substitution is not followed");
                return;
            default:
                if (KeywordSupport.isKnown("top", kw)) {
                    List<List<String>> body = new ArrayList<>();
                    if (n.children != null) for (Node c : n.children) flattenInto(c, body);
                    others.add(new RawBlock(kw, n.argWords(), n.children != null, body));
                    d.notice(n.kw, "accepted, not yet implemented: " + kw);
                } else {
                    unknown("top level", n);
                }
        }
    }

    /** Notices for typed keywords whose behaviour no module implements yet (KeywordSupport's pending list). */
    private void pendingNotices(String section, List<Node> nodes) {
        if (nodes == null) return;
        for (Node n : nodes) {
            String kw = n.keyword();
            if (KeywordSupport.isPending(section, kw)) d.notice(n.kw, "accepted, not yet implemented: " + kw);
            if (n.children == null) continue;
            String inner;
            switch (section) {
                case "top": inner = kw.equals("vrrp_track_file") ? "track_file" : kw; break;
                case "real_server":
                    inner = kw.equals("SSL_GET") ? "HTTP_GET" : kw;
                    // the options every checker shares: one level only (a second recursion here
                    // would double the walk at each nesting level of a broken config)
                    for (Node o : n.children) {
                        if (KeywordSupport.isPending("checker", o.keyword())) {
                            d.notice(o.kw, "accepted, not yet implemented: " + o.keyword());
                        }
                    }
                    break;
                default: inner = kw;
            }
            pendingNotices(inner, n.children);
        }
    }

    private static void flattenInto(Node c, List<List<String>> body) {
        List<String> line = new ArrayList<>();
        line.add(c.keyword());
        line.addAll(c.argWords());
        if (c.children != null) {
            line.add("{");
            body.add(line);
            for (Node x : c.children) flattenInto(x, body);
            body.add(List.of("}"));
        } else {
            body.add(line);
        }
    }

    private void unknown(String section, Node n) {
        String msg = "unknown keyword '" + n.keyword() + "'" + (section.equals("top level") ? " at top level" : " in " + section);
        if (opts.strict()) d.error(n.kw, msg);
        else d.warn(n.kw, msg);
    }

    /** A keyword without a typed field: kept in the options map if the man page knows it, else unknown. */
    private void other(String section, Node n, Map<String, List<List<String>>> options) {
        String kw = n.keyword();
        if (!KeywordSupport.isKnown(section, kw)) {
            unknown(section, n);
            return;
        }
        keep(n, options);
        if (!KeywordSupport.isImplemented(section, kw)) d.notice(n.kw, "accepted, not yet implemented: " + kw);
    }

    private static void keep(Node n, Map<String, List<List<String>>> options) {
        List<List<String>> v = options.computeIfAbsent(n.keyword(), k -> new ArrayList<>());
        if (n.children == null) {
            v.add(n.argWords());
        } else {
            if (!n.args.isEmpty()) v.add(n.argWords());
            List<List<String>> body = new ArrayList<>();
            for (Node c : n.children) flattenInto(c, body);
            v.addAll(body);
        }
    }

    private List<Node> block(Node n) {
        if (n.children == null) {
            d.error(n.kw, "'" + n.keyword() + "' needs a block { ... }");
            return List.of();
        }
        return n.children;
    }

    // ================================================================== global_defs

    private static final class GlobalBuilder {
        String routerId, emailFrom, smtpServer, scriptUser, scriptGroup, lvsFlushOnstop, notifyFifo, vrrpFifo, lvsFifo;
        List<String> emails = new ArrayList<>();
        Duration smtpTimeout = Defaults.SMTP_CONNECT_TIMEOUT;
        int smtpPort = GlobalDefs.SmtpAlerts.SMTP_PORT;
        String smtpHelo;
        Boolean smtpAlert, smtpAlertVrrp, smtpAlertChecker;
        boolean noEmailFaults, noCheckerEmails;
        boolean scriptSecurity, strict, skipCheckAdv, checkUnicastSrc, lvsFlush, dynamicIf, fifoStatesOnReload;
        int version = Defaults.VRRP_VERSION;
        InetAddress mcast4 = Defaults.MCAST4, mcast6 = Defaults.MCAST6;
        Duration garpDelay = Defaults.GARP_MASTER_DELAY, garpRefresh = Defaults.GARP_MASTER_REFRESH,
                garpInterval = Defaults.GARP_INTERVAL, gnaInterval = Defaults.GNA_INTERVAL;
        int garpRepeat = Defaults.GARP_MASTER_REPEAT, garpRefreshRepeat = Defaults.GARP_MASTER_REFRESH_REPEAT;
        GlobalDefs.LvsTimeouts timeouts;
        GlobalDefs.LvsSyncDaemon sync;
        ScriptSpec fifoScript, vrrpFifoScript, lvsFifoScript;
        Map<String, List<List<String>>> options = new LinkedHashMap<>();
    }

    private GlobalBuilder gb;

    private void globalDefs(Node n) {
        if (gb == null) gb = new GlobalBuilder();
        GlobalBuilder g = gb;
        for (Node c : block(n)) {
            String kw = c.keyword();
            switch (kw) {
                case "router_id": g.routerId = str(c, 0); break;
                case "notification_email": {
                    List<Node> addrs = block(c);
                    if (c.children != null && addrs.isEmpty()) d.warn(c.kw, "Warning - empty notification_email block");
                    for (Node e : addrs) {
                        g.emails.add(e.keyword());
                        for (Token t : e.args) g.emails.add(t.text());
                    }
                    break;
                }
                case "notification_email_from":
                    // keepalived reports a missing address and keeps the default (it still starts)
                    noBlock(c);
                    if (c.argc() == 0) d.warn(c.kw, "notification_email_from: address missing - ignoring");
                    else g.emailFrom = c.arg(0);
                    break;
                case "smtp_server":
                    g.smtpServer = str(c, 0);
                    if (c.argc() > 1) {
                        Integer port = integer(c, 1, 1, 65535);
                        if (port != null) g.smtpPort = port;
                    }
                    break;
                case "smtp_connect_timeout": g.smtpTimeout = smtpConnectTimeout(c, g.smtpTimeout); break;
                case "smtp_helo_name":
                    // keepalived takes a bare smtp_helo_name silently and keeps the default HELO name
                    noBlock(c);
                    if (c.argc() == 0) d.notice(c.kw, "smtp_helo_name without a name: the host name is used");
                    else g.smtpHelo = c.arg(0);
                    break;
                case "smtp_alert": g.smtpAlert = warnedBool(c, g.smtpAlert, "global smtp_alert"); break;
                case "smtp_alert_vrrp": g.smtpAlertVrrp = warnedBool(c, g.smtpAlertVrrp, "global smtp_alert_vrrp"); break;
                case "smtp_alert_checker":
                    g.smtpAlertChecker = warnedBool(c, g.smtpAlertChecker, "global smtp_alert_checker");
                    break;
                case "no_email_faults": g.noEmailFaults = flagOnly(c); break;
                case "no_checker_emails": {
                    Boolean v = warnedBool(c, g.noCheckerEmails, "global no_checker_emails");
                    g.noCheckerEmails = v;
                    break;
                }
                case "enable_script_security": g.scriptSecurity = flagOnly(c); break;
                case "script_user":
                    g.scriptUser = str(c, 0);
                    g.scriptGroup = c.argc() > 1 ? c.arg(1) : null;
                    break;
                case "vrrp_version": g.version = intOr(c, 0, 2, 3, g.version); break;
                case "vrrp_strict": g.strict = flagOnly(c); break;
                case "vrrp_mcast_group4": g.mcast4 = multicastOr(c, addrOr(c, 0, g.mcast4, false), g.mcast4); break;
                case "vrrp_mcast_group6": g.mcast6 = multicastOr(c, addrOr(c, 0, g.mcast6, true), g.mcast6); break;
                case "vrrp_garp_master_delay": g.garpDelay = timer(c, 0, 0, 86400, g.garpDelay); break;
                case "vrrp_garp_master_repeat": g.garpRepeat = orElse(garpRepeat(c), g.garpRepeat); break;
                case "vrrp_garp_master_refresh": g.garpRefresh = timer(c, 0, 0, 86400, g.garpRefresh); break;
                case "vrrp_garp_master_refresh_repeat": g.garpRefreshRepeat = orElse(garpRepeat(c), g.garpRefreshRepeat); break;
                case "vrrp_garp_interval": g.garpInterval = timer(c, 0, 0.000001, 4294.967295, g.garpInterval); break;
                case "vrrp_gna_interval": g.gnaInterval = timer(c, 0, 0.000001, 4294.967295, g.gnaInterval); break;
                case "vrrp_garp_lower_prio_delay":
                    globalLowerPrioDelay = timer(c, 0, 0, 86400, null);
                    keep(c, g.options);
                    break;
                case "vrrp_garp_lower_prio_repeat":
                    globalLowerPrioRepeat = integer(c, 0, 0, 1000);
                    keep(c, g.options);
                    break;
                case "vrrp_skip_check_adv_addr": g.skipCheckAdv = flagOnly(c); break;
                case "vrrp_check_unicast_src": g.checkUnicastSrc = flagOnly(c); break;
                case "lvs_flush": g.lvsFlush = flagOnly(c); break;
                case "lvs_flush_onstop":
                case "lvs_flush_on_stop": {
                    String v = c.argc() > 0 ? c.arg(0) : "ALL";
                    if (!v.equals("VS") && !v.equals("ALL")) d.error(c.args.get(0), kw + ": expected VS or nothing, not '" + v + "'");
                    g.lvsFlushOnstop = v;
                    break;
                }
                case "lvs_timeouts": g.timeouts = lvsTimeouts(c); break;
                case "lvs_sync_daemon": lvsSyncNode = c; break;
                case "notify_fifo": g.notifyFifo = fifo(c, g); break;
                case "notify_fifo_script": g.fifoScript = script(c, true); break;
                case "vrrp_notify_fifo": g.vrrpFifo = fifo(c, g); break;
                case "vrrp_notify_fifo_script": g.vrrpFifoScript = script(c, true); break;
                case "lvs_notify_fifo": g.lvsFifo = fifo(c, g); break;
                case "lvs_notify_fifo_script": g.lvsFifoScript = script(c, true); break;
                case "fifo_write_vrrp_states_on_reload": g.fifoStatesOnReload = true; break;
                case "dynamic_interfaces":
                    g.dynamicIf = true;
                    if (c.argc() > 0) keep(c, g.options);
                    break;
                case "checker_log_all_failures":
                    checkerLogAllFailures = bool(c, 0);
                    keep(c, g.options);
                    break;
                case "include_check":
                    keep(c, g.options);
                    break;
                case "vrrp_priority": {
                    // the VRRP threads' nice value (keepalived: its VRRP process's)
                    Integer v = integer(c, 0, -20, 19);
                    if (v != null) g.options.put(kw, List.of(List.of(Integer.toString(v))));
                    break;
                }
                case "vrrp_rt_priority": {
                    // SCHED_RR for the VRRP threads; keepalived clamps to the scheduler's 1..99 and says so
                    Integer v = integer(c, 0, Integer.MIN_VALUE, Integer.MAX_VALUE);
                    if (v == null) break;
                    int clamped = Math.max(1, Math.min(99, v));
                    if (clamped != v) {
                        d.warn(c.args.get(0), "vrrp process real-time priority " + v + (v < 1 ? " less than minimum 1"
                                : " greater than maximum 99") + " - setting to " + clamped);
                    }
                    g.options.put(kw, List.of(List.of(Integer.toString(clamped))));
                    break;
                }
                case "process_monitor_rcv_bufs": {
                    // keepalived 2.2.7: an unsigned 32-bit size; 0 leaves the default
                    noBlock(c);
                    if (c.argc() == 0) {
                        d.error(c.kw, "process_monitor_rcv_bufs size missing");
                        break;
                    }
                    Long v = c.arg(0).startsWith("-") ? null : number(c.arg(0));
                    if (v == null || v > 0xffffffffL) {
                        d.error(c.args.get(0), "process_monitor_rcv_bufs size (" + c.arg(0) + ") invalid");
                        break;
                    }
                    if (v > 0) g.options.put(kw, List.of(List.of(Long.toString(v))));
                    break;
                }
                case "process_monitor_rcv_bufs_force": {
                    // keepalived's check_true_false: lower case only, nothing means true
                    noBlock(c);
                    String v = c.argc() == 0 ? "true" : c.arg(0);
                    Boolean on = switch (v) {
                        case "true", "on", "yes" -> true;
                        case "false", "off", "no" -> false;
                        default -> null;
                    };
                    if (on == null) {
                        d.error(c.args.get(0), "Invalid value '" + v + "' for global process_monitor_rcv_bufs_force specified");
                        break;
                    }
                    g.options.put(kw, List.of(List.of(Boolean.toString(on))));
                    break;
                }
                // not applied yet (other() says so), but range-checked as keepalived 2.2.7's -t does
                case "vrrp_startup_delay":
                    timer(c, 0, 0.001, 4294.967295, null);
                    other("global_defs", c, g.options);
                    break;
                case "max_auto_priority":
                    if (c.argc() > 0) integer(c, 0, -1, 99);
                    other("global_defs", c, g.options);
                    break;
                default: other("global_defs", c, g.options);
            }
        }
        globals = globalDefsFrom(g);
    }

    /** global_defs with every default, as for a config without that block. */
    static GlobalDefs defaultGlobalDefs() {
        return new ConfigParser(new Diags(), LoadOptions.DEFAULT).globalDefsFrom(new GlobalBuilder());
    }

    private GlobalDefs globalDefsFrom(GlobalBuilder g) {
        return new GlobalDefs(g.routerId, g.emails, g.emailFrom, g.smtpServer, g.smtpTimeout, g.scriptSecurity,
                g.scriptUser, g.scriptGroup, g.version, g.strict, g.mcast4, g.mcast6, g.garpDelay, g.garpRepeat,
                g.garpRefresh, g.garpRefreshRepeat, g.garpInterval, g.gnaInterval, g.skipCheckAdv, g.checkUnicastSrc,
                g.lvsFlush, g.lvsFlushOnstop, g.timeouts, g.sync, g.notifyFifo, g.fifoScript, g.vrrpFifo,
                g.vrrpFifoScript, g.lvsFifo, g.lvsFifoScript, g.fifoStatesOnReload, g.dynamicIf,
                new GlobalDefs.SmtpAlerts(g.smtpPort, g.smtpHelo, g.smtpAlert, g.smtpAlertVrrp, g.smtpAlertChecker,
                        g.noEmailFaults, g.noCheckerEmails),
                g.options);
    }

    /**
     * smtp_connect_timeout: whole seconds in [1, 4294] as keepalived reads it; 0 is taken as 1 and
     * anything else ignored, each with keepalived's report (it starts with them, so: warnings).
     */
    private Duration smtpConnectTimeout(Node c, Duration had) {
        noBlock(c);
        if (c.argc() == 0) {
            d.warn(c.kw, "smtp_connect_timeout: missing value - ignoring");
            return had;
        }
        Token t = c.args.get(0);
        Long v = number(t.text());
        if (v == null || v < 0 || v > 4294) {
            d.warn(t, "smtp_connect_timeout '" + t.text() + "' must be in [0, 4294] - ignoring");
            return had;
        }
        if (v == 0) {
            d.warn(t, "smtp_connect_timeout must be greater than 0, setting to 1");
            v = 1L;
        }
        return Duration.ofSeconds(v);
    }

    /**
     * smtp_alert and its kin (no_checker_emails too) take keepalived's BOOL: nothing means on, on|true|yes / off|false|no
     * (lower case only, as keepalived compares them); anything else is reported and the keyword
     * ignored, which keepalived also starts with (so: a warning).
     */
    private Boolean warnedBool(Node c, Boolean had, String what) {
        noBlock(c);
        if (c.argc() == 0) return true;
        Boolean v = trueFalse(c.arg(0));
        if (v == null) {
            d.warn(c.args.get(0), "Invalid " + what + " value '" + c.arg(0) + "' (on|off|true|false|yes|no) - ignoring");
            return had;
        }
        return v;
    }

    private GlobalDefs.LvsTimeouts lvsTimeouts(Node c) {
        Duration tcp = null, fin = null, udp = null;
        if (c.argc() == 0) d.error(c.kw, "lvs_timeouts needs at least one of tcp, tcpfin, udp");
        for (int i = 0; i < c.argc(); i += 2) {
            String k = c.arg(i);
            Duration v = timer(c, i + 1, 1, 86400 * 365, null);
            switch (k) {
                case "tcp": tcp = v; break;
                case "tcpfin": fin = v; break;
                case "udp": udp = v; break;
                default: d.error(c.args.get(i), "lvs_timeouts: unknown '" + k + "' (tcp, tcpfin or udp)");
            }
        }
        return new GlobalDefs.LvsTimeouts(tcp, fin, udp);
    }

    /** lvs_sync_daemon needs the instances (syncid defaults to the instance's VRID). */
    private void resolveLvsSync() {
        Node c = lvsSyncNode;
        String iface = str(c, 0);
        String inst = null;
        Integer id = null, maxlen = null, port = null, ttl = null;
        InetAddress group = null;
        int i = 1;
        if (lvsSyncInstance != null) inst = lvsSyncInstance;
        if (c.keyword().equals("lvs_sync_daemon")) {
            while (i < c.argc()) {
                String k = c.arg(i);
                switch (k) {
                    case "inst": inst = str(c, i + 1); i += 2; break;
                    case "id": id = integer(c, i + 1, 0, 255); i += 2; break;
                    case "maxlen": maxlen = integer(c, i + 1, 1, 65507); i += 2; break;
                    case "port": port = integer(c, i + 1, 1, 65535); i += 2; break;
                    case "ttl": ttl = integer(c, i + 1, 1, 255); i += 2; break;
                    case "group": group = addr(c, i + 1); i += 2; break;
                    default:
                        if (i == 1) inst = k;
                        else d.error(c.args.get(i), "lvs_sync_daemon: unexpected '" + k + "'");
                        i++;
                }
            }
        }
        int syncId = id != null ? id : 0;
        if (inst != null) {
            final String name = inst;
            VrrpInstance vi = instances.stream().filter(x -> x.name().equals(name)).findFirst().orElse(null);
            if (vi == null) d.error(c.kw, "lvs_sync_daemon: vrrp_instance '" + inst + "' is not defined");
            else if (id == null) syncId = vi.virtualRouterId();
        }
        if (iface == null) return;
        GlobalDefs.LvsSyncDaemon s = new GlobalDefs.LvsSyncDaemon(iface, inst, syncId, maxlen, port, ttl, group);
        GlobalDefs g = globals;
        globals = new GlobalDefs(g.routerId(), g.notificationEmail(), g.notificationEmailFrom(), g.smtpServer(),
                g.smtpConnectTimeout(), g.enableScriptSecurity(), g.scriptUser(), g.scriptGroup(), g.vrrpVersion(),
                g.vrrpStrict(), g.vrrpMcastGroup4(), g.vrrpMcastGroup6(), g.vrrpGarpMasterDelay(),
                g.vrrpGarpMasterRepeat(), g.vrrpGarpMasterRefresh(), g.vrrpGarpMasterRefreshRepeat(),
                g.vrrpGarpInterval(), g.vrrpGnaInterval(), g.vrrpSkipCheckAdvAddr(), g.vrrpCheckUnicastSrc(),
                g.lvsFlush(), g.lvsFlushOnstop(), g.lvsTimeouts(), s, g.notifyFifo(), g.notifyFifoScript(),
                g.vrrpNotifyFifo(), g.vrrpNotifyFifoScript(), g.lvsNotifyFifo(), g.lvsNotifyFifoScript(),
                g.fifoWriteVrrpStatesOnReload(), g.dynamicInterfaces(), g.smtpAlerts(),
                g.options());
    }

    // ================================================================== vrrp_script / track_file

    private void vrrpScript(Node n) {
        String name = nameArg(n);
        ScriptSpec script = null;
        Duration interval = Defaults.SCRIPT_INTERVAL, timeout = null;
        int weight = Defaults.SCRIPT_WEIGHT, rise = Defaults.SCRIPT_RISE, fall = Defaults.SCRIPT_FALL;
        boolean reverse = false, initFail = false;
        String user = null, group = null;
        for (Node c : block(n)) {
            switch (c.keyword()) {
                case "script": script = script(c, false); break;
                case "interval": interval = scriptSeconds(c, name, "interval", "must be between 1 and 4294", interval); break;
                case "timeout": timeout = scriptSeconds(c, name, "timeout", "invalid", timeout); break;
                case "weight":
                    weight = intOr(c, 0, -253, 253, weight);
                    reverse = reverse(c, 1);
                    break;
                case "rise": rise = intOr(c, 0, 1, 1_000_000, rise); break;
                case "fall": fall = intOr(c, 0, 1, 1_000_000, fall); break;
                case "user":
                    user = str(c, 0);
                    group = c.argc() > 1 ? c.arg(1) : null;
                    break;
                case "init_fail": initFail = true; break;
                default: other("vrrp_script", c, new HashMap<>());
            }
        }
        boolean fresh = name != null && defined("vrrp_script", name, n);
        if (script == null) {
            if (!hasChild(n, "script")) d.error(n.kw, "vrrp_script " + name + ": no script given");
            return;
        }
        if (user != null) script = new ScriptSpec(script.command(), script.argv(), user, group);
        if (fresh) scripts.add(new VrrpScript(name, script, interval, timeout, weight, reverse, rise, fall, initFail));
    }

    private void trackFile(Node n) {
        // vrrp_track_file is the older name; keepalived accepts it silently
        String name = nameArg(n);
        String file = null;
        int weight = Defaults.TRACK_FILE_WEIGHT;
        boolean reverse = false, overwrite = false;
        Integer init = null;
        for (Node c : block(n)) {
            switch (c.keyword()) {
                case "file": file = str(c, 0); break;
                case "weight":
                    weight = intOr(c, 0, -2147483647L, 2147483647L, weight);
                    reverse = reverse(c, 1);
                    break;
                case "init_file": {
                    init = 0;
                    for (int i = 0; i < c.argc(); i++) {
                        if (c.arg(i).equals("overwrite")) overwrite = true;
                        else init = intOr(c, i, Integer.MIN_VALUE, Integer.MAX_VALUE, 0);
                    }
                    break;
                }
                default: other("track_file", c, new HashMap<>());
            }
        }
        boolean fresh = name != null && defined("track_file", name, n);
        if (file == null) {
            if (!hasChild(n, "file")) d.error(n.kw, "track_file " + name + ": no file given");
            return;
        }
        if (fresh) {
            trackFiles.add(new TrackFile(name, file, weight, reverse, init, overwrite));
        }
    }

    /**
     * vrrp_track_process as keepalived 2.2.7 reads it: a value it reports and ignores is a warning
     * here (keepalived runs on without it), a value out of range an error.
     */
    private void trackProcess(Node n) {
        String name = nameArg(n);
        if (name != null) processBlocksRead.add(name);
        String process = null;
        List<String> params = List.of();
        TrackProcess.ParamMatch match = TrackProcess.ParamMatch.NONE;
        boolean full = false, reverse = false;
        int weight = Defaults.TRACK_PROCESS_WEIGHT, quorum = Defaults.TRACK_PROCESS_QUORUM;
        Integer quorumMax = null;
        Duration forkDelay = Duration.ZERO, terminateDelay = Duration.ZERO;
        String label = "vrrp_track_process " + name;
        for (Node c : block(n)) {
            switch (c.keyword()) {
                case "process": {
                    String p = str(c, 0);
                    if (p == null) break;
                    if (process != null) {
                        d.warn(c.args.get(0), "Process already set for track process " + name + " - ignoring " + p);
                        break;
                    }
                    process = p;
                    if (c.argc() > 1) {
                        params = c.argWords().subList(1, c.argc());
                        // parameters are matched against /proc/PID/cmdline, exactly unless param_match says otherwise
                        if (match == TrackProcess.ParamMatch.NONE) match = TrackProcess.ParamMatch.EXACT;
                        full = true;
                    }
                    break;
                }
                case "param_match":
                    noBlock(c);
                    if (c.argc() == 0) {
                        match = TrackProcess.ParamMatch.EXACT; // no parameters at all
                        full = true;
                    } else if (c.arg(0).equals("initial") || c.arg(0).equals("partial")) {
                        match = c.arg(0).equals("initial") ? TrackProcess.ParamMatch.INITIAL : TrackProcess.ParamMatch.PARTIAL;
                        full = true;
                    } else {
                        d.warn(c.args.get(0), "Invalid param_match type " + c.arg(0) + " - ignoring (initial or partial)");
                    }
                    break;
                case "weight": {
                    noBlock(c);
                    if (c.argc() == 0) {
                        d.warn(c.kw, "No weight specified for track process " + name + " - ignoring");
                        break;
                    }
                    // keepalived takes a second weight while the first is 0
                    if (weight != 0) {
                        d.warn(c.args.get(0), "Weight already set for track process " + name + " - ignoring " + c.arg(0));
                        break;
                    }
                    Integer w = integer(c, 0, -254, 254);
                    if (w == null) break;
                    if (c.argc() > 1) {
                        if (c.arg(1).equals("reverse")) reverse = true;
                        else d.warn(c.args.get(1), label + " unknown weight option " + c.arg(1) + " (reverse)");
                    }
                    weight = w;
                    break;
                }
                case "quorum": {
                    Integer q = integer(c, 0, 1, 65535);
                    if (q == null) break;
                    if (quorumMax != null && q > quorumMax) {
                        d.warn(c.args.get(0), "Quorum is greater than quorum_max - ignoring");
                        break;
                    }
                    quorum = q;
                    break;
                }
                case "quorum_max": {
                    Integer q = integer(c, 0, 0, 65535);
                    if (q == null) break;
                    // quorum_max 0 (success only while none runs) is allowed unless a quorum above 1 was set
                    if ((q != 0 || quorum > 1) && q < quorum) {
                        d.warn(c.args.get(0), "quorum_max is less than quorum - ignoring");
                        break;
                    }
                    quorumMax = q;
                    if (q == 0) quorum = 0;
                    else if (quorum == 0) quorum = 1;
                    break;
                }
                case "fork_delay": forkDelay = processDelay(c, label, forkDelay); break;
                case "terminate_delay": terminateDelay = processDelay(c, label, terminateDelay); break;
                case "delay": {
                    Duration v = processDelay(c, label, null);
                    if (v != null) {
                        forkDelay = v;
                        terminateDelay = v;
                    }
                    break;
                }
                case "full_command": full = true; break; // keepalived ignores words after it, silently
                default: other("vrrp_track_process", c, new HashMap<>());
            }
        }
        boolean fresh = name != null && defined("vrrp_track_process", name, n);
        if (process == null) {
            if (!hasChild(n, "process") && name != null) {
                d.warn(n.kw, "track process '" + name + "' process name not specified - ignoring it");
            }
            return;
        }
        if (fresh) {
            trackProcesses.add(new TrackProcess(name, process, params, match, full, weight, reverse, quorum, quorumMax,
                    forkDelay, terminateDelay));
        }
    }

    /** fork_delay / terminate_delay / delay: seconds with up to 6 decimals, in [0.000001, 3600]. */
    private Duration processDelay(Node c, String label, Duration dflt) {
        Token t = valueArg(c, 0);
        if (t == null) return dflt;
        Long us = micros(t.text());
        if (us == null || us < 1 || us > 3_600_000_000L || t.text().indexOf('.') >= 0
                && t.text().length() - t.text().indexOf('.') - 1 > 6) {
            d.error(t, c.keyword() + " (" + t.text() + ") for " + label + " must be between [0.000001..3600] seconds");
            return dflt;
        }
        return Duration.ofNanos(us * 1000);
    }

    /**
     * track_process { NAME [weight N [reverse|noreverse]] } as keepalived 2.2.7 reads it: the
     * vrrp_track_process must be defined earlier in the file (keepalived looks it up there and then),
     * a name listed twice, an unknown option or a bad weight is reported and the entry (or the
     * weight) ignored. The entries are added to {@code out} (an instance or group may have several
     * track_process blocks); {@code owner} is its name, as keepalived's messages give it.
     */
    private void addProcessRefs(List<TrackRef> out, Node c, String owner) {
        for (Node e : block(c)) {
            String name = e.keyword();
            String who = "(" + owner + ") ";
            if (trackProcesses.stream().noneMatch(p -> p.name().equals(name))) {
                d.warn(e.kw, who + "track process " + name + " not found, ignoring..."
                        + (!processBlocksRead.contains(name) && hasTopLevel("vrrp_track_process", name)
                                ? " (it must be defined before it is used)" : ""));
                continue;
            }
            if (out.stream().anyMatch(r -> r.name().equals(name))) {
                d.warn(e.kw, who + "duplicate track_process " + name + " - ignoring");
                continue;
            }
            Integer weight = null;
            // keepalived starts from the definition's reverse; only reverse / noreverse change it
            boolean reverse = trackProcesses.stream().filter(p -> p.name().equals(name)).findFirst()
                    .map(TrackProcess::weightReverse).orElse(false);
            if (e.argc() > 0) {
                if (!e.arg(0).equals("weight")) {
                    d.warn(e.args.get(0), who + "unknown track process option " + e.arg(0) + " - ignoring");
                    continue;
                }
                if (e.argc() == 1) {
                    d.warn(e.args.get(0), who + "weight without value specified for track process " + name + " - ignoring");
                    continue;
                }
                weight = integer(e, 1, -254, 254);
                if (e.argc() > 2) {
                    String o = e.arg(2);
                    if (o.equals("reverse")) reverse = true;
                    else if (o.equals("noreverse")) reverse = false;
                    else {
                        d.warn(e.args.get(2), who + "unknown track_process " + name + " weight option " + o + " - ignoring");
                    }
                }
            }
            out.add(new TrackRef(name, weight, reverse));
        }
    }

    private List<Node> rootNodes = List.of();
    /** The vrrp_track_process blocks read so far, valid or not. */
    private final Set<String> processBlocksRead = new HashSet<>();

    /** Whether the file defines {@code keyword name} at the top level (anywhere). */
    private boolean hasTopLevel(String keyword, String name) {
        for (Node n : rootNodes) {
            if (n.keyword().equals(keyword) && n.argc() > 0 && n.arg(0).equals(name)) return true;
        }
        return false;
    }

    // ================================================================== bfd_instance

    private void bfdInstance(Node n) {
        String name = nameArg(n);
        if (name != null && name.length() > 31) {
            d.error(n.args.get(0), "bfd_instance " + name + ": name too long (at most 31 characters)");
            name = null;
        }
        InetAddress neighbor = null, source = null;
        Duration minRx = BfdInstance.DEFAULT_MIN_RX, minTx = BfdInstance.DEFAULT_MIN_TX, idleTx = BfdInstance.DEFAULT_IDLE_TX;
        int multiplier = BfdInstance.DEFAULT_MULTIPLIER, maxHops = 0, weight = 0;
        Integer ttl = null;
        boolean passive = false, reverse = false, vrrp = false, checker = false, bad = false;
        Token neighborAt = n.kw, maxHopsAt = n.kw;
        for (Node c : block(n)) {
            switch (c.keyword()) {
                case "neighbor_ip":
                case "neighbour_ip":
                    neighbor = addr(c, 0);
                    if (neighbor == null) bad = true;
                    else neighborAt = c.args.get(0);
                    break;
                case "source_ip":
                    source = addr(c, 0);
                    if (source == null) bad = true;
                    break;
                case "min_rx": minRx = bfdMillis(c, 1, minRx); break;
                case "min_tx": minTx = bfdMillis(c, 1, minTx); break;
                case "idle_tx": idleTx = bfdMillis(c, 1000, idleTx); break;
                case "multiplier": multiplier = intOr(c, 0, 1, 255, multiplier); break;
                case "passive": passive = true; break;
                case "ttl":
                case "hoplimit": ttl = integer(c, 0, 1, 255); break;
                case "max_hops":
                    maxHops = intOr(c, 0, -1, 255, maxHops);
                    maxHopsAt = c.kw;
                    break;
                case "weight":
                    weight = intOr(c, 0, -253, 253, weight);
                    reverse = reverse(c, 1);
                    break;
                case "vrrp": vrrp = true; break;
                case "checker": checker = true; break;
                default: other("bfd_instance", c, new HashMap<>());
            }
        }
        boolean fresh = name != null && defined("bfd_instance", name, n);
        if (bad) return;
        if (neighbor == null) {
            d.error(n.kw, "bfd_instance " + name + ": no neighbor_ip given");
            return;
        }
        if (source != null && Addresses.isV6(source) != Addresses.isV6(neighbor)) {
            d.error(n.kw, "bfd_instance " + name + ": source_ip " + source.getHostAddress() + " and neighbor_ip "
                    + neighbor.getHostAddress() + " are not of the same family");
            return;
        }
        for (BfdInstance b : bfds) {
            if (b.neighborIp().equals(neighbor)) {
                d.error(neighborAt, "bfd_instance " + name + ": neighbor_ip " + neighbor.getHostAddress()
                        + " is already used by bfd_instance " + b.name());
                return;
            }
        }
        if (!fresh) return;
        int t = ttl != null ? ttl : Addresses.isV6(neighbor) ? 64 : 255;
        if ((maxHops < 0 ? 255 : maxHops) > t) {
            // keepalived fails -t here (and would lower max_hops to the ttl)
            d.error(maxHopsAt, "bfd_instance " + name + ": max_hops " + maxHops + " exceeds the ttl/hoplimit " + t);
            maxHops = t;
        }
        bfds.add(new BfdInstance(name, neighbor, source, minRx, minTx, idleTx, multiplier, passive, t, maxHops, weight,
                reverse, vrrp, checker));
    }

    /** A BFD interval: milliseconds with up to microsecond resolution, in [minMs, 4294967] ms. */
    private Duration bfdMillis(Node c, long minMs, Duration dflt) {
        Token t = valueArg(c, 0);
        if (t == null) return dflt;
        Long v = micros(t.text()); // parsed as "seconds.micro": here it is milliseconds, so this is ns
        if (v == null) {
            d.error(t, c.keyword() + ": '" + t.text() + "' is not a number of milliseconds");
            return dflt;
        }
        long nanos = v / 1000 * 1000;
        if (nanos < minMs * 1_000_000L || nanos > 4_294_967L * 1_000_000L) {
            d.error(t, c.keyword() + ": '" + t.text() + "' is outside the range [" + minMs + ", 4294967] ms");
            return dflt;
        }
        return Duration.ofNanos(nanos);
    }

    private boolean defined(String kind, String name, Node n) {
        Object key = List.of(kind, name);
        Token prev = where.putIfAbsent(key, n.kw);
        if (prev != null) {
            d.error(n.kw, kind + " '" + name + "' is defined twice (first at " + prev.pos() + ")");
            return false;
        }
        return true;
    }

    /** track_script / track_file / track_bfd entries: {kind, name, token}, checked like refs but softer. */
    private final List<Object[]> trackRefs = new ArrayList<>();

    private void ref(String kind, String name, Token at) {
        refs.add(new Object[] {kind, name, at});
    }

    private void checkReferences() {
        for (Object[] r : refs) {
            String kind = (String) r[0];
            String name = (String) r[1];
            if (where.containsKey(List.of(kind, name))) continue;
            if (kind.equals("virtual_server_group")) {
                // keepalived 2.2.7 passes this silently (-t exits 0) and has no address to serve: said, and
                // the virtual_server left out
                d.notice((Token) r[2], "virtual_server_group '" + name + "' is not defined; its virtual_server is ignored");
                virtualServers.removeIf(vs -> name.equals(vs.group()));
            } else {
                d.error((Token) r[2], kind + " '" + name + "' is not defined");
            }
        }
        // keepalived 2.2.7 reports a track_script / track_file / track_bfd entry naming nothing and
        // runs without it (its -t fails); so do we, rather than refuse to start
        for (Object[] r : trackRefs) {
            String kind = (String) r[0];
            String name = (String) r[1];
            if (!where.containsKey(List.of(kind, name))) {
                String what = switch (kind) {
                    case "vrrp_script" -> "track script";
                    case "track_file" -> "track file";
                    default -> "track bfd";
                };
                d.warn((Token) r[2], what + " " + name + " not found, ignoring... (no " + kind + " '" + name + "' is defined)");
            }
        }
    }

    // ================================================================== vrrp_sync_group

    /** keepalived keeps the first notify script of a kind given twice in one block, and says so. */
    private ScriptSpec firstScript(Node c, ScriptSpec first) {
        if (first == null) return script(c, true);
        d.warn(c.kw, c.keyword() + " script already specified - ignoring " + (c.argc() > 0 ? c.arg(0) : ""));
        return first;
    }

    /**
     * A vrrp_script interval / timeout as keepalived 2.2.7 reads it: whole seconds up to 4294; anything
     * else is reported and ignored (so "interval 0.5" runs every second there, as here), 0 becomes 1.
     */
    private Duration scriptSeconds(Node c, String script, String what, String problem, Duration dflt) {
        Token t = valueArg(c, 0);
        if (t == null) return dflt;
        String v = t.text();
        Long n = number(v);
        long secs = n == null ? -1 : n;
        if (secs < 0 || secs > 4294) {
            d.warn(c.args.get(0), "(" + script + "): vrrp script " + what + " '" + v + "' " + problem + " - ignoring");
            return dflt;
        }
        if (secs == 0) {
            d.warn(c.args.get(0), "(" + script + "): vrrp script " + what + " must be greater than 0, setting to 1");
            secs = 1;
        }
        return Duration.ofSeconds(secs);
    }

    private void syncGroup(Node n) {
        String name = nameArg(n);
        List<String> group = new ArrayList<>();
        ScriptSpec master = null, backup = null, fault = null, stop = null, generic = null;
        List<TrackRef> ifs = new ArrayList<>(), scr = new ArrayList<>(), files = new ArrayList<>(), bfdRefs = new ArrayList<>(),
                procs = new ArrayList<>();
        boolean globalTracking = false, tw = false;
        Boolean smtp = null;
        Map<String, List<List<String>>> options = new LinkedHashMap<>();
        for (Node c : block(n)) {
            switch (c.keyword()) {
                case "group":
                    for (Node m : block(c)) {
                        List<Token> names = new ArrayList<>();
                        names.add(m.kw);
                        names.addAll(m.args);
                        for (Token t : names) {
                            group.add(t.text());
                            ref("vrrp_instance", t.text(), t);
                        }
                    }
                    break;
                case "notify_master": master = firstScript(c, master); break;
                case "notify_backup": backup = firstScript(c, backup); break;
                case "notify_fault": fault = firstScript(c, fault); break;
                case "notify_stop": stop = firstScript(c, stop); break;
                case "notify": generic = firstScript(c, generic); break;
                case "track_interface": ifs = trackRefs(c, 253, null); break;
                case "track_script": scr = trackRefs(c, 253, "vrrp_script"); break;
                case "track_file": files = trackRefs(c, 254, "track_file"); break;
                case "track_bfd": bfdRefs = trackBfdRefs(c); break;
                case "track_process": addProcessRefs(procs, c, name); break;
                case "global_tracking":
                    d.warn(c.kw, "global_tracking is deprecated, use track_* on the sync group");
                    globalTracking = true;
                    break;
                case "sync_group_tracking_weight": tw = true; break;
                case "smtp_alert": smtp = warnedBool(c, smtp, "vrrp_sync_group smtp_alert"); break;
                default: other("vrrp_sync_group", c, options);
            }
        }
        if (group.isEmpty()) d.error(n.kw, "vrrp_sync_group " + name + ": empty group");
        if (group.size() == 1) {
            d.warn(n.kw, "Sync group " + name + " has only 1 virtual router(s) - this probably isn't what you want");
        }
        if (name != null && defined("vrrp_sync_group", name, n)) {
            syncGroups.add(new VrrpSyncGroup(name, group, master, backup, fault, stop, generic, ifs, scr, files,
                    bfdRefs, procs, globalTracking, tw, smtp, options));
        }
    }

    private List<TrackRef> trackRefs(Node c, int maxWeight, String refKind) {
        List<TrackRef> out = new ArrayList<>();
        for (Node e : block(c)) {
            Integer weight = null;
            boolean reverse = false;
            boolean reverseGiven = false;
            for (int i = 0; i < e.argc(); i++) {
                String a = e.arg(i);
                if (a.equals("weight")) {
                    weight = integer(e, i + 1, -maxWeight, maxWeight);
                    i++;
                } else if (a.equals("reverse")) {
                    reverse = true;
                    reverseGiven = true;
                } else if (a.equals("noreverse") || a.equals("no_reverse")) {
                    reverse = false;
                    reverseGiven = true;
                } else {
                    d.error(e.args.get(i), c.keyword() + ": unexpected '" + a + "' (weight N [reverse])");
                }
            }
            if (refKind != null) trackRefs.add(new Object[] {refKind, e.keyword(), e.kw});
            else if (c.keyword().equals("track_interface")) {
                checkInterface(e, -1, "tracked interface " + e.keyword());
            }
            TrackRef r = new TrackRef(e.keyword(), weight, reverse);
            if (refKind != null && !reverseGiven) reverseFromDefinition.add(r);
            out.add(r);
        }
        return out;
    }

    /**
     * track_script / track_file / track_bfd entries without reverse or noreverse: keepalived gives
     * them the definition's reverse, weighted or not. Identity matters (equal entries may differ here).
     */
    private final Set<TrackRef> reverseFromDefinition = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    /** Resolved once every definition is read (a vrrp_script may follow the instance using it). */
    private void inheritReverse() {
        java.util.function.UnaryOperator<List<TrackRef>> scr = l -> inheritReverse(l,
                n -> scripts.stream().filter(x -> x.name().equals(n)).map(VrrpScript::weightReverse).findFirst());
        java.util.function.UnaryOperator<List<TrackRef>> fls = l -> inheritReverse(l,
                n -> trackFiles.stream().filter(x -> x.name().equals(n)).map(TrackFile::weightReverse).findFirst());
        java.util.function.UnaryOperator<List<TrackRef>> bfd = l -> inheritReverse(l,
                n -> bfds.stream().filter(x -> x.name().equals(n)).map(BfdInstance::weightReverse).findFirst());
        instances.replaceAll(vi -> vi.withTracking(vi.trackInterfaces(), scr.apply(vi.trackScripts()),
                fls.apply(vi.trackFiles()), bfd.apply(vi.trackBfds())));
        syncGroups.replaceAll(g -> new VrrpSyncGroup(g.name(), g.group(), g.notifyMaster(), g.notifyBackup(),
                g.notifyFault(), g.notifyStop(), g.notifyGeneric(), g.trackInterfaces(), scr.apply(g.trackScripts()),
                fls.apply(g.trackFiles()), bfd.apply(g.trackBfds()), g.trackProcesses(), g.globalTracking(),
                g.syncGroupTrackingWeight(), g.smtpAlert(), g.options()));
    }

    private List<TrackRef> inheritReverse(List<TrackRef> refs,
                                          java.util.function.Function<String, java.util.Optional<Boolean>> defReverse) {
        List<TrackRef> out = new ArrayList<>(refs.size());
        for (TrackRef r : refs) {
            boolean inherit = reverseFromDefinition.contains(r) && defReverse.apply(r.name()).orElse(false);
            out.add(inherit ? new TrackRef(r.name(), r.weight(), true) : r);
        }
        return out;
    }

    /**
     * track_bfd { NAME [weight N [reverse]] }: weights -253..253 as keepalived's; the session must send
     * its events to VRRP (checked once every bfd_instance is known).
     */
    private List<TrackRef> trackBfdRefs(Node c) {
        for (Node e : block(c)) trackBfds.add(e.kw);
        return trackRefs(c, 253, "bfd_instance");
    }

    /** notify_fifo / vrrp_ / lvs_: the FIFO's path; its optional user and group are kept verbatim. */
    private String fifo(Node c, GlobalBuilder g) {
        if (c.argc() > 1) keep(c, g.options);
        return str(c, 0);
    }

    /** keepalived -t's check that a named interface exists in this network namespace (when asked for). */
    private void checkInterface(Node n, int argIndex, String what) {
        if (opts.interfaceExists() == null) return;
        String name = argIndex < 0 ? n.keyword() : n.arg(argIndex);
        if (name == null || opts.interfaceExists().test(name)) return;
        Token t = argIndex < 0 ? n.kw : n.args.get(argIndex);
        d.warn(t, what + " doesn't exist in this network namespace");
    }

    // ================================================================== vrrp_instance

    private void instance(Node n) {
        String name = nameArg(n);
        GlobalDefs g = globals;
        VrrpState state = null;
        String iface = null, authPass = null, useVmac = null;
        Integer vrid = null, version = null, unicastTtl = null, garpRepeat = null, garpRefreshRepeat = null,
                lowerRepeat = null;
        int priority = Defaults.PRIORITY;
        Duration advert = Defaults.ADVERT_INT, preemptDelay = Defaults.PREEMPT_DELAY, garpDelay = null, garpRefresh = null,
                lowerDelay = null;
        boolean nativeV6 = false, nopreempt = false, dontTrack = false, xmitBase = false, oldChecksum = false;
        Boolean smtp = null;
        Boolean accept = null, strict = null;
        AuthType auth = AuthType.NONE;
        InetAddress mcastSrc = null, unicastSrc = null;
        List<UnicastPeer> peers = new ArrayList<>();
        List<StaticAddress> vips = new ArrayList<>(), evips = new ArrayList<>();
        List<StaticRoute> routes = new ArrayList<>(), rules = new ArrayList<>();
        List<TrackRef> ifs = new ArrayList<>(), scr = new ArrayList<>(), files = new ArrayList<>(), bfdRefs = new ArrayList<>(),
                procs = new ArrayList<>();
        ScriptSpec master = null, backup = null, fault = null, stop = null, generic = null;
        Map<String, List<List<String>>> options = new LinkedHashMap<>();
        Token vipToken = null, stateToken = null, authToken = null, acceptToken = null, versionToken = null;
        boolean loopbackRefused = false;
        Token nopreemptToken = null, preemptDelayToken = null, ttlToken = null, unicastToken = null;
        for (Node c : block(n)) {
            String kw = c.keyword();
            switch (kw) {
                case "state": {
                    stateToken = c.kw;
                    String s = str(c, 0);
                    if ("MASTER".equals(s)) state = VrrpState.MASTER;
                    else if ("BACKUP".equals(s)) state = VrrpState.BACKUP;
                    else if (s != null) d.error(c.args.get(0), "state must be MASTER or BACKUP, not '" + s + "'");
                    break;
                }
                case "interface":
                    iface = str(c, 0);
                    if ("lo".equals(iface)) {
                        // keepalived 2.2.7 ignores the line, then finds no interface: its VRRP process
                        // exits with a configuration error (and -t exits 5)
                        d.error(c.args.get(0), "vrrp_instance " + name + " cannot use the loopback interface (lo) for VRRP");
                        loopbackRefused = true;
                        iface = null;
                        break;
                    }
                    checkInterface(c, 0, "interface " + iface + " for vrrp_instance " + name);
                    break;
                case "virtual_router_id": vrid = integer(c, 0, 1, 255); break;
                case "priority": priority = intOr(c, 0, 1, 255, priority); break;
                case "advert_int": advert = timer(c, 0, 0.01, 255, advert); break;
                case "version": {
                    Integer v = integer(c, 0, 2, 3);
                    // keepalived decides the family from the first VIP as it reads it: version 2 after
                    // an IPv6 address (or native_ipv6), or a second different version, is ignored
                    boolean v6Seen = nativeV6 || vips.stream().anyMatch(a -> Addresses.isV6(a.address()));
                    if (v != null && ((version != null && !version.equals(v)) || (v == 2 && v6Seen))) {
                        d.warn(c.kw, "(" + name + ") version " + v + " conflicts with the version configured before"
                                + " or deduced from IPv6 addresses; ignored");
                    } else if (v != null) {
                        version = v;
                        versionToken = c.kw;
                    }
                    break;
                }
                case "native_ipv6": nativeV6 = true; version = 3; break;
                case "nopreempt": nopreempt = true; nopreemptToken = c.kw; break;
                case "preempt": nopreempt = false; break;
                case "preempt_delay": preemptDelay = timer(c, 0, 0, 1000, preemptDelay); preemptDelayToken = c.kw; break;
                case "accept": accept = true; acceptToken = c.kw; break;
                case "no_accept": accept = false; break;
                case "authentication":
                    authToken = c.kw;
                    for (Node a : block(c)) {
                        if (a.keyword().equals("auth_type")) {
                            String t = str(a, 0);
                            if ("PASS".equals(t)) auth = AuthType.PASS;
                            else if ("AH".equals(t)) auth = AuthType.AH;
                            else if (t != null) d.error(a.args.get(0), "auth_type must be PASS or AH, not '" + t + "'");
                        } else if (a.keyword().equals("auth_pass")) {
                            authPass = str(a, 0);
                            if (authPass != null && authPass.length() > 8) {
                                // keepalived 2.2.7: "Truncating auth_pass to 8 characters"
                                d.warn(a.args.get(0), "auth_pass is longer than 8 characters: only the first 8 are used");
                            }
                        } else {
                            other("authentication", a, options);
                        }
                    }
                    break;
                case "mcast_src_ip": mcastSrc = hostAddr(c, 0); break;
                case "unicast_src_ip": unicastSrc = hostAddr(c, 0); unicastToken = c.kw; break;
                case "unicast_peer":
                    if (unicastToken == null) unicastToken = c.kw;
                    for (Node p : block(c)) {
                        InetAddress a = hostAddr(p.kw);
                        Integer min = null, max = null;
                        for (int i = 0; i < p.argc(); i += 2) {
                            if (p.arg(i).equals("min_ttl")) min = integer(p, i + 1, 0, 255);
                            else if (p.arg(i).equals("max_ttl")) max = integer(p, i + 1, 0, 255);
                            else d.error(p.args.get(i), "unicast_peer: unexpected '" + p.arg(i) + "'");
                        }
                        if (a != null) peers.add(new UnicastPeer(a, min, max));
                    }
                    break;
                case "virtual_ipaddress":
                    vipToken = c.kw;
                    for (Node a : block(c)) addr(a).ifPresent(vips::add);
                    break;
                case "virtual_ipaddress_excluded":
                    for (Node a : block(c)) addr(a).ifPresent(evips::add);
                    break;
                case "virtual_routes":
                    for (Node a : block(c)) routes.add(route(a));
                    break;
                case "virtual_rules":
                    for (Node a : block(c)) rules.add(rule(a));
                    break;
                case "track_interface": ifs.addAll(trackRefs(c, 253, null)); break;
                case "track_script": scr.addAll(trackRefs(c, 253, "vrrp_script")); break;
                case "track_file": files.addAll(trackRefs(c, 254, "track_file")); break;
                case "track_bfd": bfdRefs.addAll(trackBfdRefs(c)); break;
                case "track_process": addProcessRefs(procs, c, name); break;
                case "dont_track_primary": dontTrack = true; break;
                case "use_vmac":
                    useVmac = c.argc() > 0 ? c.arg(0) : "";
                    if (useVmac.length() > 15 || useVmac.matches(".*[/:\\s].*") || useVmac.equals(".") || useVmac.equals("..")) {
                        // not a Linux interface name: keepalived 2.2.7 reports it (its -t fails) and uses vrrp.VRID
                        d.warn(c.args.get(0), "use_vmac: '" + useVmac + "' is not a valid interface name (at most 15"
                                + " characters, no '/', ':' or spaces); using the default name");
                        useVmac = "";
                    }
                    if (c.argc() > 1) keep(c, options);
                    break;
                case "vmac_xmit_base": xmitBase = true; break;
                case "garp_master_delay": garpDelay = timer(c, 0, 0, 4294, null); break;
                case "garp_master_repeat": garpRepeat = garpRepeat(c); break;
                case "garp_master_refresh": garpRefresh = timer(c, 0, 0, 86400, null); break;
                case "garp_master_refresh_repeat": garpRefreshRepeat = garpRepeat(c); break;
                case "garp_lower_prio_delay": lowerDelay = timer(c, 0, 0, 4294, null); break;
                case "garp_lower_prio_repeat": lowerRepeat = integer(c, 0, 0, 1000); break;
                case "notify_master": master = firstScript(c, master); break;
                case "notify_backup": backup = firstScript(c, backup); break;
                case "notify_fault": fault = firstScript(c, fault); break;
                case "notify_stop": stop = firstScript(c, stop); break;
                case "notify": generic = firstScript(c, generic); break;
                case "smtp_alert": smtp = warnedBool(c, smtp, "vrrp_instance smtp_alert"); break;
                case "unicast_ttl": unicastTtl = integer(c, 0, 0, 255); ttlToken = c.kw; break;
                case "old_unicast_checksum":
                    oldChecksum = true;
                    if (c.argc() > 0) keep(c, options);
                    break;
                case "strict_mode": strict = bool(c, 0); break;
                case "lvs_sync_daemon_interface":
                    // keepalived's older form: the sync daemon follows this instance
                    d.warn(c.kw, "lvs_sync_daemon_interface in a vrrp_instance is deprecated, use lvs_sync_daemon in global_defs");
                    if (str(c, 0) != null && lvsSyncNode == null) {
                        lvsSyncNode = c;
                        lvsSyncInstance = name;
                    }
                    break;
                default: other("vrrp_instance", c, options);
            }
        }
        // defined even when broken, so that references to it do not add noise
        boolean fresh = name != null && defined("vrrp_instance", name, n);
        if (vrid == null) {
            if (name != null && n.children != null && !hasChild(n, "virtual_router_id")) {
                d.error(n.kw, "vrrp_instance " + name + ": virtual_router_id is missing");
            }
            return;
        }
        // keepalived 2.2.7 reports each of these (so its -t exits 5) and runs with the setting reset
        if (nopreempt && (priority == 255 || state == VrrpState.MASTER)) {
            d.warn(nopreemptToken, "vrrp_instance " + name + ": nopreempt " + (priority == 255
                    ? "is incompatible with priority 255" : "does not work with state MASTER") + "; ignored");
            nopreempt = false;
        }
        if (preemptDelayToken != null && state == VrrpState.MASTER) {
            d.warn(preemptDelayToken, "vrrp_instance " + name + ": preempt_delay does not work with state MASTER; ignored");
            preemptDelay = Duration.ZERO;
        } else if (preemptDelayToken != null && nopreempt) {
            d.warn(preemptDelayToken, "vrrp_instance " + name + ": preempt_delay is incompatible with nopreempt; ignored");
            preemptDelay = Duration.ZERO;
        }
        if (iface == null && !loopbackRefused && name != null && n.children != null) {
            // keepalived 2.2.7: "(NAME) Unknown interface!", its VRRP process exits with a configuration
            // error; unicast peers do not change that
            d.error(n.kw, "vrrp_instance " + name + " has no interface (keepalived: Unknown interface!)");
        }
        boolean ipv6 = nativeV6;
        if (!vips.isEmpty()) {
            boolean first = Addresses.isV6(vips.get(0).address());
            ipv6 = nativeV6 || first;
            for (StaticAddress a : vips) {
                if (Addresses.isV6(a.address()) != first) {
                    d.error(vipToken, "vrrp_instance " + name
                            + ": virtual_ipaddress mixes IPv4 and IPv6 (put the others in virtual_ipaddress_excluded)");
                    break;
                }
            }
        } else if (unicastSrc != null) {
            ipv6 = ipv6 || Addresses.isV6(unicastSrc);
        }
        // keepalived 2.2.7 reports each of these (its -t fails): a unicast source or peer of the other
        // address family is skipped; unicast keywords left without a peer mean multicast
        if (unicastSrc != null && Addresses.isV6(unicastSrc) != ipv6) {
            d.warn(unicastToken, "vrrp_instance " + name + ": unicast_src_ip " + Addresses.format(unicastSrc)
                    + " is not of the instance's address family; ignored");
            unicastSrc = null;
        }
        for (java.util.Iterator<UnicastPeer> it = peers.iterator(); it.hasNext(); ) {
            UnicastPeer peer = it.next();
            if (Addresses.isV6(peer.address()) != ipv6) {
                d.warn(unicastToken, "vrrp_instance " + name + ": unicast peer " + Addresses.format(peer.address())
                        + " is not of the instance's address family; ignored");
                it.remove();
            }
        }
        if (unicastToken != null && peers.isEmpty()) {
            d.warn(unicastToken, "vrrp_instance " + name + ": unicast keywords without any unicast peer; using multicast");
        }
        if (ttlToken != null && peers.isEmpty()) {
            d.warn(ttlToken, "vrrp_instance " + name + ": unicast_ttl without unicast_peer; ignored");
            unicastTtl = null;
        }
        boolean strictMode = strict != null ? strict : g.vrrpStrict();
        // IPv6 takes version 3 unless the instance itself said version 2 before its first IPv6 VIP:
        // then keepalived sends VRRPv2 over IPv6 (no RFC has it), except in strict mode
        int ver = version != null ? version : ipv6 ? 3 : g.vrrpVersion();
        if (ipv6 && ver == 2 && strictMode) {
            d.warn(versionToken, "(" + name + ") cannot use IPv6 with VRRP version 2; setting version 3");
            ver = 3;
        }
        String own = iface;
        if (own != null && ifs.stream().anyMatch(t -> t.name().equals(own))) {
            // keepalived tracks the instance's own interface anyway (down is a FAULT) and drops the entry
            d.warn(n.kw, "(" + name + ") Ignoring track_interface " + own + " since own interface");
            ifs.removeIf(t -> t.name().equals(own));
        }
        if (ver == 2 && advert.toNanos() % 1_000_000_000L != 0) {
            // an advert carries whole seconds in v2: keepalived rounds (half up, at least 1 s) and says so
            Duration rounded = Duration.ofSeconds(Math.max(1, (advert.toNanos() + 500_000_000L) / 1_000_000_000L));
            d.warn(n.kw, "(" + name + ") VRRPv2 advertisement interval " + org.jkeepalived.core.config.Timers.format(advert)
                    + " must be an integer. rounding to " + rounded.toSeconds() + " s");
            advert = rounded;
        }
        if (ver == 3 && advert.compareTo(Defaults.MAX_ADVERT_V3) > 0) {
            d.error(n.kw, "vrrp_instance " + name + ": advert_int " + org.jkeepalived.core.config.Timers.format(advert)
                    + " is beyond VRRPv3's 40.95 s");
        }
        if (authToken != null) {
            // keepalived 2.2.7 reports each of these (so its -t exits 5) and runs without authentication
            if (ver == 3) {
                d.warn(authToken, "vrrp_instance " + name + ": VRRP version 3 has no authentication; ignored");
            } else if (ipv6) {
                // keepalived says so for AH; its v2 adverts over IPv6 have no room for a password either
                d.warn(authToken, "vrrp_instance " + name + ": no authentication with IPv6; ignored");
            } else if (strictMode && auth != AuthType.NONE) {
                // RFC 5798 / strict mode: no authentication; keepalived 2.2.7 reports it and runs without
                d.warn(authToken, "vrrp_instance " + name + ": strict mode does not support authentication; ignored");
                auth = AuthType.NONE;
                authPass = null;
            } else if (auth != AuthType.NONE && (authPass == null || authPass.isEmpty())) {
                d.warn(authToken, "vrrp_instance " + name + ": authentication without auth_pass is ignored");
            } else if (auth == AuthType.AH && state == VrrpState.MASTER) {
                // its sequence numbers would start again at 1, which a running peer drops as replays
                d.warn(stateToken != null ? stateToken : authToken, "vrrp_instance " + name
                        + ": state MASTER does not work with auth_type AH; starting as BACKUP");
            }
        }
        // An advert holds at most 255 addresses, and no more than fit in one packet: keepalived moves
        // the rest to the excluded VIPs and says so (the interface's MTU is not known here: 1500)
        int room = (1500 - 14 - (ipv6 ? 40 : 20) - 8 - (!ipv6 && ver == 2 ? 8 : 0)) / (ipv6 ? 16 : 4);
        int maxVips = Math.min(255, room);
        if (vips.size() > maxVips) {
            d.warn(vipToken, "(" + name + ") Number of VIPs (" + vips.size() + ") exceeds maximum/space available in"
                    + " packet (max " + maxVips + " addresses) - excess moved to eVIPs");
            evips.addAll(vips.subList(maxVips, vips.size()));
            vips = new ArrayList<>(vips.subList(0, maxVips));
        }
        if (strictMode && ipv6 && peers.isEmpty() && !vips.isEmpty() && !vips.get(0).address().isLinkLocalAddress()) {
            // RFC 5798 5.2.9; keepalived 2.2.7 reports it in strict mode only (its -t exits 5) and runs on
            d.warn(vipToken, "(" + name + ") the first IPv6 VIP address must be link local in strict mode");
        }
        if (strictMode && state == VrrpState.MASTER && priority != 255) {
            // keepalived 2.2.7 reports this too (so -t fails): in strict mode only the address owner starts as MASTER
            d.warn(stateToken, "vrrp_instance " + name + ": state MASTER must match being the address owner"
                    + " (priority 255) in strict mode; starting as BACKUP");
        }
        boolean acc = accept != null ? accept : (!strictMode || priority == 255);
        if (acc && Boolean.TRUE.equals(accept) && strictMode && ver == 2 && priority != 255) {
            // keepalived 2.2.7 reports this too (so -t fails) and runs with no_accept
            d.warn(acceptToken, "vrrp_instance " + name + ": accept is not allowed with strict mode and VRRP version 2"
                    + " (RFC 3768 has no Accept Mode); using no_accept");
            acc = false;
        }
        if (useVmac != null && useVmac.isEmpty()) useVmac = "vrrp." + vrid;
        Duration gd = garpDelay != null ? garpDelay : g.vrrpGarpMasterDelay();
        int gr = garpRepeat != null ? garpRepeat : g.vrrpGarpMasterRepeat();
        Duration ld = lowerDelay != null ? lowerDelay : (globalLowerPrioDelay != null ? globalLowerPrioDelay : gd);
        int lr = lowerRepeat != null ? lowerRepeat : (globalLowerPrioRepeat != null ? globalLowerPrioRepeat : gr);
        VrrpInstance vi = new VrrpInstance(name, state, iface, vrid, priority, advert, ver, ipv6, nopreempt, preemptDelay,
                acc, auth, authPass, mcastSrc, unicastSrc, peers, vips, evips, routes, rules, ifs, scr, files, bfdRefs, procs, dontTrack,
                useVmac, xmitBase, gd, gr, garpRefresh != null ? garpRefresh : g.vrrpGarpMasterRefresh(),
                garpRefreshRepeat != null ? garpRefreshRepeat : g.vrrpGarpMasterRefreshRepeat(), ld, lr,
                master, backup, fault, stop, generic, smtp, unicastTtl, oldChecksum, strictMode, options);
        if (!fresh) return;
        List<VrrpInstance> sameVrid = byVrid.computeIfAbsent(List.of(vrid, ipv6, iface == null ? "" : iface),
                k -> new ArrayList<>(1));
        for (VrrpInstance o : sameVrid) {
            if (!disjointUnicast(o, vi) && sameMcastDst(o, vi)) {
                d.error(n.kw, "vrrp_instance " + name + ": virtual_router_id " + vrid + " is already used by "
                        + o.name() + " on the same interface" + (iface == null ? "" : " " + iface)
                        + " and address family (" + where.get(List.of("vrrp_instance", o.name())).pos() + ")");
                break;
            }
        }
        instances.add(vi);
        sameVrid.add(vi);
    }

    private static boolean hasChild(Node n, String kw) {
        if (n.children == null) return false;
        for (Node c : n.children) if (c.keyword().equals(kw)) return true;
        return false;
    }

    private static boolean disjointUnicast(VrrpInstance a, VrrpInstance b) {
        if (a.unicastPeers().isEmpty() || b.unicastPeers().isEmpty()) return false;
        Set<InetAddress> s = new HashSet<>();
        for (UnicastPeer p : a.unicastPeers()) s.add(p.address());
        for (UnicastPeer p : b.unicastPeers()) if (s.contains(p.address())) return false;
        return true;
    }

    private static boolean sameMcastDst(VrrpInstance a, VrrpInstance b) {
        return java.util.Objects.equals(a.options().get("mcast_dst_ip"), b.options().get("mcast_dst_ip"));
    }

    // ================================================================== addresses

    /** {@code <IPADDR>[/<MASK>] [brd <IPADDR>] [dev <STRING>] [scope <SCOPE>] [label <LABEL>] [peer <IPADDR>] ...} */
    private java.util.Optional<StaticAddress> addr(Node line) {
        String first = line.keyword();
        int slash = first.indexOf('/');
        InetAddress a = parseAddr(line.kw, slash < 0 ? first : first.substring(0, slash));
        if (a == null) return java.util.Optional.empty();
        int max = Addresses.isV6(a) ? 128 : 32;
        int prefix = max;
        if (slash >= 0) {
            Long p = number(first.substring(slash + 1));
            if (p == null || p < 0 || p > max) {
                d.error(line.kw, "invalid prefix length in '" + first + "' (0-" + max + ")");
                return java.util.Optional.empty();
            }
            prefix = p.intValue();
        }
        InetAddress brd = null, peer = null;
        String dev = null, scope = null, label = null;
        boolean noPrefixRoute = false;
        List<String> extra = new ArrayList<>();
        for (int i = 0; i < line.argc(); i++) {
            String k = line.arg(i);
            switch (k) {
                case "brd":
                    if (i + 1 < line.argc() && (line.arg(i + 1).equals("+") || line.arg(i + 1).equals("-"))) {
                        extra.add(k);
                        extra.add(line.arg(++i));
                    } else {
                        brd = addr(line, ++i);
                    }
                    break;
                case "broadcast": brd = addr(line, ++i); break;
                case "dev":
                    dev = str(line, ++i);
                    checkInterface(line, i, "interface " + dev + " for ip address " + line.keyword());
                    break;
                case "scope": {
                    scope = str(line, ++i);
                    Long num = scope == null ? null : number(scope);
                    if (scope != null && !List.of("global", "site", "link", "host", "nowhere").contains(scope)
                            && (num == null || num < 0 || num > 255)) {
                        // keepalived 2.2.7 reports it (its -t fails) and keeps the address without the scope
                        d.warn(line.args.get(i), "invalid scope '" + scope + "' for " + first + "; ignored");
                        scope = null;
                    }
                    break;
                }
                case "label": label = str(line, ++i); break;
                case "peer": peer = addr(line, ++i); break;
                case "noprefixroute": noPrefixRoute = true; break;
                case "track_group":
                case "preferred_lft":
                    extra.add(k);
                    if (i + 1 < line.argc()) extra.add(line.arg(++i));
                    else d.error(line.args.get(i), k + " needs a value");
                    break;
                case "home": case "-nodad": case "nodad": case "mngtmpaddr": case "autojoin": case "no_track":
                case "use_vmac":
                    extra.add(k);
                    break;
                default:
                    d.error(line.args.get(i), "unexpected '" + k + "' in address " + first);
            }
        }
        return java.util.Optional.of(new StaticAddress(a, prefix, brd, dev, scope, label, peer, noPrefixRoute, extra));
    }

    private InetAddress parseAddr(Token t) {
        return parseAddr(t, t.text());
    }

    /**
     * A host address where keepalived 2.2.7 ignores a prefix length written after it
     * (unicast_src_ip 10.0.0.1/24, real_server 10.0.0.2/32 80...: it passes -t and uses the address).
     */
    private InetAddress hostAddr(Token t) {
        String s = t.text();
        int slash = s.indexOf('/');
        if (slash > 0 && slash < s.length() - 1 && s.substring(slash + 1).chars().allMatch(Character::isDigit)) {
            s = s.substring(0, slash);
        }
        return parseAddr(t, s);
    }

    private InetAddress hostAddr(Node c, int i) {
        Token t = addrArg(c, i);
        return t == null ? null : hostAddr(t);
    }

    private InetAddress parseAddr(Token t, String s) {
        InetAddress a = Addresses.parse(s);
        if (a == null) d.error(t, "invalid IP address '" + s + "'");
        return a;
    }

    // ================================================================== virtual_server_group

    private void vsGroup(Node n) {
        String name = nameArg(n);
        List<VirtualServerGroup.Entry> entries = new ArrayList<>();
        for (Node c : block(n)) {
            if (c.keyword().equals("fwmark")) {
                Integer mark = integer(c, 0, 1, 0xFFFFFFFFL);
                String fam = c.argc() > 1 ? c.arg(1) : null;
                if (fam != null && !fam.equals("inet") && !fam.equals("inet6")) {
                    d.error(c.args.get(1), "fwmark family must be inet or inet6, not '" + fam + "'");
                }
                if (mark != null) entries.add(new VirtualServerGroup.Entry(null, null, 0, mark, fam));
                continue;
            }
            InetAddress[] range = range(c.kw);
            if (range == null) continue;
            int port = c.argc() > 0 ? intOr(c, 0, 0, 65535, 0) : 0;
            entries.add(new VirtualServerGroup.Entry(range[0], range[1], port, null,
                    Addresses.isV6(range[0]) ? "inet6" : "inet"));
        }
        if (name != null && defined("virtual_server_group", name, n)) vsGroups.add(new VirtualServerGroup(name, entries));
    }

    /** ADDR, ADDR-LAST (last byte / group, or a full address), ADDR/nn. */
    private InetAddress[] range(Token t) {
        String s = t.text();
        int dash = s.indexOf('-');
        int slash = s.indexOf('/');
        if (slash >= 0) {
            InetAddress a = parseAddr(t, s.substring(0, slash));
            if (a == null) return null;
            byte[] b = a.getAddress();
            Long p = number(s.substring(slash + 1));
            if (p == null || p < 0 || p > b.length * 8) {
                d.error(t, "invalid prefix length in '" + s + "'");
                return null;
            }
            byte[] lo = b.clone(), hi = b.clone();
            for (int bit = p.intValue(); bit < b.length * 8; bit++) {
                lo[bit / 8] &= (byte) ~(0x80 >> (bit % 8));
                hi[bit / 8] |= (byte) (0x80 >> (bit % 8));
            }
            try {
                return new InetAddress[] {InetAddress.getByAddress(lo), InetAddress.getByAddress(hi)};
            } catch (java.net.UnknownHostException e) {
                return null;
            }
        }
        if (dash < 0) {
            InetAddress a = parseAddr(t);
            return a == null ? null : new InetAddress[] {a, a};
        }
        InetAddress a = parseAddr(t, s.substring(0, dash));
        if (a == null) return null;
        String end = s.substring(dash + 1);
        InetAddress last = Addresses.parse(end);
        if (last == null) {
            byte[] b = a.getAddress();
            if (Addresses.isV6(a)) {
                Long v = hex(end);
                if (v == null || v > 0xffff) {
                    d.error(t, "invalid address range '" + s + "'");
                    return null;
                }
                b[14] = (byte) (v >> 8);
                b[15] = (byte) (long) v;
            } else {
                Long v = number(end);
                if (v == null || v > 255) {
                    d.error(t, "invalid address range '" + s + "'");
                    return null;
                }
                b[3] = (byte) (long) v;
            }
            try {
                last = InetAddress.getByAddress(b);
            } catch (java.net.UnknownHostException e) {
                return null;
            }
        }
        if (Addresses.isV6(last) != Addresses.isV6(a) || compare(a, last) > 0) {
            d.error(t, "invalid address range '" + s + "' (the end is before the start)");
            return null;
        }
        return new InetAddress[] {a, last};
    }

    private static int compare(InetAddress a, InetAddress b) {
        byte[] x = a.getAddress(), y = b.getAddress();
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = Integer.compare(x[i] & 0xff, y[i] & 0xff);
            if (c != 0) return c;
        }
        return Integer.compare(x.length, y.length);
    }

    // ================================================================== virtual_server

    /** Settings a real server and its checkers inherit. */
    private static final class Inherit {
        Duration connectTimeout, delayBeforeRetry, warmup, delayLoop;
        Integer retry;
        Boolean alpha, inhibit;
        LvsMethod method;
        TunnelSpec tunnel;
        String virtualhost;

        Inherit copy() {
            Inherit i = new Inherit();
            i.connectTimeout = connectTimeout;
            i.delayBeforeRetry = delayBeforeRetry;
            i.warmup = warmup;
            i.delayLoop = delayLoop;
            i.retry = retry;
            i.alpha = alpha;
            i.inhibit = inhibit;
            i.method = method;
            i.tunnel = tunnel;
            i.virtualhost = virtualhost;
            return i;
        }
    }

    /** Keywords shared by virtual_server, real_server and checkers; true when handled. */
    private boolean inherited(Node c, Inherit h) {
        switch (c.keyword()) {
            case "connect_timeout": h.connectTimeout = timer(c, 0, 0.000001, 4294.967295, h.connectTimeout); return true;
            case "nb_get_retry":
                d.warn(c.kw, "nb_get_retry is deprecated, use retry");
                h.retry = orElse(count(c, 0, 0), h.retry == null ? 1 : h.retry);
                return true;
            case "retry": h.retry = orElse(count(c, 0, 0), h.retry == null ? 1 : h.retry); return true;
            case "delay_before_retry": h.delayBeforeRetry = timer(c, 0, 0, 86400, h.delayBeforeRetry); return true;
            case "warmup": h.warmup = timer(c, 0, 0, 86400, h.warmup); return true;
            case "delay_loop": h.delayLoop = timer(c, 0, 0.000001, 86400, h.delayLoop); return true;
            case "alpha": h.alpha = flagOnly(c); return true;
            default: return false;
        }
    }

    private void virtualServer(Node n) {
        InetAddress address = null;
        int port = 0;
        Integer fwmark = null;
        String group = null;
        boolean portGiven = false;
        if (n.argc() == 0) {
            d.error(n.kw, "virtual_server needs an address [port], fwmark N or group NAME");
            return;
        }
        if (n.arg(0).equals("fwmark")) {
            fwmark = integer(n, 1, 1, 0xFFFFFFFFL);
            if (fwmark == null) return;
        } else if (n.arg(0).equals("group")) {
            group = str(n, 1);
            if (group == null) return;
            ref("virtual_server_group", group, n.args.get(1));
        } else {
            address = hostAddr(n.args.get(0));
            if (address == null) return;
            if (n.argc() > 1) {
                Integer p = integer(n, 1, 1, 65535);
                if (p == null) return;
                port = p;
                portGiven = true;
            }
        }
        String ipFamily = null, sched = Defaults.LVS_SCHED, engine = null, granularity = null, virtualhost = null;
        List<String> flags = new ArrayList<>();
        boolean ops = false, haSuspend = false, omega = false, sorryInhibit = false;
        L4Protocol protocol = L4Protocol.TCP;
        Duration persistence = null;
        int quorum = Defaults.QUORUM, hysteresis = Defaults.HYSTERESIS;
        ScriptSpec qUp = null, qDown = null;
        Boolean vsSmtp = null;
        Inherit h = new Inherit();
        Node sorryNode = null;
        LvsMethod sorryMethod = null;
        TunnelSpec sorryTunnel = null;
        List<Node> rsNodes = new ArrayList<>();
        Map<String, List<List<String>>> options = new LinkedHashMap<>();
        Token protocolToken = null;
        boolean schedSet = false;
        for (Node c : block(n)) {
            String kw = c.keyword();
            if (inherited(c, h)) continue;
            switch (kw) {
                case "lvs_sched":
                case "lb_algo": {
                    String v = str(c, 0);
                    if (v == null) break;
                    if (KEEPALIVED_SCHEDULERS.contains(v)) {
                        sched = v;
                        schedSet = true;
                    } else {
                        d.warn(c.args.get(0), "Invalid lvs_scheduler '" + v + "' - ignoring (using " + sched + ")");
                    }
                    break;
                }
                case "flag-1": case "flag-2": case "flag-3": case "sh-port": case "sh-fallback": case "mh-port":
                case "mh-fallback":
                    if (!flags.contains(kw)) flags.add(kw);
                    break;
                case "ops": ops = true; break;
                case "lvs_method":
                case "lb_kind": {
                    Object[] m = method(c);
                    if (m != null) {
                        h.method = (LvsMethod) m[0];
                        h.tunnel = (TunnelSpec) m[1];
                    }
                    break;
                }
                case "persistence_engine": engine = str(c, 0); break;
                case "persistence_timeout":
                    persistence = c.argc() == 0 ? Defaults.PERSISTENCE_TIMEOUT : timer(c, 0, 1, 2678400, Defaults.PERSISTENCE_TIMEOUT);
                    break;
                case "persistence_granularity": {
                    granularity = str(c, 0);
                    if (granularity != null && Addresses.parse(granularity) == null) {
                        Long p = number(granularity);
                        if (p == null || p < 1 || p > 128) {
                            d.error(c.args.get(0), "persistence_granularity must be a netmask or a prefix length, not '" + granularity + "'");
                        }
                    }
                    break;
                }
                case "protocol": {
                    String p = str(c, 0);
                    protocolToken = c.kw;
                    if ("TCP".equalsIgnoreCase(p)) protocol = L4Protocol.TCP;
                    else if ("UDP".equalsIgnoreCase(p)) protocol = L4Protocol.UDP;
                    else if ("SCTP".equalsIgnoreCase(p)) protocol = L4Protocol.SCTP;
                    else if (p != null) d.error(c.args.get(0), "protocol must be TCP, UDP or SCTP, not '" + p + "'");
                    break;
                }
                case "ha_suspend": haSuspend = true; break;
                case "virtualhost": h.virtualhost = str(c, 0); break;
                case "omega": omega = true; break;
                case "quorum": quorum = intOr(c, 0, 1, Integer.MAX_VALUE, quorum); break;
                case "hysteresis": hysteresis = intOr(c, 0, 0, Integer.MAX_VALUE, hysteresis); break;
                case "quorum_up": qUp = script(c, true); break;
                case "smtp_alert": vsSmtp = warnedBool(c, vsSmtp, "virtual_server smtp_alert"); break;
                case "quorum_down": qDown = script(c, true); break;
                case "ip_family": {
                    String f = str(c, 0);
                    if ("inet".equals(f) || "inet6".equals(f)) ipFamily = f;
                    else if (f != null) d.error(c.args.get(0), "ip_family must be inet or inet6, not '" + f + "'");
                    break;
                }
                case "sorry_server": sorryNode = c; break;
                case "sorry_server_inhibit": sorryInhibit = true; break;
                case "sorry_server_lvs_method": {
                    Object[] m = method(c);
                    if (m != null) {
                        sorryMethod = (LvsMethod) m[0];
                        sorryTunnel = (TunnelSpec) m[1];
                    }
                    break;
                }
                case "inhibit_on_failure": h.inhibit = flagOnly(c); break;
                case "real_server": rsNodes.add(c); break;
                default: other("virtual_server", c, options);
            }
        }
        if (address != null && !portGiven && persistence == null) {
            d.warn(n.kw, "virtual_server " + Addresses.format(address) + " has no port: only a persistent service may omit it");
        }
        if (fwmark != null && protocolToken != null) {
            d.warn(protocolToken, "protocol is ignored for a fwmark virtual_server");
        }
        if (haSuspend && fwmark != null) {
            // keepalived: checks of a fwmark service cannot follow an address; it clears the option
            d.warn(n.kw, "virtual_server fwmark " + fwmark + ": cannot use ha_suspend with fwmarks - clearing ha_suspend");
            haSuspend = false;
        }
        // keepalived 2.2.7 reports each of these defaults (so its -t fails) and runs with them
        String vsName = "virtual_server " + (address != null ? Addresses.format(address) + " " + port
                : fwmark != null ? "fwmark " + fwmark : "group " + group);
        if (address != null && protocolToken == null) {
            d.warn(n.kw, vsName + ": no protocol set - keepalived 2.2.7 defaults to UDP, we to TCP: set protocol");
        } else if (group != null && protocolToken == null) {
            groupsWithoutProtocol.add(new Object[] {group, n.kw, vsName}); // decided once every group is known
        }
        if (!schedSet) d.warn(n.kw, vsName + ": no scheduler set, setting default '" + sched + "'");
        if (h.method == null && (rsNodes.stream().anyMatch(r -> !hasChild(r, "lvs_method"))
                || (sorryNode != null && sorryMethod == null))) {
            d.warn(n.kw, vsName + ": no forwarding method set, setting default NAT");
        }
        List<RealServer> rss = new ArrayList<>();
        Set<List<Object>> seen = new HashSet<>();
        for (Node r : rsNodes) {
            RealServer rs = realServer(r, h, port);
            if (rs == null) continue;
            if (!seen.add(List.of(rs.address(), rs.port()))) {
                d.error(r.kw, "real_server " + rs.label() + " is listed twice in this virtual_server");
                continue;
            }
            rss.add(rs);
        }
        RealServer sorry = null;
        if (sorryNode != null) {
            InetAddress sa = hostAddr(sorryNode.args.isEmpty() ? sorryNode.kw : sorryNode.args.get(0));
            int sp = sorryNode.argc() > 1 ? intOr(sorryNode, 1, 0, 65535, port) : port;
            LvsMethod sm = sorryMethod != null ? sorryMethod : method(h);
            TunnelSpec st = sorryMethod != null ? sorryTunnel : h.tunnel;
            if (sa != null && address != null && Addresses.isV6(sa) != Addresses.isV6(address)) {
                // keepalived 2.2.7 skips it and says so (its -t fails)
                d.warn(sorryNode.kw, vsName + ": sorry_server " + Addresses.format(sa) + " is not of the virtual server's"
                        + " address family; ignored");
            } else if (sa != null) {
                sorry = new RealServer(sa, sp, Defaults.WEIGHT, sm, st, sorryInhibit, false, null, null, null, null, null,
                        List.of(), null, Map.of());
            }
        }
        if (ipFamily == null) {
            if (address != null) ipFamily = Addresses.isV6(address) ? "inet6" : "inet";
            else if (!rss.isEmpty()) ipFamily = Addresses.isV6(rss.get(0).address()) ? "inet6" : "inet";
            else ipFamily = "inet";
        }
        // keepalived 2.2.7 (and its -t) cuts a quorum no set of real servers could reach, then a
        // hysteresis that would keep quorum from ever coming back
        long weightSum = rss.stream().mapToLong(RealServer::weight).sum();
        if (!rss.isEmpty() && quorum > weightSum) {
            d.warn(n.kw, "Warning - quorum " + quorum + " for " + vsName + " exceeds total weight of real servers "
                    + weightSum + ", reducing quorum to " + weightSum);
            quorum = (int) weightSum;
        }
        if (quorum > 0 && hysteresis >= quorum) {
            d.warn(n.kw, vsName + ": hysteresis " + hysteresis + " >= quorum " + quorum + "; setting hysteresis to "
                    + (quorum - 1));
            hysteresis = quorum - 1;
        }
        if (rsNodes.isEmpty()) {
            // keepalived 2.2.7 leaves such a virtual server out (sorry_server or not) and says so (its -t fails)
            d.warn(n.kw, vsName + " has no real_server; ignored");
            return;
        }
        for (int i = 0; i < rss.size(); i++) {
            RealServer rs = rss.get(i);
            if ((rs.lvsMethod() == LvsMethod.DR || rs.lvsMethod() == LvsMethod.TUN) && address != null && port != 0
                    && rs.port() != 0 && rs.port() != port) {
                // DR and TUN cannot change the port: keepalived 2.2.7 resets it and says so (its -t fails)
                d.warn(n.kw, vsName + ": real_server " + rs.label() + " is " + rs.lvsMethod() + ": its port must be the"
                        + " virtual server's; using " + port);
                rss.set(i, rs.withPort(port));
            }
        }
        for (RealServer rs : rss) {
            if (rs.lvsMethod() != LvsMethod.TUN && address != null && Addresses.isV6(rs.address()) != Addresses.isV6(address)) {
                d.error(n.kw, "real_server " + rs.label() + " is not of the virtual server's address family (only TUN may differ)");
            }
        }
        // keepalived 2.2.7 reports each of these (its -t fails) and runs without the setting
        if (ops && fwmark == null && protocolToken != null && protocol != L4Protocol.UDP) {
            d.warn(n.kw, vsName + ": ops (one-packet scheduling) needs protocol UDP; ignored");
            ops = false;
        }
        if (!sched.equals("sh") && !sched.equals("mh")) {
            for (String f : List.of("sh-port", "sh-fallback", "mh-port", "mh-fallback")) {
                if (flags.remove(f)) d.warn(n.kw, vsName + ": " + f + " only applies to the sh and mh schedulers; ignored");
            }
        }
        virtualServers.add(new VirtualServer(address, port, fwmark, group, ipFamily, protocol, sched, flags, ops,
                method(h), h.method == LvsMethod.TUN ? h.tunnel : null, persistence, granularity, engine,
                h.delayLoop != null ? h.delayLoop : Defaults.DELAY_LOOP, haSuspend, Boolean.TRUE.equals(h.alpha), omega,
                quorum, hysteresis, qUp, qDown, Boolean.TRUE.equals(h.inhibit), h.virtualhost, sorry, sorryInhibit, rss,
                vsSmtp, options));
    }

    private static LvsMethod method(Inherit h) {
        return h.method != null ? h.method : Defaults.LVS_METHOD;
    }

    /** lvs_method NAT|DR|TUN [type ipip|gue port N|gre] [nocsum|csum|remcsum] → {method, tunnel}. */
    private Object[] method(Node c) {
        String m = str(c, 0);
        if (m == null) return null;
        switch (m) {
            case "NAT": return new Object[] {LvsMethod.NAT, null};
            case "DR": return new Object[] {LvsMethod.DR, null};
            case "TUN": break;
            default:
                d.error(c.args.get(0), c.keyword() + " must be NAT, DR or TUN, not '" + m + "'");
                return null;
        }
        String type = "ipip", csum = null;
        Integer port = null;
        for (int i = 1; i < c.argc(); i++) {
            String a = c.arg(i);
            if (a.equals("type")) {
                type = str(c, ++i);
                if (type != null && !type.equals("ipip") && !type.equals("gue") && !type.equals("gre")) {
                    d.error(c.args.get(i), "tunnel type must be ipip, gue or gre, not '" + type + "'");
                    return null;
                }
            } else if (a.equals("port")) {
                port = integer(c, ++i, 1, 65535);
            } else if (a.equals("nocsum") || a.equals("csum") || a.equals("remcsum")) {
                csum = a;
            } else {
                d.error(c.args.get(i), "unexpected '" + a + "' after TUN");
            }
        }
        if ("gue".equals(type) && port == null) d.error(c.kw, "a gue tunnel needs a port");
        if ("gre".equals(type) && "remcsum".equals(csum)) d.error(c.kw, "a gre tunnel does not support remcsum");
        TunnelSpec t = "ipip".equals(type) && port == null && csum == null ? TunnelSpec.IPIP : new TunnelSpec(type, port, csum);
        return new Object[] {LvsMethod.TUN, t};
    }

    // ================================================================== real_server

    private RealServer realServer(Node n, Inherit vs, int vsPort) {
        if (n.argc() == 0) {
            d.error(n.kw, "real_server needs an address");
            return null;
        }
        InetAddress a = hostAddr(n.args.get(0));
        if (a == null) return null;
        int port = vsPort;
        if (n.argc() > 1) {
            Integer p = integer(n, 1, 0, 65535);
            if (p == null) return null;
            port = p;
        }
        Inherit h = vs.copy();
        int weight = Defaults.WEIGHT;
        Integer uth = null, lth = null;
        ScriptSpec up = null, down = null;
        Boolean smtp = null;
        List<Node> checkerNodes = new ArrayList<>();
        Map<String, List<List<String>>> options = new LinkedHashMap<>();
        for (Node c : block(n)) {
            if (inherited(c, h)) continue;
            switch (c.keyword()) {
                case "weight": weight = intOr(c, 0, 0, Integer.MAX_VALUE, weight); break;
                case "lvs_method": {
                    Object[] m = method(c);
                    if (m != null) {
                        h.method = (LvsMethod) m[0];
                        h.tunnel = (TunnelSpec) m[1];
                    }
                    break;
                }
                case "notify_up": up = script(c, true); break;
                case "notify_down": down = script(c, true); break;
                case "smtp_alert": smtp = warnedBool(c, smtp, "real_server smtp_alert"); break;
                case "uthreshold": uth = integer(c, 0, 0, Integer.MAX_VALUE); break;
                case "lthreshold": lth = integer(c, 0, 0, Integer.MAX_VALUE); break;
                case "virtualhost": h.virtualhost = str(c, 0); break;
                case "inhibit_on_failure": h.inhibit = bool(c, 0); break;
                case "HTTP_GET": case "SSL_GET": case "TCP_CHECK": case "SMTP_CHECK": case "DNS_CHECK": case "MISC_CHECK":
                case "UDP_CHECK": case "PING_CHECK": case "FILE_CHECK": case "BFD_CHECK":
                    checkerNodes.add(c);
                    break;
                default: other("real_server", c, options);
            }
        }
        // keepalived 2.2.7 passes lthreshold above uthreshold (-t exits 0): said, not failed
        if (uth != null && lth != null && lth > uth) d.notice(n.kw, "lthreshold " + lth + " is above uthreshold " + uth);
        List<Checker> checkers = new ArrayList<>();
        for (Node c : checkerNodes) {
            Checker ch = checker(c, h, a, port);
            if (ch != null) checkers.add(ch);
        }
        LvsMethod m = method(h);
        return new RealServer(a, port, weight, m, m == LvsMethod.TUN ? (h.tunnel != null ? h.tunnel : TunnelSpec.IPIP) : null,
                Boolean.TRUE.equals(h.inhibit), Boolean.TRUE.equals(h.alpha), uth, lth, up, down, h.virtualhost, checkers,
                smtp, options);
    }

    // ================================================================== checkers

    private Checker checker(Node n, Inherit rs, InetAddress rsAddr, int rsPort) {
        String type = n.keyword();
        String section = type.equals("SSL_GET") ? "HTTP_GET" : type;
        boolean fileOrBfd = type.equals("FILE_CHECK") || type.equals("BFD_CHECK");
        boolean misc = type.equals("MISC_CHECK");
        Inherit h = rs.copy();
        InetAddress connectIp = null, bindto = null;
        Integer connectPort = null, bindPort = null, fwmark = null;
        String bindIf = null;
        Boolean logAll = null;
        // type specific
        List<HttpUrl> urls = new ArrayList<>();
        String httpProtocol = Defaults.HTTP_PROTOCOL, helo = null, dnsType = Defaults.DNS_TYPE, dnsName = Defaults.DNS_NAME,
                trackFile = null, bfdName = null, user = null, group = null;
        boolean sni = false, fastRecovery = false, miscDynamic = false, requireReply = false, fileDynamic = false,
                fileReverse = false;
        ScriptSpec miscPath = null;
        Duration miscTimeout = null;
        byte[][] payload = null, reply = null;
        int minReply = Defaults.UDP_MIN_REPLY, maxReply = Defaults.UDP_MAX_REPLY;
        Integer fileWeight = null;
        if (n.children == null) {
            d.error(n.kw, type + " needs a block { ... }");
            return null;
        }
        for (Node c : n.children) {
            String kw = c.keyword();
            // the options all checkers share; MISC_CHECK only from alpha on, FILE_CHECK / BFD_CHECK none
            if (!fileOrBfd) {
                if (inherited(c, h)) continue;
                if (kw.equals("log_all_failures")) {
                    logAll = bool(c, 0);
                    continue;
                }
                if (!misc) {
                    switch (kw) {
                        case "connect_ip": connectIp = hostAddr(c, 0); continue;
                        case "connect_port": connectPort = integer(c, 0, 1, 65535); continue;
                        case "bindto": bindto = addr(c, 0); continue;
                        case "bind_if": bindIf = str(c, 0); continue;
                        case "bind_port": bindPort = integer(c, 0, 1, 65535); continue;
                        case "fwmark": fwmark = integer(c, 0, 0, 0xFFFFFFFFL); continue;
                        default: break;
                    }
                }
            }
            switch (section.equals("HTTP_GET") ? kw : section + " " + kw) {
                case "url": {
                    HttpUrl u = url(c);
                    if (u != null) urls.add(u);
                    continue;
                }
                case "http_protocol": {
                    String p = str(c, 0);
                    if ("1.0".equals(p) || "1.0C".equals(p) || "1.1".equals(p)) httpProtocol = p;
                    else if ("1.0c".equals(p)) httpProtocol = "1.0C";
                    else if (p != null) d.error(c.args.get(0), "http_protocol must be 1.0, 1.0C or 1.1, not '" + p + "'");
                    continue;
                }
                case "fast_recovery": fastRecovery = bool(c, 0); continue;
                case "virtualhost": h.virtualhost = str(c, 0); continue;
                case "enable_sni": sni = bool(c, 0); continue;
                case "SMTP_CHECK helo_name": helo = str(c, 0); continue;
                case "DNS_CHECK type": {
                    String t = str(c, 0);
                    if (t != null && Set.of("A", "NS", "CNAME", "SOA", "MX", "TXT", "AAAA", "RRSIG", "DNSKEY").contains(t.toUpperCase())) dnsType = t.toUpperCase();
                    else if (t != null) d.error(c.args.get(0), "DNS_CHECK type must be A, NS, CNAME, SOA, MX, TXT, AAAA, RRSIG or DNSKEY, not '" + t + "'");
                    continue;
                }
                case "DNS_CHECK name": dnsName = str(c, 0) == null ? dnsName : c.arg(0); continue;
                case "MISC_CHECK misc_path": miscPath = script(c, false); continue;
                case "MISC_CHECK misc_timeout": miscTimeout = timer(c, 0, 0.000001, 86400, null); continue;
                case "MISC_CHECK misc_dynamic": miscDynamic = true; continue;
                case "MISC_CHECK user":
                    user = str(c, 0);
                    group = c.argc() > 1 ? c.arg(1) : null;
                    continue;
                case "UDP_CHECK payload": payload = hexBytes(c, 0, false); continue;
                case "UDP_CHECK require_reply":
                    requireReply = true;
                    if (c.argc() > 0) reply = hexBytes(c, 0, true);
                    continue;
                case "UDP_CHECK min_reply_length": minReply = intOr(c, 0, 0, 65535, minReply); continue;
                case "UDP_CHECK max_reply_length": maxReply = intOr(c, 0, 0, 65535, maxReply); continue;
                case "FILE_CHECK track_file":
                    trackFile = str(c, 0);
                    if (trackFile != null) ref("track_file", trackFile, c.args.get(0));
                    continue;
                case "FILE_CHECK dynamic": fileDynamic = true; continue;
                case "FILE_CHECK weight":
                    fileWeight = integer(c, 0, -2147483647L, 2147483647L);
                    fileReverse = reverse(c, 1);
                    continue;
                case "BFD_CHECK name":
                    bfdName = str(c, 0);
                    if (bfdName != null) {
                        ref("bfd_instance", bfdName, c.args.get(0));
                        bfdChecks.add(c.args.get(0));
                    }
                    continue;
                default:
                    other(section, c, new HashMap<>());
            }
        }
        Duration delayLoop = h.delayLoop != null ? h.delayLoop : Defaults.DELAY_LOOP;
        int retry = h.retry != null ? h.retry : Defaults.retry(type);
        Duration dbr = h.delayBeforeRetry != null ? h.delayBeforeRetry : Defaults.delayBeforeRetry(type, delayLoop);
        CheckerCommon common = new CheckerCommon(connectIp != null ? connectIp : rsAddr,
                connectPort != null ? connectPort : rsPort, bindto, bindIf, bindPort, fwmark,
                h.connectTimeout != null ? h.connectTimeout : Defaults.CONNECT_TIMEOUT, retry, dbr,
                h.warmup != null ? h.warmup : delayLoop, delayLoop, Boolean.TRUE.equals(h.alpha),
                logAll != null ? logAll : checkerLogAllFailures);
        if (common.connectPort() == 0 && !misc && !fileOrBfd && !type.equals("PING_CHECK")) {
            d.error(n.kw, type + " needs connect_port: the real server has no port");
        }
        switch (type) {
            case "HTTP_GET":
            case "SSL_GET":
                if (urls.isEmpty()) d.warn(n.kw, type + " has no url block: nothing to check");
                return new Checker.HttpGet(common, type.equals("SSL_GET"), urls, h.virtualhost, httpProtocol, sni,
                        fastRecovery, false);
            case "TCP_CHECK": return new Checker.TcpCheck(common);
            case "SMTP_CHECK": return new Checker.SmtpCheck(common, helo);
            case "DNS_CHECK": return new Checker.DnsCheck(common, dnsType, dnsName);
            case "MISC_CHECK":
                if (miscPath == null) {
                    d.error(n.kw, "MISC_CHECK needs misc_path");
                    return null;
                }
                if (user != null) miscPath = new ScriptSpec(miscPath.command(), miscPath.argv(), user, group);
                return new Checker.MiscCheck(common, miscPath, miscTimeout != null ? miscTimeout : delayLoop, miscDynamic);
            case "UDP_CHECK":
                if (minReply > maxReply) d.error(n.kw, "min_reply_length " + minReply + " is above max_reply_length " + maxReply);
                return new Checker.UdpCheck(common, payload == null ? null : payload[0], requireReply,
                        reply == null ? null : reply[0], reply == null ? null : reply[1], minReply, maxReply);
            case "PING_CHECK": return new Checker.PingCheck(common);
            case "FILE_CHECK":
                if (trackFile == null) {
                    d.error(n.kw, "FILE_CHECK needs track_file");
                    return null;
                }
                return new Checker.FileCheck(common, trackFile, fileDynamic, fileWeight, fileReverse);
            case "BFD_CHECK":
                if (bfdName == null) {
                    d.error(n.kw, "BFD_CHECK needs name");
                    return null;
                }
                return new Checker.BfdCheck(common, bfdName);
            default: return null;
        }
    }

    private HttpUrl url(Node n) {
        String path = null, digest = null, vhost = null, regex = null;
        boolean noMatch = false;
        List<HttpUrl.StatusRange> codes = new ArrayList<>();
        List<String> regexOptions = new ArrayList<>();
        Integer minOff = null, maxOff = null;
        for (Node c : block(n)) {
            switch (c.keyword()) {
                case "path": path = str(c, 0); break;
                case "digest": {
                    String dg = str(c, 0);
                    if (dg != null) {
                        dg = dg.toLowerCase();
                        boolean ok = dg.length() == 32;
                        for (int i = 0; ok && i < 32; i++) ok = Character.digit(dg.charAt(i), 16) >= 0;
                        if (!ok) d.error(c.args.get(0), "digest must be 32 hex digits (an MD5), not '" + c.arg(0) + "'");
                        else digest = dg;
                    }
                    break;
                }
                case "status_code":
                    if (c.argc() == 0) d.error(c.kw, "status_code needs a value");
                    for (Token t : c.args) {
                        String s = t.text();
                        int dash = s.indexOf('-');
                        Long from = number(dash < 0 ? s : s.substring(0, dash));
                        Long to = dash < 0 ? from : number(s.substring(dash + 1));
                        if (from == null || to == null || from < 100 || to > 599 || from > to) {
                            d.error(t, "status_code: invalid code or range '" + s + "' (100-599)");
                        } else {
                            codes.add(new HttpUrl.StatusRange(from.intValue(), to.intValue()));
                        }
                    }
                    break;
                case "virtualhost": vhost = str(c, 0); break;
                case "regex": regex = str(c, 0); break;
                case "regex_no_match": noMatch = true; break;
                case "regex_options": regexOptions.addAll(c.argWords()); break;
                case "regex_min_offset": minOff = integer(c, 0, 0, Integer.MAX_VALUE); break;
                case "regex_max_offset": maxOff = integer(c, 0, 0, Integer.MAX_VALUE); break;
                default: other("url", c, new HashMap<>());
            }
        }
        if (path == null) {
            d.error(n.kw, "url needs a path");
            return null;
        }
        if (codes.isEmpty()) codes.add(Defaults.STATUS_RANGE);
        return new HttpUrl(path, digest, codes, vhost, regex, noMatch, regexOptions, minOff, maxOff);
    }

    /**
     * keepalived's free-form HEX_STR: words of hex digits, read in pairs, an odd last digit standing alone
     * ("Ab12f 3" is AB 12 0F 03). With {@code masks}, X/x is a nibble to ignore; returns {bytes, mask}.
     */
    private byte[][] hexBytes(Node c, int from, boolean masks) {
        java.io.ByteArrayOutputStream val = new java.io.ByteArrayOutputStream(), mask = new java.io.ByteArrayOutputStream();
        for (int i = from; i < c.argc(); i++) {
            String w = c.arg(i);
            for (int k = 0; k < w.length(); k += 2) {
                // pairs from the left; an odd last digit is a byte of its own ("f" is 0F)
                boolean single = k + 1 == w.length();
                int hi = single ? 0 : nibble(w.charAt(k), masks);
                int lo = nibble(w.charAt(single ? k : k + 1), masks);
                if (hi == -1 || lo == -1) {
                    d.error(c.args.get(i), c.keyword() + ": '" + w + "' is not hex");
                    return null;
                }
                val.write(Math.max(hi, 0) << 4 | Math.max(lo, 0));
                mask.write((hi == -2 ? 0 : 0xf0) | (lo == -2 ? 0 : 0x0f));
            }
        }
        if (val.size() == 0) {
            d.error(c.kw, c.keyword() + " needs hex bytes");
            return null;
        }
        return new byte[][] {val.toByteArray(), mask.toByteArray()};
    }

    /** A hex digit's value, -2 for an X (ignored nibble) when allowed, -1 otherwise. */
    private static int nibble(char ch, boolean masks) {
        int dg = Character.digit(ch, 16);
        if (dg >= 0) return dg;
        return masks && (ch == 'x' || ch == 'X') ? -2 : -1;
    }

    // ================================================================== values

    /** vrrp_instance NAME, vrrp_script NAME...: the first word. */
    private String nameArg(Node n) {
        if (n.argc() == 0) {
            d.error(n.kw, n.keyword() + " needs a name");
            return null;
        }
        return n.arg(0);
    }

    private final Set<Node> blockReported = new HashSet<>();
    private static final Set<String> BLOCK_KEYWORDS = Set.of("virtual_server", "real_server", "vrrp_instance",
            "vrrp_script", "track_file", "vrrp_track_file", "vrrp_track_process", "vrrp_sync_group", "virtual_server_group", "HTTP_GET",
            "SSL_GET", "TCP_CHECK", "SMTP_CHECK", "DNS_CHECK", "MISC_CHECK", "UDP_CHECK", "PING_CHECK", "FILE_CHECK",
            "BFD_CHECK", "url");

    /** A keyword that takes values, not a block: report a block given to it (once). */
    private void noBlock(Node c) {
        if (c.children != null && !BLOCK_KEYWORDS.contains(c.keyword()) && blockReported.add(c)) {
            d.error(c.open, "'" + c.keyword() + "' does not take a block (one keyword per line)");
        }
    }

    private String str(Node c, int i) {
        Token t = valueArg(c, i);
        return t == null ? null : t.text();
    }

    /** Argument {@code i} of a keyword that takes no block, or null after an error saying it is missing. */
    private Token valueArg(Node c, int i) {
        noBlock(c);
        if (i >= c.argc()) {
            d.error(c.kw, c.keyword() + ": missing value");
            return null;
        }
        return c.args.get(i);
    }

    private InetAddress addr(Node c, int i) {
        Token t = addrArg(c, i);
        return t == null ? null : parseAddr(t);
    }

    private Token addrArg(Node c, int i) {
        noBlock(c);
        if (i >= c.argc()) {
            d.error(c.kw, c.keyword() + ": missing address");
            return null;
        }
        return c.args.get(i);
    }

    private InetAddress addrOr(Node c, int i, InetAddress dflt, boolean v6) {
        InetAddress a = addr(c, i);
        if (a == null) return dflt;
        if (Addresses.isV6(a) != v6) {
            d.error(c.args.get(i), c.keyword() + " must be an IPv" + (v6 ? "6" : "4") + " address");
            return dflt;
        }
        return a;
    }

    /** The value as an int in [min, max], or null (with an error quoting the value). */
    private Integer integer(Node c, int i, long min, long max) {
        Long v = ranged(c, i, min, max);
        return v == null ? null : (int) (long) v;
    }

    /** Argument {@code i} as a number within [min, max]; null (and said) when missing, not a number or outside. */
    private Long ranged(Node c, int i, long min, long max) {
        Token t = valueArg(c, i);
        if (t == null) return null;
        Long v = number(t.text());
        if (v == null) {
            d.error(t, c.keyword() + ": '" + t.text() + "' is not a number");
            return null;
        }
        if (v < min || v > max) {
            d.error(t, c.keyword() + ": '" + t.text() + "' is outside the range [" + min + ", " + max + "]");
            return null;
        }
        return v;
    }

    /**
     * A count keepalived reads as an unsigned 32-bit number (up to 4294967295), kept as an int: beyond
     * Integer.MAX_VALUE it makes no difference in practice, and it must not fail -t where keepalived passes.
     */
    private Integer count(Node c, int i, long min) {
        Long v = ranged(c, i, min, 0xFFFF_FFFFL);
        return v == null ? null : (int) Math.min(v, Integer.MAX_VALUE);
    }

    /** keepalived 2.2.7 skips a vrrp_mcast_group4/6 that is not a multicast address (and -t exits 5). */
    private InetAddress multicastOr(Node c, InetAddress a, InetAddress dflt) {
        if (a == null || a.isMulticastAddress()) return a;
        d.warn(c.args.get(0), c.keyword() + " " + a.getHostAddress() + " is not a multicast address; ignored");
        return dflt;
    }

    /** Most gratuitous ARPs / NAs a burst sends: the schedule of one burst is built at once. */
    static final int MAX_GARP_REPEAT = 1000;

    /**
     * A GARP repeat count: keepalived takes 1..4294967295 (so its -t passes); beyond
     * {@link #MAX_GARP_REPEAT} a burst does no more good, and is said and capped.
     */
    private Integer garpRepeat(Node c) {
        Integer v = count(c, 0, 1);
        if (v != null && v > MAX_GARP_REPEAT) {
            d.notice(c.args.get(0), c.keyword() + " " + c.arg(0) + ": " + MAX_GARP_REPEAT + " used (the most one burst sends)");
            return MAX_GARP_REPEAT;
        }
        return v;
    }

    /** A route line; keepalived 2.2.7 reports one it cannot track (no dev, no no_track) and its -t fails. */
    private StaticRoute route(Node a) {
        List<String> w = a.words();
        if (!w.contains("dev") && !w.contains("no_track")) {
            d.warn(a.kw, "route '" + String.join(" ", w) + "' has no dev, so it cannot be tracked (add dev or no_track)");
        }
        return new StaticRoute(w);
    }

    /**
     * A rule line; without a priority keepalived 2.2.7 gives it preference 16384 and says so (its
     * -t fails): the same here, rather than the kernel's choice.
     */
    private StaticRoute rule(Node a) {
        List<String> w = a.words();
        if (w.stream().noneMatch(x -> x.equals("priority") || x.equals("preference") || x.equals("pref") || x.equals("order"))) {
            d.warn(a.kw, "rule '" + String.join(" ", w) + "' has no preference; 16384 used");
            w = new ArrayList<>(w);
            w.addAll(List.of("preference", "16384"));
        }
        return new StaticRoute(w);
    }

    private static int orElse(Integer v, int dflt) {
        return v == null ? dflt : v;
    }

    private int intOr(Node c, int i, long min, long max, int dflt) {
        Integer v = integer(c, i, min, max);
        return v == null ? dflt : v;
    }

    /** Decimal (optionally signed) to long; null when not a number or beyond 18 digits. */
    static Long number(String s) {
        int n = s.length();
        if (n == 0 || n > 19) return null;
        int i = 0;
        boolean neg = false;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            neg = s.charAt(0) == '-';
            i = 1;
            if (n == 1) return null;
        }
        long v = 0;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return null;
            v = v * 10 + (c - '0');
        }
        return neg ? -v : v;
    }

    private static Long hex(String s) {
        if (s.isEmpty() || s.length() > 8) return null;
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            int dg = Character.digit(s.charAt(i), 16);
            if (dg < 0) return null;
            v = v << 4 | dg;
        }
        return v;
    }

    /** A &lt;TIMER&gt;: seconds with an optional fraction (microseconds), in [min, max] seconds. */
    private Duration timer(Node c, int i, double min, double max, Duration dflt) {
        Token t = valueArg(c, i);
        if (t == null) return dflt;
        Long micros = micros(t.text());
        if (micros == null) {
            d.error(t, c.keyword() + ": '" + t.text() + "' is not a number of seconds");
            return dflt;
        }
        if (micros < Math.round(min * 1e6) || micros > Math.round(max * 1e6)) {
            d.error(t, c.keyword() + ": '" + t.text() + "' is outside the range [" + fmt(min) + ", " + fmt(max) + "] seconds");
            return dflt;
        }
        return Duration.ofNanos(micros * 1000);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    static Long micros(String s) {
        int n = s.length();
        if (n == 0 || n > 20) return null;
        long whole = 0, frac = 0;
        int i = 0, fracDigits = 0;
        boolean digits = false;
        for (; i < n && s.charAt(i) != '.'; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return null;
            whole = whole * 10 + (c - '0');
            digits = true;
            if (whole > 1_000_000_000_000L) return null;
        }
        if (i < n) {
            for (i++; i < n; i++) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') return null;
                digits = true;
                if (fracDigits < 6) {
                    frac = frac * 10 + (c - '0');
                    fracDigits++;
                }
            }
        }
        if (!digits) return null;
        for (; fracDigits < 6; fracDigits++) frac *= 10;
        return whole * 1_000_000 + frac;
    }

    /** An optional &lt;BOOL&gt;: absent means true. */
    private boolean bool(Node c, int i) {
        noBlock(c);
        if (i >= c.argc()) return true;
        Boolean v = trueFalse(c.arg(i).toLowerCase());
        if (v == null) {
            d.error(c.args.get(i), c.keyword() + ": '" + c.arg(i) + "' is not one of on|off|true|false|yes|no");
            return true;
        }
        return v;
    }

    /** keepalived's BOOL words; null for anything else. */
    private static Boolean trueFalse(String word) {
        return switch (word) {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> null;
        };
    }

    /**
     * A keyword keepalived 2.2.7 takes without a value (vrrp_strict, enable_script_security,
     * lvs_flush, alpha...): it turns the option on whatever follows it, so "vrrp_strict off" is
     * strict mode there. The same here, with a warning so nobody is surprised.
     */
    private boolean flagOnly(Node c) {
        noBlock(c);
        if (c.argc() > 0) {
            String v = String.join(" ", c.argWords());
            d.warn(c.args.get(0), c.keyword() + " takes no value: '" + v + "' is ignored and " + c.keyword()
                    + " is ON (keepalived 2.2.7 does the same)");
        }
        return true;
    }

    private boolean reverse(Node c, int i) {
        if (i >= c.argc()) return false;
        String v = c.arg(i);
        if (v.equals("reverse")) return true;
        if (v.equals("noreverse") || v.equals("no_reverse")) return false;
        d.error(c.args.get(i), c.keyword() + ": expected 'reverse' after the weight, not '" + v + "'");
        return false;
    }

    /**
     * A script line. notify-style lines ({@code userGroup}) are one word (quote it when it has arguments)
     * optionally followed by a user and group; {@code script} / {@code misc_path} take every word.
     */
    private ScriptSpec script(Node c, boolean userGroup) {
        noBlock(c);
        if (c.argc() == 0) {
            d.error(c.kw, c.keyword() + ": missing script");
            return null;
        }
        String user = null, group = null;
        List<String> argv;
        String command;
        if (userGroup || c.argc() == 1) {
            command = c.arg(0);
            argv = splitArgs(command);
            if (userGroup) {
                if (c.argc() > 1) user = c.arg(1);
                if (c.argc() > 2) group = c.arg(2);
                if (c.argc() > 3) d.warn(c.args.get(3), c.keyword() + ": words after the user and group are ignored (quote the script when it has arguments)");
            }
        } else {
            argv = c.argWords();
            command = String.join(" ", argv);
        }
        if (argv.isEmpty()) {
            d.error(c.args.get(0), c.keyword() + ": empty script");
            return null;
        }
        return new ScriptSpec(command, argv, user, group);
    }

    /** Splits a script string on whitespace; single or double quotes group words. */
    static List<String> splitArgs(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder sb = null;
        char q = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (q != 0) {
                if (ch == q) q = 0;
                else sb.append(ch);
            } else if (ch == '\'' || ch == '"') {
                q = ch;
                if (sb == null) sb = new StringBuilder();
            } else if (ch <= ' ') {
                if (sb != null) {
                    out.add(sb.toString());
                    sb = null;
                }
            } else {
                if (sb == null) sb = new StringBuilder();
                sb.append(ch);
            }
        }
        if (sb != null) out.add(sb.toString());
        return out;
    }
}
