package org.jkeepalived.vrrp.codec;

/**
 * Why a received advertisement was not accepted, each mapped to the counter name keepalived uses in
 * its stats / JSON dump (and the exporters turn into {@code keepalived_<statName>_total}).
 * The first group is found by {@link VrrpCodec}; the second needs the instance's configuration
 * and is found by the instance layer ({@code org.jkeepalived.vrrp.fsm.AdvertFilter}).
 */
public enum RejectReason {
    // found by the codec
    PACKET_LEN_ERR("packet_len_err"),
    IP_TTL_ERR("ip_ttl_err"),
    VERSION_ERR("version_err"),
    INVALID_TYPE_RCVD("invalid_type_rcvd"),
    CHECKSUM_ERR("checksum_err"),
    INVALID_AUTHTYPE("invalid_authtype"),
    ADVERT_INTERVAL_ERR("advert_interval_err"),
    /** VRID 0 (codec), or no instance with this VRID on the interface (instance layer). */
    VRID_ERR("vrid_err"),
    // found by the instance layer
    AUTHTYPE_MISMATCH("authtype_mismatch"),
    AUTH_FAILURE("auth_failure"),
    ADDR_LIST_ERR("addr_list_err");

    /** keepalived's stats name, e.g. {@code packet_len_err}. */
    public final String statName;

    RejectReason(String statName) {
        this.statName = statName;
    }
}
