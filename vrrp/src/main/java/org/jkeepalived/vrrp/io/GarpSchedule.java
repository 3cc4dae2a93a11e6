package org.jkeepalived.vrrp.io;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jkeepalived.core.config.GlobalDefs;
import org.jkeepalived.core.config.VrrpInstance;

/**
 * When to announce the VIPs after becoming MASTER, as keepalived does: a burst of
 * {@code garp_master_repeat} announcements at once, a second burst after {@code garp_master_delay}
 * (0 = none), then, if {@code garp_master_refresh} is set, {@code garp_master_refresh_repeat}
 * announcements every refresh period while MASTER. Announcements inside a burst are spaced by
 * {@code vrrp_garp_interval} (0 = back to back).
 */
public record GarpSchedule(Duration masterDelay, int masterRepeat, Duration masterRefresh, int refreshRepeat,
                           Duration interval) {
    public GarpSchedule {
        masterDelay = masterDelay == null ? Duration.ZERO : masterDelay;
        masterRefresh = masterRefresh == null ? Duration.ZERO : masterRefresh;
        interval = interval == null ? Duration.ZERO : interval;
        if (masterRepeat < 0 || refreshRepeat < 0) {
            throw new IllegalArgumentException("negative repeat");
        }
    }

    /** keepalived's defaults: delay 5 s, repeat 5, no refresh. */
    public static final GarpSchedule DEFAULT = new GarpSchedule(Duration.ofSeconds(5), 5, Duration.ZERO, 1,
            Duration.ZERO);

    public static GarpSchedule from(VrrpInstance vi, GlobalDefs global) {
        Duration interval = global == null ? Duration.ZERO : global.vrrpGarpInterval();
        if (vi.ipv6() && global != null && global.vrrpGnaInterval() != null) {
            interval = global.vrrpGnaInterval();
        }
        return new GarpSchedule(vi.garpMasterDelay(), vi.garpMasterRepeat(), vi.garpMasterRefresh(),
                vi.garpMasterRefreshRepeat(), interval);
    }

    /** Offsets from the MASTER transition at which each announcement of the VIPs is due. */
    public List<Duration> afterTransition() {
        List<Duration> out = new ArrayList<>();
        for (int i = 0; i < masterRepeat; i++) {
            out.add(interval.multipliedBy(i));
        }
        if (!masterDelay.isZero()) {
            for (int i = 0; i < masterRepeat; i++) {
                out.add(masterDelay.plus(interval.multipliedBy(i)));
            }
        }
        return out;
    }

    /** Offsets inside one refresh round, counted from the round's start. */
    public List<Duration> refreshBurst() {
        List<Duration> out = new ArrayList<>();
        for (int i = 0; i < refreshRepeat; i++) {
            out.add(interval.multipliedBy(i));
        }
        return out;
    }

    public boolean refreshes() {
        return !masterRefresh.isZero() && refreshRepeat > 0;
    }
}
