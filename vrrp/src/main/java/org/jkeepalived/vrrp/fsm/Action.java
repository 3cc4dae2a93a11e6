package org.jkeepalived.vrrp.fsm;

import java.net.InetAddress;
import org.jkeepalived.core.config.VrrpState;
import org.jkeepalived.vrrp.codec.RejectReason;

/**
 * What the state machine asks the outside world to do, in order. The io engine executes them;
 * {@code VrrpMetrics} counts them. Java 17: dispatch with instanceof, not switch patterns.
 */
public sealed interface Action {

    /** Send one advertisement now with this priority (0 = "I am leaving", on shutdown or fault). */
    record SendAdvert(int priority) implements Action {}

    /** Become the owner of the VIPs: add virtual_ipaddress (and routes/rules), then send GARP / unsolicited NA. */
    record ClaimVips() implements Action {}

    /**
     * Stop owning the VIPs: remove them (idempotent; also emitted on start so addresses left by a
     * killed earlier run are removed while we are not master).
     */
    record ReleaseVips() implements Action {}

    /**
     * Still master, but a lower-priority master was heard: send the VIPs' gratuitous ARPs /
     * unsolicited NAs again (garp_lower_prio_repeat now, another set garp_lower_prio_delay later)
     * without re-adding the addresses, so the network's caches point at us again.
     */
    record RefreshGarp() implements Action {}

    /** Run notify scripts / write the notify FIFO: {@code INSTANCE|GROUP name state priority}. */
    record Notify(Target target, String name, VrrpState state, int priority) implements Action {}

    enum Target { INSTANCE, GROUP }

    /** A transition, for logs, metrics (become_master / release_master) and dumps. */
    record StateChanged(String instance, VrrpState from, VrrpState to, String reason) implements Action {}

    /** The instance's single timer now expires at this {@link org.jkeepalived.core.time.MonotonicClock#nanoTime()} value. */
    record ScheduleTimer(long deadlineNanos) implements Action {}

    /** The instance has no timer running any more. */
    record CancelTimer() implements Action {}

    /** A valid advertisement for this instance was processed (advert_rcvd; pri_zero_rcvd when priority is 0). */
    record AdvertReceived(int priority, InetAddress source) implements Action {}

    /**
     * An advertisement failed an instance-level check. {@code dropped} false means it was only
     * counted and logged (keepalived does that for some mismatches) and then processed.
     */
    record PacketRejected(RejectReason reason, String detail, boolean dropped) implements Action {}
}
