package org.jkeepalived.core.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keywords that the grammar knows and keeps but that have no typed field (yet): keyword → its
 * arguments, one entry per occurrence in order. {@code -t} reports the ones no module implements.
 */
public final class Options {
    private Options() {}

    public static Map<String, List<List<String>>> copy(Map<String, List<List<String>>> in) {
        if (in == null || in.isEmpty()) return Map.of();
        Map<String, List<List<String>>> out = new LinkedHashMap<>();
        in.forEach((k, v) -> out.put(k, v.stream().map(List::copyOf).toList()));
        return java.util.Collections.unmodifiableMap(out);
    }
}
