/**
 * {@link org.jkeepalived.vrrp.engine.VrrpEngine}: runs vrrp_instances by joining the pure state
 * machines ({@code fsm}), tracking ({@code track}) and the network ({@code io}). One
 * {@link org.jkeepalived.vrrp.engine.VrrpScheduler} thread owns all state and timers (a heap of
 * deadlines, not a wheel), one receiver thread per shared socket decodes adverts.
 */
package org.jkeepalived.vrrp.engine;
