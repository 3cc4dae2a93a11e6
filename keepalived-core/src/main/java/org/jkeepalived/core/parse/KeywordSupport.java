package org.jkeepalived.core.parse;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which keywords of keepalived.conf(5) (2.2.7) the grammar knows, per section, and which of them are
 * implemented: a keyword is implemented when it has a typed field in the model that a module acts on;
 * the others are accepted, kept in the section's {@code options} map and reported by {@code -t} as
 * "accepted, not yet implemented". Sections are named by their block keyword ("top" for the file level;
 * "checker" holds the options every checker shares).
 */
public final class KeywordSupport {
    private KeywordSupport() {}

    private static final Map<String, Set<String>> IMPLEMENTED = new LinkedHashMap<>();
    private static final Map<String, Set<String>> ACCEPTED = new LinkedHashMap<>();
    /**
     * Keywords with a typed field that no module acts on yet: parsed, validated and kept, but -t still
     * says "accepted, not yet implemented". Keep this list true as modules land.
     */
    private static final Map<String, Set<String>> PENDING = new LinkedHashMap<>();

    static {
        PENDING.put("global_defs", set("dynamic_interfaces"));
        PENDING.put("vrrp_sync_group", set("global_tracking"));
    }

    private static void def(String section, String implemented, String accepted) {
        IMPLEMENTED.put(section, set(implemented));
        ACCEPTED.put(section, set(accepted));
    }

    private static Set<String> set(String words) {
        Set<String> s = new TreeSet<>();
        for (String w : words.trim().split("\\s+")) if (!w.isEmpty()) s.add(w);
        return Collections.unmodifiableSet(s);
    }

    static {
        def("top",
                "global_defs static_ipaddress static_routes static_rules vrrp_script vrrp_track_file track_file "
                        + "vrrp_sync_group vrrp_instance virtual_server_group virtual_server bfd_instance include includer includem includew "
                        + "includeb includea include_check vrrp_track_process",
                "SSL garp_group linkbeat_interfaces track_group interface_up_down_delays "
                        + "net_namespace net_namespace_ipvs namespace_with_ipsets instance use_pid_dir linkbeat_use_polling "
                        + "child_wait_time");
        def("global_defs",
                "router_id notification_email notification_email_from smtp_server smtp_connect_timeout "
                        + "enable_script_security script_user vrrp_version vrrp_strict vrrp_mcast_group4 vrrp_mcast_group6 "
                        + "vrrp_garp_master_delay vrrp_garp_master_repeat vrrp_garp_master_refresh "
                        + "vrrp_garp_master_refresh_repeat vrrp_garp_interval vrrp_gna_interval vrrp_garp_lower_prio_delay "
                        + "vrrp_garp_lower_prio_repeat vrrp_skip_check_adv_addr vrrp_check_unicast_src lvs_flush "
                        + "lvs_flush_onstop lvs_flush_on_stop lvs_timeouts lvs_sync_daemon "
                        + "notify_fifo notify_fifo_script vrrp_notify_fifo vrrp_notify_fifo_script lvs_notify_fifo "
                        + "lvs_notify_fifo_script fifo_write_vrrp_states_on_reload "
                        + "dynamic_interfaces checker_log_all_failures include_check "
                        + "nftables nftables_priority nftables_counters vrrp_lower_prio_no_advert "
                        + "vrrp_higher_prio_send_advert vrrp_down_timer_adverts vrrp_priority vrrp_rt_priority "
                        + "smtp_helo_name smtp_alert smtp_alert_vrrp smtp_alert_checker no_email_faults no_checker_emails "
                        + "process_monitor_rcv_bufs process_monitor_rcv_bufs_force",
                "tmp_config_directory config_save_dir process_names process_name vrrp_process_name checker_process_name "
                        + "bfd_process_name startup_script startup_script_timeout shutdown_script shutdown_script_timeout "
                        + "default_interface "
                        + "vrrp_min_garp vrrp_garp_extra_if "
                        + "nftables_ifindex "
                        + "nftables_ipvs nftables_ipvs_priority nftables_ipvs_start_fwmark vrrp_iptables vrrp_ipsets "
                        + "disable_local_igmp vrrp_notify_priority_changes max_auto_priority min_auto_priority_delay "
                        + "checker_priority bfd_priority vrrp_no_swap checker_no_swap bfd_no_swap "
                        + "vrrp_cpu_affinity checker_cpu_affinity bfd_cpu_affinity checker_rt_priority "
                        + "bfd_rt_priority vrrp_rlimit_rttime checker_rlimit_rttime bfd_rlimit_rttime snmp_socket "
                        + "enable_snmp_vrrp enable_snmp_checker enable_snmp_rfc enable_snmp_rfcv2 enable_snmp_rfcv3 "
                        + "enable_snmp_keepalived enable_traps enable_dbus dbus_service_name "
                        + "vrrp_netlink_cmd_rcv_bufs vrrp_netlink_cmd_rcv_bufs_force vrrp_netlink_monitor_rcv_bufs "
                        + "vrrp_netlink_monitor_rcv_bufs_force lvs_netlink_cmd_rcv_bufs lvs_netlink_cmd_rcv_bufs_force "
                        + "lvs_netlink_monitor_rcv_bufs lvs_netlink_monitor_rcv_bufs_force "
                        + "vrrp_rx_bufs_policy vrrp_rx_bufs_multiplier rs_init_notifies "
                        + "umask vrrp_startup_delay log_unknown_vrids vmac_prefix vmac_addr_prefix "
                        + "random_seed reload_check_config reload_time_file reload_repeat reload_file data_use_instance "
                        + "linkbeat_use_polling net_namespace net_namespace_ipvs namespace_with_ipsets instance use_pid_dir "
                        + "child_wait_time script_group");
        def("bfd_instance", "neighbor_ip neighbour_ip source_ip min_rx min_tx idle_tx multiplier passive ttl hoplimit "
                + "max_hops weight vrrp checker", "");
        def("vrrp_script", "script interval timeout weight rise fall user init_fail", "");
        def("track_file", "file weight init_file", "");
        def("vrrp_track_process", "process param_match weight quorum quorum_max fork_delay terminate_delay delay "
                + "full_command", "");
        def("vrrp_sync_group",
                "group notify_master notify_backup notify_fault notify_stop notify track_interface track_script "
                        + "track_file track_bfd track_process global_tracking sync_group_tracking_weight smtp_alert",
                "notify_deleted notify_priority_changes");
        def("vrrp_instance",
                "state interface virtual_router_id priority advert_int version native_ipv6 nopreempt preempt "
                        + "preempt_delay accept no_accept authentication mcast_src_ip unicast_src_ip unicast_peer "
                        + "virtual_ipaddress virtual_ipaddress_excluded virtual_routes virtual_rules track_interface "
                        + "track_script track_file dont_track_primary use_vmac vmac_xmit_base garp_master_delay "
                        + "garp_master_repeat garp_master_refresh garp_master_refresh_repeat garp_lower_prio_delay "
                        + "garp_lower_prio_repeat notify_master notify_backup notify_fault notify_stop notify smtp_alert "
                        + "unicast_ttl old_unicast_checksum strict_mode lvs_sync_daemon_interface track_bfd check_unicast_src "
                        + "down_timer_adverts lower_prio_no_advert higher_prio_send_advert skip_check_adv_addr track_process",
                "vrf use_vmac_addr use_ipvlan mcast_dst_ip track_src_ip "
                        + "unicast_fault_no_peer garp_extra_if garp_extra_if_vmac "
                        + "promote_secondaries debug notify_master_rx_lower_pri "
                        + "notify_deleted notify_priority_changes kernel_rx_buf_size linkbeat_use_polling");
        def("authentication", "auth_type auth_pass", "");
        def("virtual_server",
                "lvs_sched lb_algo flag-1 flag-2 flag-3 sh-port sh-fallback mh-port mh-fallback ops lvs_method lb_kind "
                        + "persistence_engine persistence_timeout persistence_granularity protocol ha_suspend virtualhost "
                        + "alpha omega quorum hysteresis quorum_up quorum_down ip_family sorry_server sorry_server_inhibit "
                        + "sorry_server_lvs_method connect_timeout retry nb_get_retry delay_before_retry warmup delay_loop "
                        + "inhibit_on_failure real_server smtp_alert",
                "snmp_name");
        def("real_server",
                "weight lvs_method notify_up notify_down uthreshold lthreshold virtualhost alpha connect_timeout "
                        + "retry nb_get_retry delay_before_retry warmup delay_loop inhibit_on_failure HTTP_GET SSL_GET "
                        + "TCP_CHECK SMTP_CHECK DNS_CHECK MISC_CHECK UDP_CHECK PING_CHECK FILE_CHECK BFD_CHECK smtp_alert",
                "snmp_name");
        def("checker",
                "connect_ip connect_port bindto bind_if bind_port fwmark alpha connect_timeout retry nb_get_retry "
                        + "delay_before_retry warmup delay_loop log_all_failures",
                "");
        def("HTTP_GET", "http_protocol fast_recovery url virtualhost enable_sni", "");
        def("url", "path digest status_code virtualhost regex regex_no_match regex_options regex_min_offset regex_max_offset",
                "regex_stack");
        def("TCP_CHECK", "", "");
        def("SMTP_CHECK", "helo_name", "host");
        def("DNS_CHECK", "type name", "");
        def("MISC_CHECK", "misc_path misc_timeout misc_dynamic user", "");
        def("UDP_CHECK", "payload require_reply min_reply_length max_reply_length", "");
        def("PING_CHECK", "", "");
        def("FILE_CHECK", "track_file dynamic weight", "");
        def("BFD_CHECK", "name", "");
    }

