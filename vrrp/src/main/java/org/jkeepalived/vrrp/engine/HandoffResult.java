package org.jkeepalived.vrrp.engine;

import org.jkeepalived.core.config.VrrpState;

/**
 * What {@link VrrpEngine#handoff} or {@link VrrpEngine#handback} did.
 *
 * @param state             the instance's state after the call (null for an unknown instance)
 * @param effectivePriority its effective priority after the call (0 for an unknown instance)
 * @param message           one line for the operator, keepalived-log style
 */
public record HandoffResult(Outcome outcome, String instance, VrrpState state, int effectivePriority,
                            String message) {

    public enum Outcome {
        /** Was MASTER: sent priority 0, released its VIPs, now BACKUP holding priority 1. */
        HANDED_OFF,
        /** The hold was lifted: the configured priority is back (it may preempt). */
        HANDED_BACK,
        /** Not MASTER: nothing to hand over (the state says what it is). */
        NOT_MASTER,
        /** handback on an instance that holds no handoff. */
        NOT_HELD,
        /** priority 255: the address owner cannot give its addresses away. */
        ADDRESS_OWNER,
        UNKNOWN_INSTANCE
    }

    /** True when the call changed something (HANDED_OFF, HANDED_BACK). */
    public boolean changed() {
        return outcome == Outcome.HANDED_OFF || outcome == Outcome.HANDED_BACK;
    }
}
