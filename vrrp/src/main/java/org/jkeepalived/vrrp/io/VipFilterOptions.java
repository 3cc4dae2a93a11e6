package org.jkeepalived.vrrp.io;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jkeepalived.core.config.GlobalDefs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The global_defs settings of the no_accept filter.
 *
 * @param table    nftables table (family inet) we own: {@code nftables TABLENAME}, else "jkeepalived"
 *                 (keepalived's own default is "keepalived"; ours differs so both can run side by side)
 * @param priority base chain priority, {@code nftables_priority} (keepalived's default -1: just before
 *                 the usual filter chains, so an accept there cannot undo our drop)
 * @param counters {@code nftables_counters}: a counter on each drop rule
 */
public record VipFilterOptions(String table, int priority, boolean counters) {
    private static final Logger LOG = LoggerFactory.getLogger(VipFilterOptions.class);
    /** nft identifiers: what its grammar takes without quoting. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    public static final String DEFAULT_TABLE = "jkeepalived";
    public static final int DEFAULT_PRIORITY = -1;
    public static final VipFilterOptions DEFAULTS = new VipFilterOptions(DEFAULT_TABLE, DEFAULT_PRIORITY, false);

    public VipFilterOptions {
        if (table == null || !NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("nftables table name '" + table + "'");
        }
    }

    /** From global_defs (null: the defaults); a bad value is logged and its default used. */
    public static VipFilterOptions from(GlobalDefs g) {
        if (g == null || g.options() == null) {
            return DEFAULTS;
        }
        Map<String, List<List<String>>> o = g.options();
        String table = DEFAULT_TABLE;
        List<String> t = last(o, "nftables");
        if (t != null && !t.isEmpty()) {
            if (NAME.matcher(t.get(0)).matches()) {
                table = t.get(0);
            } else {
                LOG.error("nftables: invalid table name '{}' - using {}", t.get(0), DEFAULT_TABLE);
            }
        }
        int priority = DEFAULT_PRIORITY;
        List<String> p = last(o, "nftables_priority");
        if (p != null && !p.isEmpty()) {
            try {
                priority = Integer.parseInt(p.get(0));
            } catch (NumberFormatException e) {
                LOG.error("nftables_priority: invalid value '{}' - using {}", p.get(0), DEFAULT_PRIORITY);
            }
        }
        if (last(o, "vrrp_iptables") != null) {
            LOG.warn("vrrp_iptables is not supported: no_accept uses nftables table inet {}", table);
        }
        return new VipFilterOptions(table, priority, last(o, "nftables_counters") != null);
    }

    private static List<String> last(Map<String, List<List<String>>> o, String key) {
        List<List<String>> v = o.get(key);
        return v == null || v.isEmpty() ? null : v.get(v.size() - 1);
    }
}
