package org.jkeepalived.core.config;

import java.util.List;

/**
 * A route or rule line (static_routes, static_rules, virtual_routes, virtual_rules), kept as its
 * words in ip-route/ip-rule syntax, which is how keepalived documents them.
 */
public record StaticRoute(List<String> words) {
    public StaticRoute {
        words = words == null ? List.of() : List.copyOf(words);
    }
}
