/**
 * The pure VRRP state machine: {@link org.jkeepalived.vrrp.fsm.VrrpInstanceFsm} per vrrp_instance
 * and {@link org.jkeepalived.vrrp.fsm.VrrpSyncGroupFsm} for vrrp_sync_group. Inputs are method calls
 * with the current monotonic nanoseconds, outputs are {@link org.jkeepalived.vrrp.fsm.Action} lists
 * for the engine to execute in order. {@link org.jkeepalived.vrrp.fsm.VrrpMetrics} counts them.
 */
package org.jkeepalived.vrrp.fsm;
