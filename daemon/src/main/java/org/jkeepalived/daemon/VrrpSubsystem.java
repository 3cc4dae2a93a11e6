package org.jkeepalived.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.function.BiConsumer;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.config.StaticAddress;
import org.jkeepalived.core.config.StaticRoute;
import org.jkeepalived.core.config.VrrpInstance;
import org.jkeepalived.core.config.VrrpState;
import org.jkeepalived.core.time.MonotonicClock;
import org.jkeepalived.healthcheck.bfd.BfdService;
import org.jkeepalived.healthcheck.bfd.BfdState;
import org.jkeepalived.vrrp.engine.EngineListener;
import org.jkeepalived.vrrp.engine.HandoffResult;
import org.jkeepalived.vrrp.engine.InstanceStatus;
import org.jkeepalived.vrrp.engine.VrrpEngine;
import org.jkeepalived.vrrp.fsm.Action;
import org.jkeepalived.vrrp.io.NetIo;
import org.jkeepalived.vrrp.io.VipAddress;
import org.jkeepalived.vrrp.io.VirtualRoute;
import org.jkeepalived.vrrp.io.VirtualRule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** keepalived's VRRP side: the engine over the real network, its status in keepalived's JSON shape. */
final class VrrpSubsystem implements Subsystem, Daemon.ControlHandler {
    private static final Logger log = LoggerFactory.getLogger("Keepalived_vrrp");

    private final MeterRegistry registry;
    private final boolean keepVipsOnStop;
    /** (instance, new state) for ha_suspend and the sync daemon on the checker side. */
    private final BiConsumer<VrrpInstance, VrrpState> stateListener;
    private NetIo io;
    private List<VipAddress> staticAddrs = List.of();
    private List<VirtualRoute> staticRoutes = List.of();
    private List<VirtualRule> staticRules = List.of();
    private volatile VrrpEngine engine;
    private final NotifyFifos fifos;
    private final EmailAlerts mail;
    /** smtp_alert of instances and sync groups, fed the notifications the FIFOs get. */
    private final org.jkeepalived.vrrp.track.VrrpSmtpNotifier smtp;
    private volatile KeepalivedConfig config;

    private final BfdSubsystem bfd;

    VrrpSubsystem(MeterRegistry registry, boolean keepVipsOnStop, BiConsumer<VrrpInstance, VrrpState> stateListener,
                  BfdSubsystem bfd, NotifyFifos fifos, EmailAlerts mail) {
        this.fifos = fifos;
        this.mail = mail;
        this.smtp = mail == null ? null : new org.jkeepalived.vrrp.track.VrrpSmtpNotifier(mail.alerter());
        this.registry = registry;
        this.keepVipsOnStop = keepVipsOnStop;
        this.stateListener = stateListener;
        this.bfd = bfd;
        // track_bfd: every session change goes to the engine running now (it ignores names it does not track)
        if (bfd != null) bfd.addListener((name, state) -> {
            VrrpEngine e = engine;
            if (e != null) e.bfdStateChanged(name, state == BfdState.UP);
        });
    }

    /** Tells a new engine which sessions are Up already (changes after this reach it through the listener). */
    private void seedBfd(VrrpEngine e) {
        BfdService s = bfd == null ? null : bfd.service();
        if (s == null) return;
        for (org.jkeepalived.core.config.BfdInstance b : s.instances()) {
            if (s.state(b.name()) == BfdState.UP) e.bfdStateChanged(b.name(), true);
        }
    }

    @Override public String name() {
        return "vrrp";
    }

    @Override public void start(KeepalivedConfig cfg) throws Exception {
        config = cfg;
        if (cfg.vrrpInstances().isEmpty() && cfg.staticIpaddress().isEmpty() && cfg.staticRoutes().isEmpty()
                && cfg.staticRules().isEmpty()) {
            log.info("No vrrp_instance configured");
            return;
        }
        if (io == null) io = NetIo.openNative();
        applyStatic(cfg);
        if (bfd != null) bfd.apply(cfg);
        if (fifos != null) fifos.applyConfig(cfg);
        applyMail(cfg);
        if (!cfg.vrrpInstances().isEmpty()) {
            engine = VrrpEngine.start(cfg, io, MonotonicClock.SYSTEM, listener(), registry, null);
            seedBfd(engine);
        }
    }

