package org.jkeepalived.vrrp.fsm;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.jkeepalived.core.config.VrrpState;
import org.jkeepalived.vrrp.codec.VrrpPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RFC 5798 state machine of one vrrp_instance (Initialize, Backup, Master) plus keepalived's
 * FAULT and STOP, pure: every input is a method call carrying the current monotonic time in
 * nanoseconds, every output is the returned list of {@link Action}s. It never reads a clock, never
 * sleeps and never touches the network.
 *
 * <p>One timer per instance: Master_Down_Timer in BACKUP, Adver_Timer in MASTER. When its deadline
 * moves the output holds {@link Action.ScheduleTimer} (or {@link Action.CancelTimer}); the caller
 * calls {@link #onTimer} at or after that time ({@link #nextDeadline()} says the same at any moment;
 * early or stale calls are ignored).
 *
 * <p>Timers: Master_Down_Interval = 3 × Master_Adver_Interval + Skew_Time, with the effective
 * priority, in nanoseconds (no rounding to centiseconds). Skew_Time is ((256 − priority) ×
 * Master_Adver_Interval) / 256 in v3 (RFC 5798) and (256 − priority) / 256 seconds in v2 whatever
 * the advert_int (RFC 3768; keepalived 2.2.7 the same). v3 learns Master_Adver_Interval from the
 * master's adverts; v2 always uses its own advert_int (mismatching v2 adverts are dropped).
 *
 * <p>preempt_delay as keepalived keeps it: the delay starts at the first lower-priority advert a
 * BACKUP hears (accepted until it runs out), an advert of our priority or higher stops it, and
 * leaving INIT, MASTER or FAULT forgets it.
 *
 * <p>Not thread-safe: drive it from one thread (the VRRP event loop).
 */
public final class VrrpInstanceFsm {
    private static final Logger log = LoggerFactory.getLogger(VrrpInstanceFsm.class);
    private static final long CENTI = 10_000_000L;

    private InstanceSettings settings;
    private VrrpState state = VrrpState.INIT;
    private int effectivePriority;
    private boolean trackFault;
    private boolean syncFault;
    private int masterAdverIntCentis;
    private boolean timerSet;
    private long deadline;
    private boolean preemptTimeSet;
    private long preemptTime;
    private InetAddress masterAddress;
    private int masterPriority;
    private boolean wantMaster;
    private String lastReason = "init";
    private long lastTransitionNanos;
    VrrpSyncGroupFsm group;

    public VrrpInstanceFsm(InstanceSettings settings) {
        this.settings = settings;
        this.effectivePriority = settings.basePriority();
        this.masterAdverIntCentis = settings.advertIntervalCentis();
    }

    // ---------------------------------------------------------------- inputs

    /** Initialize → Backup, or → Master for the address owner (priority 255), or → FAULT if tracking says so. */
    public List<Action> start(long now) {
        List<Action> out = new ArrayList<>();
        if (state != VrrpState.INIT && state != VrrpState.STOP) return out;
        masterAdverIntCentis = settings.advertIntervalCentis();
        masterAddress = null;
        wantMaster = false;
        if (faulted()) {
            out.add(new Action.ReleaseVips());
            transition(now, VrrpState.FAULT, "init", out);
            setTimer(false, 0, out);
        } else if (settings.addressOwner() && (group == null || group.mayBecomeMaster(this))) {
            log.info("({}) Receive advertisement timeout", name());
            becomeMaster(now, "init (address owner)", out);
        } else {
            out.add(new Action.ReleaseVips());
            enterBackup(now, "init", out);
        }
        return out;
    }

