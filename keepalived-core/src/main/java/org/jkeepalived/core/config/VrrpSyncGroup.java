package org.jkeepalived.core.config;

import java.util.List;
import java.util.Map;

/** vrrp_sync_group NAME { group { VI_1 VI_2 } notify_* track_* global_tracking sync_group_tracking_weight }. */
public record VrrpSyncGroup(
        String name,
        List<String> group,
        ScriptSpec notifyMaster,
        ScriptSpec notifyBackup,
        ScriptSpec notifyFault,
        ScriptSpec notifyStop,
        ScriptSpec notifyGeneric,
        List<TrackRef> trackInterfaces,
        List<TrackRef> trackScripts,
        List<TrackRef> trackFiles,
        boolean globalTracking,
        boolean syncGroupTrackingWeight,
        Map<String, List<List<String>>> options) {

    public VrrpSyncGroup {
        group = List.copyOf(group);
        trackInterfaces = List.copyOf(trackInterfaces);
        trackScripts = List.copyOf(trackScripts);
        trackFiles = List.copyOf(trackFiles);
        options = Options.copy(options);
    }
}