    /**
     * static_ipaddress / static_routes / static_rules: set at start (as keepalived's VRRP process does), the
     * difference applied on reload, removed at stop.
     */
    private void applyStatic(KeepalivedConfig cfg) {
        List<VipAddress> wantAddrs = new ArrayList<>();
        for (StaticAddress a : cfg.staticIpaddress()) {
            if (a.dev() == null) log.error("static_ipaddress {}: no dev given; skipped", a.cidr());
            else wantAddrs.add(VipAddress.from(a, a.dev()));
        }
        List<VirtualRoute> wantRoutes = new ArrayList<>();
        for (StaticRoute r : cfg.staticRoutes()) {
            try {
                wantRoutes.add(VirtualRoute.parse(r.words(), null));
            } catch (RuntimeException e) {
                log.error("static_routes '{}': {}", String.join(" ", r.words()), e.getMessage());
            }
        }
        try {
            for (VirtualRoute r : staticRoutes) if (!wantRoutes.contains(r)) io.routes().remove(r);
            for (VipAddress a : staticAddrs) if (!wantAddrs.contains(a)) io.addresses().remove(a);
            for (VipAddress a : wantAddrs) if (!staticAddrs.contains(a)) io.addresses().add(a);
            for (VirtualRoute r : wantRoutes) if (!staticRoutes.contains(r)) io.routes().add(r);
        } catch (java.io.IOException e) {
            log.error("static addresses/routes: {}", e.getMessage());
        }
        staticAddrs = wantAddrs;
        staticRoutes = wantRoutes;
        List<VirtualRule> wantRules = new ArrayList<>();
        for (StaticRoute r : cfg.staticRules()) {
            try {
                wantRules.add(VirtualRule.parse(r.words(), false));
            } catch (RuntimeException e) {
                log.error("static_rules '{}': {}", String.join(" ", r.words()), e.getMessage());
            }
        }
        try {
            for (VirtualRule r : staticRules) if (!wantRules.contains(r)) io.rules().remove(r);
            for (VirtualRule r : wantRules) if (!staticRules.contains(r)) io.rules().add(r);
        } catch (java.io.IOException | RuntimeException e) {
            log.error("static_rules: {}", e.getMessage());
        }
        staticRules = wantRules;
    }

    private void applyMail(KeepalivedConfig cfg) {
        if (mail == null) return;
        mail.applyConfig(cfg);
        smtp.configure(cfg);
    }

    private void toFifos(String target, String name, VrrpState state, int priority) {
        if (fifos != null) fifos.vrrp(target, name, state.name(), priority);
    }

    /** fifo_write_vrrp_states_on_reload: every instance's and sync group's state after a reload. */
    private void writeStatesToFifos(KeepalivedConfig cfg) {
        if (!cfg.globalDefs().fifoWriteVrrpStatesOnReload() || engine == null) return;
        java.util.Map<String, InstanceStatus> byName = new java.util.HashMap<>();
        for (InstanceStatus s : engine.status()) {
            byName.put(s.iname(), s);
            toFifos("INSTANCE", s.iname(), s.state(), s.effectivePriority());
        }
        // a sync group is in its members' state (they move together); groups carry priority 0
        for (var g : cfg.vrrpSyncGroups()) {
            InstanceStatus first = g.group().isEmpty() ? null : byName.get(g.group().get(0));
            if (first != null) toFifos("GROUP", g.name(), first.state(), 0);
        }
    }

    private EngineListener listener() {
        return new EngineListener() {
            @Override public void onNotify(Action.Notify n) {
                if (n.state() != VrrpState.INIT) toFifos(n.target().name(), n.name(), n.state(), n.priority());
                if (smtp != null) smtp.onNotify(n);
            }

            @Override public void onStateChanged(Action.StateChanged c) {
                registry.counter("jkeepalived_vrrp_transitions", "iname", c.instance(), "from", c.from().name(),
                        "to", c.to().name()).increment();
                config.vrrpInstance(c.instance()).ifPresent(vi -> stateListener.accept(vi, c.to()));
            }
        };
    }

