package org.jkeepalived.core.config;

import java.util.List;
import java.util.Map;

/** vrrp_sync_group NAME { group { VI_1 VI_2 } notify_* track_* (track_bfd, track_process too) global_tracking sync_group_tracking_weight smtp_alert }. */
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
        /** track_process: vrrp_track_process names; a null weight takes the vrrp_track_process's weight. */
        List<TrackRef> trackProcesses,
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
        trackProcesses = trackProcesses == null ? List.of() : List.copyOf(trackProcesses);
        options = Options.copy(options);
    }
}
