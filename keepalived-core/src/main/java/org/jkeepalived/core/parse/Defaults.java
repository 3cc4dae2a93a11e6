package org.jkeepalived.core.parse;

import java.net.InetAddress;
import java.time.Duration;
import org.jkeepalived.core.config.HttpUrl;
import org.jkeepalived.core.config.LvsMethod;

/**
 * keepalived 2.2.7's defaults, in one place. Values inherited from another keyword are resolved in
 * {@link ConfigParser}: version from vrrp_version (3 for IPv6), garp_* from the vrrp_garp_* globals,
 * garp_lower_prio_* from garp_master_*, accept = !strict_mode || priority 255, checker timers from
 * real_server then virtual_server, warmup = delay_loop, misc_timeout = delay_loop, connect_ip/port =
 * the real server's, a real server's port = the virtual server's, sorry_server's lvs_method = the
 * virtual server's.
 */
final class Defaults {
    private Defaults() {}

    static final int VRRP_VERSION = 2;
    static final int PRIORITY = 100;
    static final Duration ADVERT_INT = Duration.ofSeconds(1);
    static final Duration MAX_ADVERT_V3 = Duration.ofMillis(40950);
    static final Duration GARP_MASTER_DELAY = Duration.ofSeconds(5);
    static final int GARP_MASTER_REPEAT = 5;
    static final int GARP_MASTER_REFRESH_REPEAT = 1;
    static final Duration GARP_MASTER_REFRESH = Duration.ZERO;
    static final Duration GARP_INTERVAL = Duration.ZERO;
    static final Duration GNA_INTERVAL = Duration.ZERO;
    static final Duration SMTP_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    static final InetAddress MCAST4 = Addresses.parse("224.0.0.18");
    static final InetAddress MCAST6 = Addresses.parse("ff02::12");
    static final Duration SCRIPT_INTERVAL = Duration.ofSeconds(1);
    static final int SCRIPT_WEIGHT = 0;
    static final int SCRIPT_RISE = 1;
    static final int SCRIPT_FALL = 1;
    static final Duration PREEMPT_DELAY = Duration.ZERO;
    static final int HYSTERESIS = 0;
    static final int UDP_MIN_REPLY = 0;
    static final int TRACK_FILE_WEIGHT = 1;
    /** keepalived.conf(5) says 1; keepalived 2.2.7 starts at 0 (unweighted: FAULT without quorum), as here. */
    static final int TRACK_PROCESS_WEIGHT = 0;
    static final int TRACK_PROCESS_QUORUM = 1;
    static final String LVS_SCHED = "wlc";
    static final LvsMethod LVS_METHOD = LvsMethod.NAT;
    static final Duration PERSISTENCE_TIMEOUT = Duration.ofSeconds(360);
    static final Duration DELAY_LOOP = Duration.ofSeconds(60);
    static final int QUORUM = 1;
    static final int WEIGHT = 1;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final String HTTP_PROTOCOL = "1.0";
    static final HttpUrl.StatusRange STATUS_RANGE = new HttpUrl.StatusRange(200, 299);
    static final String DNS_TYPE = "SOA";
    static final String DNS_NAME = ".";
    static final int UDP_MAX_REPLY = 255;

    /** retry: 1, but 3 for DNS_CHECK and 0 for MISC_CHECK. */
    static int retry(String checker) {
        switch (checker) {
            case "DNS_CHECK": return 3;
            case "MISC_CHECK": return 0;
            default: return 1;
        }
    }

    /** delay_before_retry: 3 s for HTTP_GET / SSL_GET, delay_loop for DNS_CHECK, 1 s otherwise. */
    static Duration delayBeforeRetry(String checker, Duration delayLoop) {
        switch (checker) {
            case "HTTP_GET":
            case "SSL_GET": return Duration.ofSeconds(3);
            case "DNS_CHECK": return delayLoop;
            default: return Duration.ofSeconds(1);
        }
    }
}
