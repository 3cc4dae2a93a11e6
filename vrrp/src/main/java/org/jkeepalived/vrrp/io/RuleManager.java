package org.jkeepalived.vrrp.io;

import java.io.IOException;

/** Adds and removes virtual_rules / static_rules (rtnetlink RTM_NEWRULE / RTM_DELRULE). */
public interface RuleManager {
    /** false when the kernel already had the rule. */
    boolean add(VirtualRule rule) throws IOException;

    /** false when the rule was not there. */
    boolean remove(VirtualRule rule) throws IOException;
}