    /**
     * keepalived's SIGHUP: unchanged instances keep their state and VIPs (no transition, no GARP),
     * changed ones are adjusted in place, removed ones release their VIPs, new ones start.
     */
    @Override public void reload(KeepalivedConfig cfg) throws Exception {
        KeepalivedConfig old = config;
        config = cfg;
        if (engine == null || cfg.vrrpInstances().isEmpty()) {
            stopEngine();
            start(cfg);
            return;
        }
        if (bfd != null) bfd.apply(cfg);
        if (fifos != null) fifos.applyConfig(cfg);
        applyMail(cfg);
        try {
            engine.reload(cfg);
        } catch (IllegalArgumentException e) {
            config = old;
            throw e;
        }
        applyStatic(cfg);
        writeStatesToFifos(cfg);
    }

    @Override public void status(ObjectNode into) {
        ArrayNode arr = into.putArray("vrrp_instances");
        if (engine == null) return;
        for (InstanceStatus s : engine.status()) {
            ObjectNode o = arr.addObject();
            ObjectNode d = o.putObject("data");
            VrrpInstance vi = config.vrrpInstance(s.iname()).orElse(null);
            d.put("iname", s.iname());
            d.put("ifp_ifname", s.ifpIfname());
            d.put("vrid", s.vrid());
            d.put("state", s.state().number);
            d.put("wantstate", vi != null && vi.initialState() == VrrpState.MASTER ? 2 : 1);
            d.put("base_priority", s.basePriority());
            d.put("effective_priority", s.effectivePriority());
            // numbers as keepalived prints them: whole seconds without a fraction, flags as 0/1
            putSeconds(d, "adver_int", s.adverIntCentis());
            putSeconds(d, "master_adver_int", s.masterAdverIntCentis());
            d.put("version", s.version());
            if (vi != null) {
                d.put("accept", vi.accept() ? 1 : 0);
                d.put("nopreempt", vi.nopreempt());
                d.put("preempt_delay", vi.preemptDelay() == null ? 0 : vi.preemptDelay().toSeconds());
                d.put("garp_delay", vi.garpMasterDelay() == null ? 0 : vi.garpMasterDelay().toSeconds());
                d.put("garp_rep", vi.garpMasterRepeat());
            }
            ArrayNode vips = d.putArray("vips");
            s.vips().forEach(vips::add);
            d.put("last_transition", s.lastTransitionEpochMillis() / 1000.0);
            if (s.masterAddress() != null) d.put("master_ipaddr", s.masterAddress());
            ObjectNode st = o.putObject("stats");
            s.stats().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                    .forEach(e -> st.put(e.getKey(), e.getValue()));
        }
    }

    /** ctl handoff INSTANCE [SECONDS] / ctl handback INSTANCE: a graceful, drill-friendly master handover. */
    @Override public JsonNode handle(String cmd, JsonNode request) {
        if (!cmd.equals("handoff") && !cmd.equals("handback")) return null;
        ObjectNode reply = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        String instance = request.path("instance").asText(null);
        if (engine == null || instance == null) {
            return reply.put("ok", false).put("error", engine == null ? "no vrrp_instance runs here" : "instance name missing");
        }
        HandoffResult r;
        if (cmd.equals("handoff")) {
            Duration hold = request.has("seconds") ? Duration.ofSeconds(request.get("seconds").asLong()) : null;
            r = engine.handoff(instance, hold);
        } else {
            r = engine.handback(instance);
        }
        log.info("({}) {}: {}", instance, cmd, r.message());
        return reply.put("ok", r.changed()).put("outcome", r.outcome().name()).put("state", r.state() == null ? null : r.state().name())
                .put("effective_priority", r.effectivePriority()).put("message", r.message());
    }

    private static void putSeconds(ObjectNode o, String key, int centis) {
        if (centis % 100 == 0) o.put(key, centis / 100);
        else o.put(key, centis / 100.0);
    }

    private void stopEngine() {
        if (engine != null) {
            if (keepVipsOnStop) log.info("--dont-release-vrrp: leaving VIPs in place, no priority-0 advert");
            engine.stop(!keepVipsOnStop);
            engine = null;
        }
    }

    @Override public void close() {
        stopEngine(); // its STOP notifications are queued for the FIFOs, which close later
        if (io != null) {
            KeepalivedConfig none = new KeepalivedConfig(config.globalDefs(), List.of(), List.of(), List.of(), List.of(),
                    List.of(), List.of(), List.of(), List.of(), List.of());
            applyStatic(none);
            io.close();
            io = null;
        }
    }
}