    /**
     * A decoded advert for this instance (VRID already matched by the dispatcher or not: checked
     * here too). {@code source} is the IP source address.
     */
    public List<Action> onAdvert(long now, VrrpPacket p, InetAddress source) {
        List<Action> out = new ArrayList<>();
        if (state != VrrpState.BACKUP && state != VrrpState.MASTER) return out;
        if (source != null && source.equals(settings.primaryAddress())) return out; // our own, looped back
        AdvertFilter.Rejection rej = AdvertFilter.check(settings, p, source, masterAddress);
        if (rej != null) {
            log.info("({}) {} from {} - discarding", name(), rej.detail(), addr(source));
            out.add(new Action.PacketRejected(rej.reason(), rej.detail(), true));
            return out;
        }
        out.add(new Action.AdvertReceived(p.priority(), source));
        int prio = p.priority();
        if (state == VrrpState.BACKUP) {
            if (prio == 0) {
                // The master is leaving: take over after Skew_Time only (RFC 5798 6.4.2).
                log.info("({}) Backup received priority 0 advertisement", name());
                setTimer(true, now + skewNanos(), out);
            } else if (settings.nopreempt() || prio >= effectivePriority
                    || (!settings.preemptDelay().isZero() && (!preemptTimeSet || now - preemptTime < 0))) {
                if (settings.version() == 3 && p.advertIntervalCentis() != masterAdverIntCentis) {
                    log.info("({}) advertisement interval updated from {}ms to {}ms by master", name(),
                            masterAdverIntCentis * 10, p.advertIntervalCentis() * 10);
                    masterAdverIntCentis = p.advertIntervalCentis();
                }
                masterAddress = source;
                masterPriority = prio;
                wantMaster = false;
                if (!settings.preemptDelay().isZero()) {
                    if (prio >= effectivePriority) {
                        preemptTimeSet = false; // a master as good as us: no delay running
                    } else if (!preemptTimeSet) {
                        log.info("({}) start preempt delay ({} s)", name(), settings.preemptDelay().toMillis() / 1000.0);
                        preemptTime = now + settings.preemptDelay().toNanos();
                        preemptTimeSet = true;
                    }
                }
                setTimer(true, now + masterDownNanos(), out);
            } else {
                log.info("({}) received lower priority ({}) advert from {} - discarding", name(), prio, addr(source));
            }
        } else { // MASTER
            if (prio == 0) {
                // Another master left: assert ourselves at once (RFC 5798 6.4.3).
                out.add(new Action.SendAdvert(effectivePriority));
                setTimer(true, now + adverNanos(), out);
            } else if (prio > effectivePriority || (prio == effectivePriority && higherAddress(source))) {
                log.info("({}) Master received advert from {} with higher priority {}, ours {}", name(),
                        addr(source), prio, effectivePriority);
                if (settings.higherPrioSendAdvert()) out.add(new Action.SendAdvert(effectivePriority));
                if (settings.version() == 3) masterAdverIntCentis = p.advertIntervalCentis();
                masterAddress = source;
                masterPriority = prio;
                out.add(new Action.ReleaseVips());
                enterBackup(now, "higher priority advert", out);
            } else {
                // keepalived 2.2.7 (observed): answers a lower-priority master at once so it backs
                // off without waiting and restarts its advert timer (unless lower_prio_no_advert),
                // and re-announces the VIPs either way (garp_lower_prio_repeat).
                boolean answer = !settings.lowerPrioNoAdvert();
                log.info("({}) Received advert from {} with lower priority {}, ours {}{}", name(), addr(source),
                        prio, effectivePriority, answer ? ", forcing new election" : "");
                if (answer) out.add(new Action.SendAdvert(effectivePriority));
                out.add(new Action.RefreshGarp());
                if (answer) setTimer(true, now + adverNanos(), out);
            }
        }
        return out;
    }

