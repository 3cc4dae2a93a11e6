package org.jkeepalived.core.config;

import java.util.List;
import java.util.Map;

/** vrrp_sync_group NAME { group { VI_1 VI_2 } notify_* track_* (track_bfd too) global_tracking sync_group_tracking_weight smtp_alert }. */
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
        List<TrackRef> trackBfds,
        boolean globalTracking,
        boolean syncGroupTrackingWeight,
        /** smtp_alert as written (null: not set, see {@link GlobalDefs.SmtpAlerts#forVrrp}). */
        Boolean smtpAlert,
        Map<String, List<List<String>>> options) {

    public VrrpSyncGroup {
        group = group == null ? List.of() : List.copyOf(group);
        trackInterfaces = trackInterfaces == null ? List.of() : List.copyOf(trackInterfaces);
        trackScripts = trackScripts == null ? List.of() : List.copyOf(trackScripts);
        trackFiles = trackFiles == null ? List.of() : List.copyOf(trackFiles);
        trackBfds = trackBfds == null ? List.of() : List.copyOf(trackBfds);
        options = Options.copy(options);
    }
}
