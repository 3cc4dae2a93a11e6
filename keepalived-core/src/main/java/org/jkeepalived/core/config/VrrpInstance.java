package org.jkeepalived.core.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * vrrp_instance NAME { ... } with keepalived's defaults filled in by the parser:
 * priority 100 (255 when the instance owns its addresses is the user's choice), advert_int 1 s,
 * version from global_defs' vrrp_version (2), garp_master_delay 5 s, garp_master_repeat 5,
 * accept unless vrrp_strict.
 */
public record VrrpInstance(
        String name,
        /** state MASTER|BACKUP as configured; null when absent (starts as BACKUP). */
        VrrpState initialState,
        String iface,
        int virtualRouterId,
        int priority,
        Duration advertInt,
        int version,
        /** true for IPv6 instances (decided by the VIPs' family, or native_ipv6). */
        boolean ipv6,
        boolean nopreempt,
        Duration preemptDelay,
        boolean accept,
        AuthType authType,
        String authPass,
        InetAddress mcastSrcIp,
        InetAddress unicastSrcIp,
        List<UnicastPeer> unicastPeers,
        List<StaticAddress> virtualIpaddresses,
        List<StaticAddress> virtualIpaddressExcluded,
        List<StaticRoute> virtualRoutes,
        List<StaticRoute> virtualRules,
        List<TrackRef> trackInterfaces,
        List<TrackRef> trackScripts,
        List<TrackRef> trackFiles,
        /** track_bfd: bfd_instance names; a null weight takes the bfd_instance's weight. */
        List<TrackRef> trackBfds,
        /** track_process: vrrp_track_process names; a null weight takes the vrrp_track_process's weight. */
        List<TrackRef> trackProcesses,
        boolean dontTrackPrimary,
        /** use_vmac [NAME]: null when not used, else the macvlan's name ("vrrp.VRID" by default). */
        String useVmac,
        boolean vmacXmitBase,
        Duration garpMasterDelay,
        int garpMasterRepeat,
        Duration garpMasterRefresh,
        int garpMasterRefreshRepeat,
        Duration garpLowerPrioDelay,
        int garpLowerPrioRepeat,
        ScriptSpec notifyMaster,
        ScriptSpec notifyBackup,
        ScriptSpec notifyFault,
        ScriptSpec notifyStop,
        ScriptSpec notifyGeneric,
        /** smtp_alert as written (null: not set, see {@link GlobalDefs.SmtpAlerts#forVrrp}). */
        Boolean smtpAlert,
        Integer unicastTtl,
        boolean oldUnicastChecksum,
        boolean strictMode,
        Map<String, List<List<String>>> options) {

    public VrrpInstance {
        unicastPeers = unicastPeers == null ? List.of() : List.copyOf(unicastPeers);
        virtualIpaddresses = virtualIpaddresses == null ? List.of() : List.copyOf(virtualIpaddresses);
        virtualIpaddressExcluded = virtualIpaddressExcluded == null ? List.of() : List.copyOf(virtualIpaddressExcluded);
        virtualRoutes = virtualRoutes == null ? List.of() : List.copyOf(virtualRoutes);
        virtualRules = virtualRules == null ? List.of() : List.copyOf(virtualRules);
        trackInterfaces = trackInterfaces == null ? List.of() : List.copyOf(trackInterfaces);
        trackScripts = trackScripts == null ? List.of() : List.copyOf(trackScripts);
        trackFiles = trackFiles == null ? List.of() : List.copyOf(trackFiles);
        trackBfds = trackBfds == null ? List.of() : List.copyOf(trackBfds);
        trackProcesses = trackProcesses == null ? List.of() : List.copyOf(trackProcesses);
        options = Options.copy(options);
    }

    /** The constructor before trackProcesses was added (kept for callers building instances by hand). */
    public VrrpInstance(String name, VrrpState initialState, String iface, int virtualRouterId, int priority,
                        Duration advertInt, int version, boolean ipv6, boolean nopreempt, Duration preemptDelay,
                        boolean accept, AuthType authType, String authPass, InetAddress mcastSrcIp,
                        InetAddress unicastSrcIp, List<UnicastPeer> unicastPeers,
                        List<StaticAddress> virtualIpaddresses, List<StaticAddress> virtualIpaddressExcluded,
                        List<StaticRoute> virtualRoutes, List<StaticRoute> virtualRules,
                        List<TrackRef> trackInterfaces, List<TrackRef> trackScripts, List<TrackRef> trackFiles,
                        List<TrackRef> trackBfds, boolean dontTrackPrimary, String useVmac, boolean vmacXmitBase,
                        Duration garpMasterDelay, int garpMasterRepeat, Duration garpMasterRefresh,
                        int garpMasterRefreshRepeat, Duration garpLowerPrioDelay, int garpLowerPrioRepeat,
                        ScriptSpec notifyMaster, ScriptSpec notifyBackup, ScriptSpec notifyFault,
                        ScriptSpec notifyStop, ScriptSpec notifyGeneric, boolean smtpAlert, Integer unicastTtl,
                        boolean oldUnicastChecksum, boolean strictMode, Map<String, List<List<String>>> options) {
        this(name, initialState, iface, virtualRouterId, priority, advertInt, version, ipv6, nopreempt, preemptDelay,
                accept, authType, authPass, mcastSrcIp, unicastSrcIp, unicastPeers, virtualIpaddresses,
                virtualIpaddressExcluded, virtualRoutes, virtualRules, trackInterfaces, trackScripts, trackFiles,
                trackBfds, List.of(), dontTrackPrimary, useVmac, vmacXmitBase, garpMasterDelay, garpMasterRepeat,
                garpMasterRefresh, garpMasterRefreshRepeat, garpLowerPrioDelay, garpLowerPrioRepeat, notifyMaster,
                notifyBackup, notifyFault, notifyStop, notifyGeneric, smtpAlert, unicastTtl, oldUnicastChecksum,
                strictMode, options);
    }

    /** Priority 255 marks the address owner. */
    public boolean addressOwner() {
        return priority == 255;
    }

    /** The same instance tracking these instead (the config's rules for sync groups and address owners). */
    public VrrpInstance withTracking(List<TrackRef> ifs, List<TrackRef> scripts, List<TrackRef> files, List<TrackRef> bfds) {
        return withTracking(ifs, scripts, files, bfds, trackProcesses);
    }

    public VrrpInstance withTracking(List<TrackRef> ifs, List<TrackRef> scripts, List<TrackRef> files, List<TrackRef> bfds,
                                     List<TrackRef> processes) {
        return new VrrpInstance(
                name, initialState, iface, virtualRouterId, priority, advertInt, version, ipv6, nopreempt,
                preemptDelay, accept, authType, authPass, mcastSrcIp, unicastSrcIp, unicastPeers, virtualIpaddresses,
                virtualIpaddressExcluded, virtualRoutes, virtualRules, ifs, scripts, files, bfds, processes, dontTrackPrimary,
                useVmac, vmacXmitBase, garpMasterDelay, garpMasterRepeat, garpMasterRefresh, garpMasterRefreshRepeat,
                garpLowerPrioDelay, garpLowerPrioRepeat, notifyMaster, notifyBackup, notifyFault, notifyStop,
                notifyGeneric, smtpAlert, unicastTtl, oldUnicastChecksum, strictMode, options);
    }
}
