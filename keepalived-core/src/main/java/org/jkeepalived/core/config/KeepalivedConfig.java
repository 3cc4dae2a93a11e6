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
        List<VirtualServer> virtualServers) {

    public KeepalivedConfig {
        staticIpaddress = List.copyOf(staticIpaddress);
        staticRoutes = List.copyOf(staticRoutes);
        staticRules = List.copyOf(staticRules);
        vrrpScripts = List.copyOf(vrrpScripts);
        trackFiles = List.copyOf(trackFiles);
        vrrpSyncGroups = List.copyOf(vrrpSyncGroups);
        vrrpInstances = List.copyOf(vrrpInstances);
        virtualServerGroups = List.copyOf(virtualServerGroups);
        virtualServers = List.copyOf(virtualServers);
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

    public Optional<VirtualServerGroup> virtualServerGroup(String name) {
        return virtualServerGroups.stream().filter(g -> g.name().equals(name)).findFirst();
    }

    /** The sync group that lists this instance, if any. */
    public Optional<VrrpSyncGroup> syncGroupOf(String instance) {
        return vrrpSyncGroups.stream().filter(g -> g.group().contains(instance)).findFirst();
    }
}