    /** The instance's timer (see {@link #nextDeadline()}); calls before the deadline do nothing. */
    public List<Action> onTimer(long now) {
        List<Action> out = new ArrayList<>();
        if (!timerSet || now - deadline < 0) return out;
        if (state == VrrpState.BACKUP) {
            log.info("({}) Receive advertisement timeout", name());
            if (group != null && !group.mayBecomeMaster(this)) {
                // A sync group goes master together: wait for the others (keepalived prefers backup).
                wantMaster = true;
                setTimer(true, now + masterDownNanos(), out);
            } else {
                becomeMaster(now, "master down timer", out);
            }
        } else if (state == VrrpState.MASTER) {
            out.add(new Action.SendAdvert(effectivePriority));
            setTimer(true, now + adverNanos(), out);
        } else {
            setTimer(false, 0, out);
        }
        return out;
    }

    /** Tracking says the instance cannot serve (interface down, weight-0 script failed...). */
    public List<Action> onFault(long now) {
        return onFault(now, "tracking");
    }

    public List<Action> onFault(long now, String reason) {
        List<Action> out = new ArrayList<>();
        trackFault = true;
        if (state == VrrpState.BACKUP || state == VrrpState.MASTER) enterFault(now, reason, out);
        return out;
    }

    public List<Action> onFaultCleared(long now) {
        List<Action> out = new ArrayList<>();
        trackFault = false;
        if (state == VrrpState.FAULT && !faulted()) leaveFault(now, out);
        return out;
    }

    /**
     * The effective priority computed by tracking. A master whose priority drops tells the others at
     * once (so a preempting backup stops accepting its adverts one interval earlier).
     */
    public List<Action> onPriorityChange(long now, int newEffectivePriority) {
        List<Action> out = new ArrayList<>();
        int p = settings.addressOwner() ? 255 : Math.max(1, Math.min(254, newEffectivePriority));
        if (p == effectivePriority) return out;
        log.info("({}) Changing effective priority from {} to {}", name(), effectivePriority, p);
        int old = effectivePriority;
        long skewBefore = skewNanos(old);
        effectivePriority = p;
        if (state == VrrpState.BACKUP && timerSet) {
            // Master_Down_Timer runs with our Skew_Time in it: move it by the change (keepalived too)
            setTimer(true, deadline + skewNanos(p) - skewBefore, out);
        } else if (state == VrrpState.MASTER && p < old) {
            out.add(new Action.SendAdvert(p));
            setTimer(true, now + adverNanos(), out);
        }
        return out;
    }

    /**
     * One call for a tracking update ({@code TrackingState.evaluate()}): applies the effective
     * priority, then enters or leaves FAULT as needed. Calling it with unchanged values does nothing.
     */
    public List<Action> onTracking(long now, int newEffectivePriority, boolean fault) {
        List<Action> out = new ArrayList<>(onPriorityChange(now, newEffectivePriority));
        if (fault && !trackFault) {
            out.addAll(onFault(now, "tracking"));
        } else if (!fault && trackFault) {
            out.addAll(onFaultCleared(now));
        }
        return out;
    }

    /** Stop (SIGTERM, reload removing the instance): a master sends priority 0 and releases its VIPs. */
    public List<Action> shutdown(long now) {
        List<Action> out = new ArrayList<>();
        if (state == VrrpState.STOP) return out;
        if (state == VrrpState.MASTER) {
            out.add(new Action.SendAdvert(0));
            log.info("({}) sent 0 priority", name());
            out.add(new Action.ReleaseVips());
        }
        setTimer(false, 0, out);
        if (state != VrrpState.INIT) {
            transition(now, VrrpState.STOP, "shutdown", out);
        } else {
            state = VrrpState.STOP;
        }
        return out;
    }

    /**
     * A graceful handover (ctl handoff): a MASTER sends priority 0, releases its VIPs and goes
     * BACKUP; other states are left alone. The caller lowers the effective priority afterwards so
     * the instance does not preempt back.
     */
    public List<Action> resign(long now, String reason) {
        List<Action> out = new ArrayList<>();
        if (state != VrrpState.MASTER) return out;
        out.add(new Action.SendAdvert(0));
        log.info("({}) sent 0 priority", name());
        out.add(new Action.ReleaseVips());
        masterAdverIntCentis = settings.advertIntervalCentis();
        masterAddress = null;
        enterBackup(now, reason, out);
        return out;
    }

