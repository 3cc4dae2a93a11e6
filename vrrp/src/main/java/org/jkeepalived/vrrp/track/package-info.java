/**
 * Tracking and scripts: {@link org.jkeepalived.vrrp.track.TrackingState} /
 * {@link org.jkeepalived.vrrp.track.PriorityCalculator} (effective priority and FAULT from
 * interfaces, scripts, files, BFD sessions and processes), {@link org.jkeepalived.vrrp.track.ScriptTracker}
 * (vrrp_script schedule and rise/fall), {@link org.jkeepalived.vrrp.track.ProcessTracker}
 * (vrrp_track_process counts, quorum and delays), {@link org.jkeepalived.vrrp.track.ScriptRunner} with the non-blocking
 * {@link org.jkeepalived.vrrp.track.ProcessScriptRunner}, and
 * {@link org.jkeepalived.vrrp.track.NotifyDispatcher} for notify scripts.
 */
package org.jkeepalived.vrrp.track;