    /** Sections in the order of the man page. */
    public static Set<String> sections() {
        return Collections.unmodifiableSet(IMPLEMENTED.keySet());
    }

    /** Keywords of a section that have a typed field in the model. */
    public static Set<String> implemented(String section) {
        return IMPLEMENTED.getOrDefault(section, Set.of());
    }

    /** Keywords of a section that are accepted and kept but that no module implements yet. */
    public static Set<String> notYetImplemented(String section) {
        return ACCEPTED.getOrDefault(section, Set.of());
    }

    /** The compatibility status as a Markdown table (section | implemented | accepted, not yet implemented). */
    public static String markdownTable() {
        StringBuilder sb = new StringBuilder("| section | implemented | accepted, not yet implemented |\n|---|---|---|\n");
        for (String s : sections()) {
            Set<String> done = new TreeSet<>(implemented(s));
            Set<String> notYet = new TreeSet<>(notYetImplemented(s));
            for (String k : PENDING.getOrDefault(s, Set.of())) {
                done.remove(k);
                notYet.add(k);
            }
            sb.append("| ").append(s).append(" | ").append(String.join(" ", done)).append(" | ")
                    .append(String.join(" ", notYet)).append(" |\n");
        }
        return sb.toString();
    }

    public static boolean isKnown(String section, String keyword) {
        return implemented(section).contains(keyword) || notYetImplemented(section).contains(keyword);
    }

    public static boolean isImplemented(String section, String keyword) {
        return implemented(section).contains(keyword) && !isPending(section, keyword);
    }

    /** A keyword the model types but no module acts on yet (see {@link #PENDING}). */
    public static boolean isPending(String section, String keyword) {
        return PENDING.getOrDefault(section, Set.of()).contains(keyword);
    }
}
