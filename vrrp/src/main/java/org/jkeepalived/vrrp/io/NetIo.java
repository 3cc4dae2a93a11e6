package org.jkeepalived.vrrp.io;

import java.io.Closeable;
import java.io.IOException;

/**
 * Everything the VRRP engine needs from the network, as one object so tests can hand in fakes.
 * {@link #openNative()} gives the real one (jnr-ffi: raw sockets, rtnetlink, AF_PACKET; needs
 * CAP_NET_RAW and CAP_NET_ADMIN).
 */
public interface NetIo extends Closeable {
    VrrpSocket openVrrpSocket(VrrpSocketConfig config) throws IOException;

    AddressManager addresses();

    LinkMonitor links();

    GratuitousArp gratuitousArp();

    /** virtual_routes; implementations without routing may leave this unsupported. */
    default RouteManager routes() {
        throw new UnsupportedOperationException("virtual_routes are not supported by " + getClass().getSimpleName());
    }

    /** no_accept: drops traffic to a non-owner MASTER's VIPs. Fakes filter nothing by default. */
    default VipFilter vipFilter() {
        return VipFilter.NONE;
    }

    /** virtual_rules / static_rules; implementations without policy routing may leave this unsupported. */
    default RuleManager rules() {
        throw new UnsupportedOperationException("virtual_rules are not supported by " + getClass().getSimpleName());
    }

    /** use_vmac interfaces; implementations without macvlan support may leave this unsupported. */
    default VmacManager vmacs() {
        throw new UnsupportedOperationException("use_vmac is not supported by " + getClass().getSimpleName());
    }

    /**
     * The host's processes for vrrp_track_process; implementations without them may leave this
     * unsupported. The real one is opened on first use (and again after its last listener left);
     * {@code settings}: global_defs process_monitor_rcv_bufs[_force].
     */
    default ProcessMonitor processes(ProcessMonitor.Settings settings) {
        throw new UnsupportedOperationException("track_process is not supported by " + getClass().getSimpleName());
    }

    /**
     * How the engine's timer and receiver threads are scheduled: SCHED_RR at {@code rtPriority}
     * (1..99, global_defs' vrrp_rt_priority) when it is above 0, else the fair scheduler at nice
     * value {@code nice} (vrrp_priority; -10 when not configured, so adverts beat batch work).
     */
    record ThreadPriority(int nice, int rtPriority) {
        public static final ThreadPriority DEFAULT = new ThreadPriority(-10, 0);
    }

    /**
     * Called by the engine on its timer and receiver threads: lets a real implementation raise the
     * thread's scheduling priority so timers stay on time on a busy host. No-op by default.
     */
    default void prioritizeCurrentThread(ThreadPriority priority) {
    }

    @Override
    void close();

    static NetIo openNative() throws IOException {
        return org.jkeepalived.vrrp.io.nativeio.NativeNetIo.open();
    }
}
