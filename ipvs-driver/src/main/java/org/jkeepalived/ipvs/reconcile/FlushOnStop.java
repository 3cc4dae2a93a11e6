package org.jkeepalived.ipvs.reconcile;

import java.util.Locale;

/** What happens to the table when the daemon stops (keepalived's lvs_flush_onstop). */
public enum FlushOnStop {
    /** No lvs_flush_onstop: keepalived removes each real server and each virtual server it manages. */
    REMOVE_EACH,
    /** lvs_flush_onstop VS: remove each managed virtual server; the kernel drops their real servers. */
    VS,
    /** lvs_flush_onstop / lvs_flush_onstop ALL: flush the whole table, foreign services included. */
    ALL,
    /** Leave everything in place (e.g. a reload hand-over, or an explicit "keep" choice). */
    KEEP;

    /** From GlobalDefs.lvsFlushOnstop(): null → REMOVE_EACH (keepalived's default), "VS", "ALL". */
    public static FlushOnStop fromConfig(String value) {
        if (value == null) return REMOVE_EACH;
        String v = value.trim().toUpperCase(Locale.ROOT);
        if (v.isEmpty() || v.equals("ALL")) return ALL;
        if (v.equals("VS")) return VS;
        if (v.equals("KEEP") || v.equals("NONE")) return KEEP;
        throw new IllegalArgumentException("lvs_flush_onstop: expected VS or ALL, got '" + value + "'");
    }
}
