package org.jkeepalived.vrrp.io.nativeio;

import java.io.IOException;
import org.jkeepalived.vrrp.io.AddressManager;
import org.jkeepalived.vrrp.io.GratuitousArp;
import org.jkeepalived.vrrp.io.LinkMonitor;
import org.jkeepalived.vrrp.io.NetIo;
import org.jkeepalived.vrrp.io.VrrpSocket;
import org.jkeepalived.vrrp.io.VrrpSocketConfig;

/** The real {@link NetIo}: one rtnetlink socket for addresses, one link monitor, one AF_PACKET socket. */
public final class NativeNetIo implements NetIo {
    private final NetlinkAddressManager addresses;
    private final NetlinkLinkMonitor links;
    private final PacketGratuitousArp garp;
    private NetlinkRouteManager routes;
    /** nft runs are bounded: a hung nft must not hold the VRRP thread for long. */
    private final org.jkeepalived.vrrp.io.VipFilter vipFilter = org.jkeepalived.vrrp.io.NftVipFilter.system(3000);
    private NetlinkRuleManager rules;
    private NetlinkVmacManager vmacs;
    private org.jkeepalived.vrrp.io.ProcessMonitor processes;

    private NativeNetIo(NetlinkAddressManager addresses, NetlinkLinkMonitor links, PacketGratuitousArp garp) {
        this.addresses = addresses;
        this.links = links;
        this.garp = garp;
    }

    public static NativeNetIo open() throws IOException {
        NetlinkAddressManager a = new NetlinkAddressManager();
        NetlinkLinkMonitor l = null;
        try {
            l = NetlinkLinkMonitor.open();
            return new NativeNetIo(a, l, new PacketGratuitousArp(l));
        } catch (IOException | RuntimeException e) {
            a.close();
            if (l != null) {
                l.close();
            }
            throw e;
        }
    }

    @Override
    public VrrpSocket openVrrpSocket(VrrpSocketConfig config) throws IOException {
        return RawVrrpSocket.open(config);
    }

    @Override
    public AddressManager addresses() {
        return addresses;
    }

    @Override
    public LinkMonitor links() {
        return links;
    }

    @Override
    public GratuitousArp gratuitousArp() {
        return garp;
    }

    private static final int SCHED_RR = 2;

    @Override
    public void prioritizeCurrentThread(ThreadPriority p) {
        prioritize(p);
    }

    static void prioritize(ThreadPriority p) {
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(NativeNetIo.class);
        try {
            int tid = Native.C.gettid();
            if (p.rtPriority() > 0) {
                if (Native.C.sched_setscheduler(tid, SCHED_RR, new int[] {p.rtPriority()}) == 0) return;
                // not root, or RLIMIT_RTPRIO: keep to the nice value, as a daemon without the right would
                log.warn("vrrp_rt_priority {}: {}; using nice {}", p.rtPriority(),
                        Native.error("sched_setscheduler").getMessage(), p.nice());
            }
            if (Native.C.setpriority(0 /* PRIO_PROCESS: a tid names one thread */, tid, p.nice()) < 0) {
                log.debug("setpriority: {}", Native.error("setpriority").getMessage());
            }
        } catch (RuntimeException | LinkageError e) {
            // an old libc without gettid: keep the default priority
        }
    }

    @Override
    public org.jkeepalived.vrrp.io.VipFilter vipFilter() {
        return vipFilter;
    }

    /** Opened on first use: most configurations have no virtual_routes. */
    @Override
    public synchronized org.jkeepalived.vrrp.io.RouteManager routes() {
        if (routes == null) {
            try {
                routes = new NetlinkRouteManager();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return routes;
    }

    /** Opened on first use, as routes. */
    @Override
    public synchronized org.jkeepalived.vrrp.io.RuleManager rules() {
        if (rules == null) {
            try {
                rules = new NetlinkRuleManager();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return rules;
    }

    /** Opened on first use, as routes. */
    @Override
    public synchronized org.jkeepalived.vrrp.io.VmacManager vmacs() {
        if (vmacs == null) {
            try {
                vmacs = new NetlinkVmacManager(links, addresses);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return vmacs;
    }

    /**
     * Opened on first use (vrrp_track_process), and again after the last listener left (which
     * closes the connector): the kernel's process events connector, else (not root, a PID or user
     * namespace other than the initial one, no CONFIG_PROC_EVENTS) /proc read every second, with a
     * warning.
     */
    @Override
    public synchronized org.jkeepalived.vrrp.io.ProcessMonitor processes(org.jkeepalived.vrrp.io.ProcessMonitor.Settings settings) {
        if (processes instanceof ProcConnectorMonitor m) {
            if (!m.isClosed()) {
                m.apply(settings);
                return m;
            }
            processes = null;
        }
        if (processes == null) {
            org.jkeepalived.vrrp.io.ProcFs proc = org.jkeepalived.vrrp.io.ProcFs.SYSTEM;
            try {
                processes = ProcConnectorMonitor.open(proc, settings);
            } catch (IOException | RuntimeException | LinkageError e) {
                org.slf4j.LoggerFactory.getLogger(NativeNetIo.class).warn(
                        "track_process: cannot follow the kernel's process events ({}) - reading /proc every second instead",
                        e.getMessage());
                processes = new org.jkeepalived.vrrp.io.PollingProcessMonitor(proc, java.time.Duration.ofSeconds(1));
            }
        }
        return processes;
    }

    @Override
    public synchronized void close() {
        if (processes != null) {
            processes.close();
        }
        if (routes != null) {
            routes.close();
        }
        if (rules != null) {
            rules.close();
        }
        if (vmacs != null) {
            vmacs.close();
        }
        garp.close();
        links.close();
        addresses.close();
    }
}
