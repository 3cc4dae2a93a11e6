package org.jkeepalived.vrrp.fsm;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.jkeepalived.core.config.AuthType;
import org.jkeepalived.vrrp.codec.RejectReason;
import org.jkeepalived.vrrp.codec.VrrpPacket;

/**
 * Instance-level checks of a decoded advertisement (those that need the configuration), in
 * keepalived's order, each counted under keepalived's stats name:
 * VRID ({@code vrid_err}), version, v2 auth type ({@code authtype_mismatch}) and password
 * ({@code auth_failure}), v2 advert interval ({@code advert_interval_err}: RFC 3768 says discard;
 * v3 learns the master's interval instead), address list ({@code addr_list_err}: count and every
 * VIP present; skipped for the known master with {@code skip_check_adv_addr}). Checked against
 * keepalived 2.2.7 in network namespaces: a v2 interval mismatch and an address-list mismatch are
 * dropped (the backup takes over despite a higher-priority sender); a v3 interval difference is
 * accepted and learned.
 */
public final class AdvertFilter {
    private AdvertFilter() {
    }

    /** A failed check. */
    public record Rejection(RejectReason reason, String detail) {}

    /**
     * @param knownMaster the source of the last accepted advert (for skip_check_adv_addr), or null
     * @return null when the advert passes
     */
    public static Rejection check(InstanceSettings s, VrrpPacket p, InetAddress source, InetAddress knownMaster) {
        if (p.vrid() != s.vrid()) {
            return new Rejection(RejectReason.VRID_ERR, "received VRID " + p.vrid() + ", ours is " + s.vrid());
        }
        if (p.version() != s.version()) {
            return new Rejection(RejectReason.VERSION_ERR, "received version " + p.version() + ", ours is " + s.version());
        }
        if (p.version() == 2) {
            int ours = s.authType() == AuthType.PASS ? VrrpPacket.AUTH_PASS : s.authType() == AuthType.AH ? VrrpPacket.AUTH_AH : VrrpPacket.AUTH_NONE;
            if (p.authType() != ours) {
                return new Rejection(RejectReason.AUTHTYPE_MISMATCH, "received auth type " + p.authType() + ", ours is " + ours);
            }
            if (ours == VrrpPacket.AUTH_PASS && !Arrays.equals(p.authData(), s.authData())) {
                return new Rejection(RejectReason.AUTH_FAILURE, "bad password");
            }
            if (p.advertIntervalCentis() != s.advertIntervalCentis()) {
                return new Rejection(RejectReason.ADVERT_INTERVAL_ERR, "advertisement interval mismatch mine="
                        + s.advertIntervalCentis() / 100 + " sec rcv'd=" + p.rawAdvertInterval() + " sec");
            }
        }
        if (s.skipCheckAdvAddr() && knownMaster != null && knownMaster.equals(source)) {
            return null;
        }
        if (p.count() != s.virtualAddresses().size()) {
            return new Rejection(RejectReason.ADDR_LIST_ERR, "received an invalid ip number count " + p.count()
                    + ", expected " + s.virtualAddresses().size());
        }
        Set<InetAddress> got = new HashSet<>(p.addresses());
        for (InetAddress vip : s.virtualAddresses()) {
            if (!got.contains(vip)) {
                return new Rejection(RejectReason.ADDR_LIST_ERR, "ip address associated with VRID " + s.vrid()
                        + " not present in MASTER advert : " + vip.getHostAddress());
            }
        }
        return null;
    }
}
