package org.jkeepalived.vrrp.fsm;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.jkeepalived.core.config.AuthType;
import org.jkeepalived.core.config.VrrpState;

/** Test helpers: settings with keepalived's defaults, addresses, action lookups. */
final class Fixtures {
    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;

    private Fixtures() {
    }

    static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** v3, advert_int 1 s, BACKUP, preempt, accept, VIP 10.0.0.100, our address 10.0.0.1. */
    static InstanceSettings v3(String name, int prio) {
        return new InstanceSettings(name, "eth0", 51, 3, false, prio, 100, VrrpState.BACKUP, false, Duration.ZERO,
                true, AuthType.NONE, null, List.of(ip("10.0.0.100")), ip("10.0.0.1"), false, false, false, false, 3);
    }

    /** v2, advert_int 1 s, PASS "secret". */
    static InstanceSettings v2(String name, int prio) {
        return new InstanceSettings(name, "eth0", 51, 2, false, prio, 100, VrrpState.BACKUP, false, Duration.ZERO,
                true, AuthType.PASS, "secret", List.of(ip("10.0.0.100")), ip("10.0.0.1"), false, false, false, false, 3);
    }

    static InstanceSettings with(InstanceSettings s, boolean nopreempt, Duration preemptDelay, int intervalCentis) {
        return new InstanceSettings(s.name(), s.iface(), s.vrid(), s.version(), s.ipv6(), s.basePriority(), intervalCentis,
                s.initialState(), nopreempt, preemptDelay, s.accept(), s.authType(), s.authPass(), s.virtualAddresses(),
                s.primaryAddress(), s.lowerPrioNoAdvert(), s.higherPrioSendAdvert(), s.skipCheckAdvAddr(), s.oldUnicastChecksum(), s.downTimerAdverts());
    }

    static InstanceSettings withVrid(InstanceSettings s, int vrid, String vip) {
        return new InstanceSettings(s.name(), s.iface(), vrid, s.version(), s.ipv6(), s.basePriority(), s.advertIntervalCentis(),
                s.initialState(), s.nopreempt(), s.preemptDelay(), s.accept(), s.authType(), s.authPass(), List.of(ip(vip)),
                s.primaryAddress(), s.lowerPrioNoAdvert(), s.higherPrioSendAdvert(), s.skipCheckAdvAddr(), s.oldUnicastChecksum(), s.downTimerAdverts());
    }

    static InstanceSettings lowerPrioNoAdvert(InstanceSettings s) {
        return new InstanceSettings(s.name(), s.iface(), s.vrid(), s.version(), s.ipv6(), s.basePriority(), s.advertIntervalCentis(),
                s.initialState(), s.nopreempt(), s.preemptDelay(), s.accept(), s.authType(), s.authPass(), s.virtualAddresses(),
                s.primaryAddress(), true, s.higherPrioSendAdvert(), s.skipCheckAdvAddr(), s.oldUnicastChecksum(), s.downTimerAdverts());
    }

    static InstanceSettings higherPrioSendAdvert(InstanceSettings s) {
        return new InstanceSettings(s.name(), s.iface(), s.vrid(), s.version(), s.ipv6(), s.basePriority(), s.advertIntervalCentis(),
                s.initialState(), s.nopreempt(), s.preemptDelay(), s.accept(), s.authType(), s.authPass(), s.virtualAddresses(),
                s.primaryAddress(), s.lowerPrioNoAdvert(), true, s.skipCheckAdvAddr(), s.oldUnicastChecksum(), s.downTimerAdverts());
    }

    static <T extends Action> List<T> all(List<Action> actions, Class<T> type) {
        return actions.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T extends Action> T one(List<Action> actions, Class<T> type) {
        List<T> l = all(actions, type);
        if (l.size() != 1) throw new AssertionError("expected one " + type.getSimpleName() + " in " + actions);
        return l.get(0);
    }

    static boolean has(List<Action> actions, Class<? extends Action> type) {
        return actions.stream().anyMatch(type::isInstance);
    }
}
