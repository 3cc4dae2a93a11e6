package org.jkeepalived.vrrp.engine;

import java.util.List;
import java.util.Map;
import org.jkeepalived.core.config.VrrpState;

/**
 * A snapshot of one vrrp_instance for status dumps and metrics, in keepalived's JSON vocabulary.
 *
 * @param stats counters under keepalived's names: advert_rcvd, advert_sent, become_master,
 *              release_master, pri_zero_rcvd, pri_zero_sent and one per rejection reason
 *              (packet_len_err, ip_ttl_err, auth_failure, ...)
 */
public record InstanceStatus(
        String iname,
        String ifpIfname,
        int vrid,
        VrrpState state,
        int basePriority,
        int effectivePriority,
        int adverIntCentis,
        int masterAdverIntCentis,
        int version,
        String masterAddress,
        List<String> vips,
        long lastTransitionEpochMillis,
        Map<String, Long> stats) {
    public InstanceStatus {
        vips = List.copyOf(vips);
        stats = Map.copyOf(stats);
    }
}
