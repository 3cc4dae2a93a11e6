package org.jkeepalived.core.config;

import java.util.List;

/**
 * A script line as keepalived takes it (notify_*, vrrp_script's script, misc_path, quorum_up...):
 * the command words (quotes group words) and an optional user and group to run it as.
 */
public record ScriptSpec(String command, List<String> argv, String user, String group) {
    public ScriptSpec {
        argv = argv == null ? List.of() : List.copyOf(argv);
    }
}
