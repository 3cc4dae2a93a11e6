package org.jkeepalived.vrrp.fsm;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jkeepalived.core.config.AuthType;
import org.jkeepalived.core.config.GlobalDefs;
import org.jkeepalived.core.config.StaticAddress;
import org.jkeepalived.core.config.VrrpInstance;
import org.jkeepalived.core.config.VrrpState;
import org.jkeepalived.vrrp.codec.VrrpPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the state machine needs of one vrrp_instance, already resolved against global_defs.
 *
 * @param advertIntervalCentis advert_int in centiseconds (v2: whole seconds × 100)
 * @param primaryAddress our own source address, for the equal-priority tie-break (RFC 5798 6.4.3)
 *        and to ignore our own looped packets; null until the io layer knows it
 *        ({@link #withPrimaryAddress})
 * @param authPass v2 PASS password or IPsec AH key (first 8 bytes are used), null otherwise
 * @param lowerPrioNoAdvert a master does not answer a lower-priority advert with one of its own
 * @param higherPrioSendAdvert a master sends one more advert before yielding to a higher priority
 * @param skipCheckAdvAddr skip the address-list check for adverts from the master we already know
 * @param downTimerAdverts the "3" of Master_Down_Interval (keepalived's down_timer_adverts)
 */
public record InstanceSettings(
        String name,
        String iface,
        int vrid,
        int version,
        boolean ipv6,
        int basePriority,
        int advertIntervalCentis,
        VrrpState initialState,
        boolean nopreempt,
        Duration preemptDelay,
        boolean accept,
        AuthType authType,
        String authPass,
        List<InetAddress> virtualAddresses,
        InetAddress primaryAddress,
        boolean lowerPrioNoAdvert,
        boolean higherPrioSendAdvert,
        boolean skipCheckAdvAddr,
        boolean oldUnicastChecksum,
        int downTimerAdverts) {

    private static final Logger log = LoggerFactory.getLogger(InstanceSettings.class);

    public InstanceSettings {
        virtualAddresses = List.copyOf(virtualAddresses);
        if (preemptDelay == null) preemptDelay = Duration.ZERO;
        if (authType == null) authType = AuthType.NONE;
        if (initialState == null) initialState = VrrpState.BACKUP;
        if (vrid < 1 || vrid > 255) throw new IllegalArgumentException("virtual_router_id " + vrid);
        if (basePriority < 1 || basePriority > 255) throw new IllegalArgumentException("priority " + basePriority);
        if (version != 2 && version != 3) throw new IllegalArgumentException("version " + version);
        if (advertIntervalCentis < 1 || advertIntervalCentis > (version == 2 ? 25500 : 4095)) {
            throw new IllegalArgumentException("advert_int " + advertIntervalCentis + " cs");
        }
        if (downTimerAdverts < 1) downTimerAdverts = 3;
    }

    /**
     * Resolves a parsed vrrp_instance. keepalived rules applied here: IPv6 instances use version 3
     * unless they say {@code version 2} themselves (then VRRPv2 over IPv6, except in strict mode);
     * authentication needs auth_pass and version 2; {@code state MASTER} with IPsec AH starts as
     * BACKUP (keeping nopreempt); nopreempt and preempt_delay
     * are cleared when {@code state MASTER} is configured (keepalived logs "nopreempt will not work
     * with initial state MASTER - clearing"); v2 intervals are whole seconds (at least 1); only the
     * VIPs of the instance's family go into adverts; {@code lower_prio_no_advert} defaults to the
     * global {@code vrrp_lower_prio_no_advert}, itself true under {@code vrrp_strict}; {@code accept}
     * is taken as parsed (the parser applies no_accept's default under strict mode) except that strict
     * mode with VRRP version 2 clears it.
     */
    public static InstanceSettings from(VrrpInstance vi, GlobalDefs g) {
        VrrpState initial = vi.initialState() == null ? VrrpState.BACKUP : vi.initialState();
        boolean strictMode = vi.strictMode() || (g != null && g.vrrpStrict());
        // an IPv6 instance takes version 3 unless it says version 2 itself (the parser saw to the order
        // keepalived requires); then VRRPv2 over IPv6 as keepalived sends it, except in strict mode
        int version = vi.version() != 0 ? vi.version() : vi.ipv6() ? 3 : (g == null ? 2 : g.vrrpVersion());
        if (vi.ipv6() && version == 2 && strictMode) {
            log.warn("({}) cannot use IPv6 with VRRP version 2; setting version 3", vi.name());
            version = 3;
        }
        // keepalived ignores an authentication block without auth_pass ("no password given"), any in
        // version 3, and any over IPv6 (no room for a password: its v2 adverts over IPv6 carry none)
        AuthType authType = version == 2 && !vi.ipv6() && vi.authType() != null && vi.authPass() != null
                && !vi.authPass().isEmpty() ? vi.authType() : AuthType.NONE;
        if (initial == VrrpState.MASTER && authType == AuthType.AH) {
            // keepalived 2.2.7 does the same, before the nopreempt rule below (so nopreempt stays):
            // an AH peer starting as MASTER would send sequence numbers from 1, which a running
            // peer drops as replays
            log.warn("({}) Warning - initial state MASTER does not work with IPsec AH authentication - using BACKUP",
                    vi.name());
            initial = VrrpState.BACKUP;
        }
        if (initial == VrrpState.MASTER && vi.priority() != 255 && strictMode) {
            // keepalived 2.2.7 does the same: in strict mode only the address owner starts as MASTER
            log.warn("({}) State MASTER must match being address owner in strict mode - using BACKUP", vi.name());
            initial = VrrpState.BACKUP;
        }
        boolean nopreempt = vi.nopreempt();
        Duration preemptDelay = vi.preemptDelay() == null ? Duration.ZERO : vi.preemptDelay();
        if (initial == VrrpState.MASTER && nopreempt) {
            log.warn("({}) Warning - nopreempt will not work with initial state MASTER - clearing", vi.name());
            nopreempt = false;
        }
        if (initial == VrrpState.MASTER && !preemptDelay.isZero()) {
            log.warn("({}) Warning - preempt_delay will not work with initial state MASTER - clearing", vi.name());
            preemptDelay = Duration.ZERO;
        }
        long millis = vi.advertInt() == null ? 1000 : vi.advertInt().toMillis();
        int centis;
        if (version == 2) {
            centis = (int) Math.max(1, Math.round(millis / 1000.0)) * 100;
        } else {
            centis = (int) Math.max(1, Math.min(4095, millis / 10));
        }
        List<InetAddress> vips = new ArrayList<>();
        for (StaticAddress a : vi.virtualIpaddresses()) {
            if ((a.address() instanceof Inet6Address) == vi.ipv6()) vips.add(a.address());
        }
        boolean lowerPrioNoAdvert = flag(vi.options(), "lower_prio_no_advert",
                g != null ? flag(g.options(), "vrrp_lower_prio_no_advert", strictMode) : strictMode);
        boolean higherPrioSendAdvert = !strictMode && flag(vi.options(), "higher_prio_send_advert",
                g != null && flag(g.options(), "vrrp_higher_prio_send_advert", false));
        boolean skipCheck = flag(vi.options(), "skip_check_adv_addr", g != null && g.vrrpSkipCheckAdvAddr());
        int downTimerAdverts = intOption(vi.options(), "down_timer_adverts",
                g != null ? intOption(g.options(), "vrrp_down_timer_adverts", 3) : 3);
        boolean accept = vi.accept();
        if (accept && strictMode && version == 2 && vi.priority() != 255) {
            // RFC 3768 has no Accept Mode; keepalived 2.2.7 turns it off under strict mode too
            log.warn("({}) accept cannot be used with strict mode and VRRP version 2 - using no_accept", vi.name());
            accept = false;
        }
        return new InstanceSettings(vi.name(), vi.iface(), vi.virtualRouterId(), version, vi.ipv6(), vi.priority(),
                centis, initial, nopreempt, preemptDelay, accept || vi.priority() == 255,
                authType,
                vi.authPass(), vips, vi.unicastSrcIp() != null ? vi.unicastSrcIp() : vi.mcastSrcIp(),
                lowerPrioNoAdvert, higherPrioSendAdvert, skipCheck, vi.oldUnicastChecksum(), downTimerAdverts);
    }

    /** The same settings with our source address known (the io layer learns it from the interface). */
    public InstanceSettings withPrimaryAddress(InetAddress addr) {
        return new InstanceSettings(name, iface, vrid, version, ipv6, basePriority, advertIntervalCentis, initialState,
                nopreempt, preemptDelay, accept, authType, authPass, virtualAddresses, addr, lowerPrioNoAdvert,
                higherPrioSendAdvert, skipCheckAdvAddr, oldUnicastChecksum, downTimerAdverts);
    }

    public boolean addressOwner() {
        return basePriority == 255;
    }

    /** VRRPv3 Accept_Mode; the address owner always accepts. The io layer installs the drop rule when false. */
    public boolean acceptMode() {
        return accept || addressOwner();
    }

    /** The 8 bytes of the v2 authentication data field (zeros when there is no password). */
    public byte[] authData() {
        byte[] b = new byte[VrrpPacket.AUTH_DATA_LEN];
        if (authType == AuthType.PASS && authPass != null) {
            byte[] p = authPass.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(p, 0, b, 0, Math.min(p.length, b.length));
        }
        return b;
    }

    /** The advertisement this instance sends, with the given priority. */
    public VrrpPacket advert(int priority) {
        if (version == 2) {
            int auth = authType == AuthType.PASS ? VrrpPacket.AUTH_PASS : authType == AuthType.AH ? VrrpPacket.AUTH_AH : 0;
            return VrrpPacket.v2(vrid, priority, advertIntervalCentis / 100, auth,
                    auth == VrrpPacket.AUTH_PASS ? authData() : null, virtualAddresses);
        }
        return VrrpPacket.v3(vrid, priority, advertIntervalCentis, virtualAddresses);
    }

    private static boolean flag(Map<String, List<List<String>>> options, String key, boolean dflt) {
        if (options == null) return dflt;
        List<List<String>> v = options.get(key);
        if (v == null || v.isEmpty()) return dflt;
        List<String> last = v.get(v.size() - 1);
        if (last.isEmpty()) return true;
        String w = last.get(0).toLowerCase(java.util.Locale.ROOT);
        return !(w.equals("false") || w.equals("no") || w.equals("off") || w.equals("0"));
    }

    /** A kept option's integer value (the last given, as keepalived takes the last), or {@code dflt}. */
    public static int intOption(Map<String, List<List<String>>> options, String key, int dflt) {
        if (options == null) return dflt;
        List<List<String>> v = options.get(key);
        if (v == null || v.isEmpty() || v.get(v.size() - 1).isEmpty()) return dflt;
        try {
            return Integer.parseInt(v.get(v.size() - 1).get(0));
        } catch (NumberFormatException e) {
            return dflt;
        }
    }
}