    /**
     * Reload: new settings for a running instance (same interface, VRID and family). The state,
     * timer and learned master are kept; the next advert carries the new settings. A v2 instance (or
     * one that has not learned a master's interval) takes the new advert_int at once. The
     * effective priority is not touched here: the caller feeds the new one through
     * {@link #onPriorityChange}. Settings without a primary address keep the known one.
     */
    public void reconfigure(InstanceSettings s) {
        if (s.vrid() != settings.vrid() || s.ipv6() != settings.ipv6()) {
            throw new IllegalArgumentException("(" + name() + ") VRID or family cannot change in place");
        }
        if (s.primaryAddress() == null && settings.primaryAddress() != null) {
            s = s.withPrimaryAddress(settings.primaryAddress());
        }
        boolean learned = settings.version() == 3 && state == VrrpState.BACKUP && masterAddress != null;
        settings = s;
        if (!learned) masterAdverIntCentis = s.advertIntervalCentis();
        if (s.preemptDelay().isZero()) preemptTimeSet = false;
    }

    // ---------------------------------------------------------------- sync group hooks

    List<Action> syncToMaster(long now, String reason) {
        List<Action> out = new ArrayList<>();
        if (state == VrrpState.BACKUP) becomeMaster(now, reason, out);
        return out;
    }

    List<Action> syncToBackup(long now, String reason) {
        List<Action> out = new ArrayList<>();
        if (state == VrrpState.MASTER) {
            out.add(new Action.ReleaseVips());
            masterAdverIntCentis = settings.advertIntervalCentis();
            enterBackup(now, reason, out);
        }
        return out;
    }

    List<Action> syncToFault(long now, String reason) {
        List<Action> out = new ArrayList<>();
        syncFault = true;
        if (state == VrrpState.BACKUP || state == VrrpState.MASTER) enterFault(now, reason, out);
        return out;
    }

    List<Action> syncFaultCleared(long now) {
        List<Action> out = new ArrayList<>();
        syncFault = false;
        if (state == VrrpState.FAULT && !faulted()) leaveFault(now, out);
        return out;
    }

    void setSyncFault(boolean f) {
        syncFault = f;
    }

    boolean trackFault() {
        return trackFault;
    }

    boolean wantsMaster() {
        return wantMaster;
    }

    // ---------------------------------------------------------------- accessors

    public String name() {
        return settings.name();
    }

    public InstanceSettings settings() {
        return settings;
    }

    /** The io layer learns our source address after construction. */
    public void setPrimaryAddress(InetAddress a) {
        settings = settings.withPrimaryAddress(a);
    }

    public VrrpState state() {
        return state;
    }

    public int effectivePriority() {
        return effectivePriority;
    }

    /** True when tracking or the sync group holds the instance in FAULT. */
    public boolean faulted() {
        return trackFault || syncFault;
    }

    /** Accept_Mode for the io layer (drop traffic to the VIPs when false and not owner). */
    public boolean acceptMode() {
        return settings.acceptMode();
    }

    /** The advert to send now (for {@link Action.SendAdvert}): settings' advert with the given priority. */
    public VrrpPacket advert(int priority) {
        return settings.advert(priority);
    }

    public int masterAdverIntervalCentis() {
        return masterAdverIntCentis;
    }

    public InetAddress masterAddress() {
        return masterAddress;
    }

    public int masterPriority() {
        return masterPriority;
    }

    public OptionalLong nextDeadline() {
        return timerSet ? OptionalLong.of(deadline) : OptionalLong.empty();
    }

    public String lastTransitionReason() {
        return lastReason;
    }

    public long lastTransitionNanos() {
        return lastTransitionNanos;
    }

    /** Skew_Time in nanoseconds for the current effective priority (and v3's Master_Adver_Interval). */
    public long skewNanos() {
        return skewNanos(effectivePriority);
    }

