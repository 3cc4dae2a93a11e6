package org.jkeepalived.vrrp.engine;

import org.jkeepalived.vrrp.fsm.Action;

/**
 * What the engine tells the daemon. Called on the VRRP scheduler thread: implementations must
 * return at once (run notify scripts on their own pool).
 */
public interface EngineListener {
    /** notify / notify_master / ... are due: {@code INSTANCE|GROUP name state priority}. */
    default void onNotify(Action.Notify notify) {
    }

    default void onStateChanged(Action.StateChanged change) {
    }

    EngineListener NONE = new EngineListener() {
    };
}
