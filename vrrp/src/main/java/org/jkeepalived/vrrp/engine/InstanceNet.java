package org.jkeepalived.vrrp.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jkeepalived.core.config.StaticRoute;
import org.jkeepalived.core.config.VrrpInstance;
import org.jkeepalived.vrrp.io.NetIo;
import org.jkeepalived.vrrp.io.VirtualRule;
import org.jkeepalived.vrrp.io.Vmac;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An instance's use_vmac interface and virtual_rules (kept apart from {@link VrrpEngine}, which
 * calls these from a few hooks; all on the scheduler thread, except {@link #removeVmac} on stop).
 * The VMAC is created when the instance is (or when its base interface appears) and deleted when
 * the instance stops; rules are added with the VIPs (MASTER) and removed with them.
 */
final class InstanceNet {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceNet.class);

    private final String name;
    private Vmac vmac;
    private boolean vmacCreated;
    private List<VirtualRule> rules = List.of();
    private List<VirtualRule> rulesBefore = List.of();

    InstanceNet(String name) {
        this.name = name;
    }

    /**
     * Where the adverts go and come from: the VMAC, unless vmac_xmit_base (or no use_vmac). Unicast
     * implies vmac_xmit_base, as keepalived sets it then.
     */
    static String socketIface(VrrpInstance vi) {
        Vmac v = Vmac.of(vi);
        return v == null || vi.vmacXmitBase() || !vi.unicastPeers().isEmpty() ? vi.iface() : v.name();
    }

    /** The interface of VIPs that name none: the VMAC with use_vmac. */
    static String vipIface(VrrpInstance vi) {
        Vmac v = Vmac.of(vi);
        return v == null ? vi.iface() : v.name();
    }

    /** True when a reload changing these must restart the instance (its VMAC changes). */
    static boolean vmacChanged(VrrpInstance a, VrrpInstance b) {
        return !java.util.Objects.equals(Vmac.of(a), Vmac.of(b)) || a.vmacXmitBase() != b.vmacXmitBase();
    }

    /** At creation and reload: the VMAC wanted and the rules (a bad line is logged and skipped). */
    void configure(VrrpInstance c) {
        vmac = Vmac.of(c);
        if (vmac != null && !c.vmacXmitBase() && !c.unicastPeers().isEmpty()) {
            LOG.warn("({}) unicast with use_vmac requires vmac_xmit_base - setting", name);
        }
        String bad = Vmac.addressProblem(c);
        if (bad != null) {
            LOG.error("({}) {} - using {}", name, bad, vmac.macString());
        }
        rulesBefore = rules;
        List<VirtualRule> r = new ArrayList<>();
        for (StaticRoute sr : c.virtualRules()) {
            try {
                r.add(VirtualRule.parse(sr.words(), c.ipv6()));
            } catch (RuntimeException e) {
                LOG.error("({}) virtual_rules '{}': {} - ignoring", name, String.join(" ", sr.words()),
                        e.getMessage());
            }
        }
        rules = r;
    }

    /** Creates the VMAC if the instance has one and its base exists; false on failure (FAULT). */
    boolean ensureVmac(NetIo io) {
        if (vmac == null || (vmacCreated && io.links().link(vmac.name()).isPresent())) {
            return true;
        }
        if (io.links().link(vmac.base()).isEmpty()) {
            return false;
        }
        try {
            io.vmacs().create(vmac);
            vmacCreated = true;
            LOG.info("({}) VMAC {} ({}) on {}", name, vmac.name(), vmac.macString(), vmac.base());
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.error("({}) cannot create VMAC interface {}: {}", name, vmac.name(), e.getMessage());
            return false;
        }
    }

    /**
     * A link event: the base (re)appeared (a deleted base took its macvlan with it), or the VMAC was
     * deleted under us; either way it is made again. (Our own deletions happen on stop, when the
     * engine no longer listens, or after the instance left the engine.)
     */
    void onLink(NetIo io, String link, boolean exists) {
        if (vmac == null || io.links().link(vmac.name()).isPresent()) {
            return;
        }
        if (exists && link.equals(vmac.base())) {
            vmacCreated = false;
            ensureVmac(io);
        } else if (!exists && link.equals(vmac.name()) && vmacCreated) {
            LOG.warn("({}) VMAC interface {} was deleted - creating it again", name, vmac.name());
            vmacCreated = false;
            ensureVmac(io);
        }
    }

    void removeVmac(NetIo io) {
        if (vmac == null || !vmacCreated) {
            return;
        }
        vmacCreated = false;
        try {
            if (io.vmacs().remove(vmac.name())) {
                LOG.info("({}) removed VMAC interface {}", name, vmac.name());
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("({}) cannot remove VMAC interface {}: {}", name, vmac.name(), e.getMessage());
        }
    }

    void addRules(NetIo io) {
        if (!rules.isEmpty()) {
            LOG.info("({}) setting Virtual Rules", name);
        }
        for (VirtualRule r : rules) {
            add(io, r);
        }
    }

    /** Removes every rule; true when one was there. */
    boolean removeRules(NetIo io) {
        boolean any = false;
        for (VirtualRule r : rules) {
            any |= remove(io, r);
        }
        if (any) {
            LOG.info("({}) removing Virtual Rules", name);
        }
        return any;
    }

    /** Reload while MASTER: drops the rules no longer configured, adds the new ones. */
    void changeRules(NetIo io) {
        for (VirtualRule r : rulesBefore) {
            if (!rules.contains(r)) {
                remove(io, r);
            }
        }
        for (VirtualRule r : rules) {
            if (!rulesBefore.contains(r)) {
                add(io, r);
            }
        }
    }

    private void add(NetIo io, VirtualRule r) {
        try {
            io.rules().add(r);
        } catch (IOException | RuntimeException e) {
            LOG.error("({}) cannot add rule {}: {}", name, r, e.getMessage());
        }
    }

    private boolean remove(NetIo io, VirtualRule r) {
        try {
            return io.rules().remove(r);
        } catch (IOException | RuntimeException e) {
            LOG.error("({}) cannot remove rule {}: {}", name, r, e.getMessage());
            return false;
        }
    }

    List<VirtualRule> rules() {
        return rules;
    }
}