    private long skewNanos(int priority) {
        long unit = settings.version() == 2 ? 1_000_000_000L : masterAdverIntCentis * CENTI;
        return (256L - priority) * unit / 256L;
    }

    /** Master_Down_Interval in nanoseconds. */
    public long masterDownNanos() {
        return (long) settings.downTimerAdverts() * masterAdverIntCentis * CENTI + skewNanos();
    }

    private long adverNanos() {
        return settings.advertIntervalCentis() * CENTI;
    }

    // ---------------------------------------------------------------- transitions

    private void becomeMaster(long now, String reason, List<Action> out) {
        wantMaster = false;
        masterAddress = settings.primaryAddress();
        masterPriority = effectivePriority;
        // keepalived's order: advert, addresses and gratuitous ARPs, then notify_master and the
        // FIFO line, so a script started by them finds the VIPs in place
        out.add(new Action.SendAdvert(effectivePriority));
        out.add(new Action.ClaimVips());
        transition(now, VrrpState.MASTER, reason, out);
        setTimer(true, now + adverNanos(), out);
    }

    private void enterBackup(long now, String reason, List<Action> out) {
        boolean fresh = state == VrrpState.INIT || state == VrrpState.STOP || state == VrrpState.FAULT;
        if (fresh || settings.version() == 2) {
            // From init / fault (or forced by a sync group) we know no master yet: use our own
            // interval until one teaches us its own. From MASTER the caller has just learned it.
            masterAdverIntCentis = settings.advertIntervalCentis();
        }
        preemptTimeSet = false;
        transition(now, VrrpState.BACKUP, reason, out);
        setTimer(true, now + masterDownNanos(), out);
    }

    private void enterFault(long now, String reason, List<Action> out) {
        if (state == VrrpState.MASTER) {
            // Tell the backups at once rather than letting them wait Master_Down_Interval.
            out.add(new Action.SendAdvert(0));
            log.info("({}) sent 0 priority", name());
            out.add(new Action.ReleaseVips());
        }
        wantMaster = false;
        transition(now, VrrpState.FAULT, reason, out);
        setTimer(false, 0, out);
    }

    private void leaveFault(long now, List<Action> out) {
        if (settings.addressOwner() && (group == null || group.mayBecomeMaster(this))) {
            becomeMaster(now, "fault cleared (address owner)", out);
        } else {
            enterBackup(now, "fault cleared", out);
        }
    }

    private void transition(long now, VrrpState to, String reason, List<Action> out) {
        VrrpState from = state;
        state = to;
        lastReason = reason;
        lastTransitionNanos = now;
        if (to == VrrpState.BACKUP && ("init".equals(reason))) {
            log.info("({}) Entering BACKUP STATE (init)", name());
        } else if (to == VrrpState.STOP) {
            log.info("({}) Stopping ({} STATE)", name(), from);
        } else {
            log.info("({}) Entering {} STATE ({})", name(), to, reason);
        }
        out.add(new Action.StateChanged(name(), from, to, reason));
        out.add(new Action.Notify(Action.Target.INSTANCE, name(), to, effectivePriority));
    }

    private void setTimer(boolean on, long at, List<Action> out) {
        if (on) {
            if (!timerSet || deadline != at) out.add(new Action.ScheduleTimer(at));
            timerSet = true;
            deadline = at;
        } else {
            if (timerSet) out.add(new Action.CancelTimer());
            timerSet = false;
        }
    }

    /** RFC 5798 6.4.3: on equal priority the higher primary IP address wins. */
    private boolean higherAddress(InetAddress source) {
        InetAddress mine = settings.primaryAddress();
        if (source == null) return false;
        if (mine == null) return true; // we cannot win a tie we cannot compare: yield
        return new BigInteger(1, source.getAddress()).compareTo(new BigInteger(1, mine.getAddress())) > 0;
    }

    private static String addr(InetAddress a) {
        return a == null ? "?" : a.getHostAddress();
    }
}
