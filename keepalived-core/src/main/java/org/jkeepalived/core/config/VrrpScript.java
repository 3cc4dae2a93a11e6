package org.jkeepalived.core.config;

import java.time.Duration;

/** vrrp_script NAME { script interval timeout weight [reverse] rise fall user init_fail }. */
public record VrrpScript(
        String name,
        ScriptSpec script,
        Duration interval,
        /** null: the script may run until the next interval (keepalived's default). */
        Duration timeout,
        int weight,
        boolean weightReverse,
        int rise,
        int fall,
        boolean initFail) {
}
