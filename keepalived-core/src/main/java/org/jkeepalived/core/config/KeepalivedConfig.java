package org.jkeepalived.core.config;

import java.util.List;
import java.util.Optional;

/** The whole effective configuration: immutable, defaults filled in, includes resolved. */
public record KeepalivedConfig(
        GlobalDefs globalDefs,
        List<StaticAddress> staticIpaddress,
        List<StaticRoute> staticRoutes,
        List<StaticRoute> staticRules,
        List<VrrpScript> vrrpScripts,
        List<TrackFile> trackFiles,
        List<VrrpSyncGroup> vrrpSyncGroups,
        List<VrrpInstance> vrrpInstances,
        List<VirtualServerGroup> virtualServerGroups,
        List<VirtualServer> virtualServers,
        /** other top-level blocks of the man page, kept verbatim (see {@link RawBlock}). */
        List<RawBlock> otherBlocks,
        List<BfdInstance> bfdInstances,
        List<TrackProcess> trackProcesses) {

    public KeepalivedConfig {
        staticIpaddress = staticIpaddress == null ? List.of() : List.copyOf(staticIpaddress);
        staticRoutes = staticRoutes == null ? List.of() : List.copyOf(staticRoutes);
        staticRules = staticRules == null ? List.of() : List.copyOf(staticRules);
        vrrpScripts = vrrpScripts == null ? List.of() : List.copyOf(vrrpScripts);
        trackFiles = trackFiles == null ? List.of() : List.copyOf(trackFiles);
        vrrpSyncGroups = vrrpSyncGroups == null ? List.of() : List.copyOf(vrrpSyncGroups);
        vrrpInstances = vrrpInstances == null ? List.of() : List.copyOf(vrrpInstances);
        virtualServerGroups = virtualServerGroups == null ? List.of() : List.copyOf(virtualServerGroups);
        virtualServers = virtualServers == null ? List.of() : List.copyOf(virtualServers);
        otherBlocks = otherBlocks == null ? List.of() : List.copyOf(otherBlocks);
        bfdInstances = bfdInstances == null ? List.of() : List.copyOf(bfdInstances);
        trackProcesses = trackProcesses == null ? List.of() : List.copyOf(trackProcesses);
    }

    /** The constructor before trackProcesses was added. */
    public KeepalivedConfig(GlobalDefs globalDefs, List<StaticAddress> staticIpaddress,
                            List<StaticRoute> staticRoutes, List<StaticRoute> staticRules,
                            List<VrrpScript> vrrpScripts, List<TrackFile> trackFiles,
                            List<VrrpSyncGroup> vrrpSyncGroups, List<VrrpInstance> vrrpInstances,
                            List<VirtualServerGroup> virtualServerGroups, List<VirtualServer> virtualServers,
                            List<RawBlock> otherBlocks, List<BfdInstance> bfdInstances) {
        this(globalDefs, staticIpaddress, staticRoutes, staticRules, vrrpScripts, trackFiles, vrrpSyncGroups,
                vrrpInstances, virtualServerGroups, virtualServers, otherBlocks, bfdInstances, List.of());
    }

    /** The constructor before bfdInstances was added. */
    public KeepalivedConfig(GlobalDefs globalDefs, List<StaticAddress> staticIpaddress,
                            List<StaticRoute> staticRoutes, List<StaticRoute> staticRules,
                            List<VrrpScript> vrrpScripts, List<TrackFile> trackFiles,
                            List<VrrpSyncGroup> vrrpSyncGroups, List<VrrpInstance> vrrpInstances,
                            List<VirtualServerGroup> virtualServerGroups, List<VirtualServer> virtualServers,
                            List<RawBlock> otherBlocks) {
        this(globalDefs, staticIpaddress, staticRoutes, staticRules, vrrpScripts, trackFiles, vrrpSyncGroups,
                vrrpInstances, virtualServerGroups, virtualServers, otherBlocks, List.of(), List.of());
    }

    /** The constructor before otherBlocks was added (kept for callers building configs by hand). */
    public KeepalivedConfig(GlobalDefs globalDefs, List<StaticAddress> staticIpaddress,
                            List<StaticRoute> staticRoutes, List<StaticRoute> staticRules,
                            List<VrrpScript> vrrpScripts, List<TrackFile> trackFiles,
                            List<VrrpSyncGroup> vrrpSyncGroups, List<VrrpInstance> vrrpInstances,
                            List<VirtualServerGroup> virtualServerGroups, List<VirtualServer> virtualServers) {
        this(globalDefs, staticIpaddress, staticRoutes, staticRules, vrrpScripts, trackFiles, vrrpSyncGroups,
                vrrpInstances, virtualServerGroups, virtualServers, List.of(), List.of(), List.of());
    }

    public Optional<VrrpInstance> vrrpInstance(String name) {
        return vrrpInstances.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    public Optional<VrrpScript> vrrpScript(String name) {
        return vrrpScripts.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public Optional<TrackFile> trackFile(String name) {
        return trackFiles.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public Optional<TrackProcess> trackProcess(String name) {
        return trackProcesses.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public Optional<BfdInstance> bfdInstance(String name) {
        return bfdInstances.stream().filter(b -> b.name().equals(name)).findFirst();
    }

    public Optional<VirtualServerGroup> virtualServerGroup(String name) {
        return virtualServerGroups.stream().filter(g -> g.name().equals(name)).findFirst();
    }

    /** The sync group that lists this instance, if any. */
    public Optional<VrrpSyncGroup> syncGroupOf(String instance) {
        return vrrpSyncGroups.stream().filter(g -> g.group().contains(instance)).findFirst();
    }
}
