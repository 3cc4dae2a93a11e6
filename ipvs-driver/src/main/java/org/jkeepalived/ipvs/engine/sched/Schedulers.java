package org.jkeepalived.ipvs.engine.sched;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jkeepalived.core.time.MonotonicClock;
import org.jkeepalived.ipvs.IpvsSemantics;

/** Builds a scheduler from its ipvsadm name and the service's scheduler flags. */
public final class Schedulers {
    private Schedulers() {}

    /** The 13 schedulers of Debian's 6.1 kernel, each built by {@link #create}. */
    public static final Set<String> NAMES = IpvsSemantics.KERNEL_SCHEDULERS;

    public static Scheduler create(String name, List<String> flags) {
        return create(name, flags, MonotonicClock.SYSTEM, MaglevHashing.DEFAULT_TABLE_SIZE,
                LocalityBasedLeastConnection.DEFAULT_EXPIRATION_NANOS);
    }

    /**
     * @param flags scheduler flags as keepalived/ipvsadm name them: sh-fallback, sh-port, mh-fallback,
     *              mh-port, or flag-1 / flag-2 (the same bits: flag-1 = fallback, flag-2 = port)
     */
    public static Scheduler create(String name, List<String> flags, MonotonicClock clock, int mhTableSize,
                                   long lblcExpirationNanos) {
        String n = name == null ? "wlc" : name.toLowerCase(Locale.ROOT);
        boolean flag1 = false;
        boolean flag2 = false;
        for (String f : flags) {
            String fl = f.toLowerCase(Locale.ROOT);
            if (fl.equals("sh-fallback") || fl.equals("mh-fallback") || fl.equals("flag-1")) flag1 = true;
            if (fl.equals("sh-port") || fl.equals("mh-port") || fl.equals("flag-2")) flag2 = true;
        }
        switch (n) {
            case "rr": return new RoundRobin();
            case "wrr": return new WeightedRoundRobin();
            case "lc": return new LeastConnection();
            case "wlc": return new WeightedLeastConnection();
            case "lblc": return new LocalityBasedLeastConnection(clock, lblcExpirationNanos);
            case "lblcr": return new LocalityBasedLeastConnectionWithReplication(clock, lblcExpirationNanos);
            case "dh": return new DestinationHashing();
            case "sh": return new SourceHashing(flag1, flag2);
            case "sed": return new ShortestExpectedDelay();
            case "nq": return new NeverQueue();
            case "fo": return new WeightedFailover();
            case "ovf": return new WeightedOverflow();
            case "mh": return new MaglevHashing(mhTableSize, flag1, flag2);
            default: throw new IllegalArgumentException("unknown scheduler '" + name + "'");
        }
    }
}
