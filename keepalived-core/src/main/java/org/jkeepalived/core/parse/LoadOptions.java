package org.jkeepalived.core.parse;

import java.util.Map;

/**
 * How to load a config: {@code strict} turns unknown keywords into errors (--strict); {@code configId}
 * is keepalived's config id for {@code @name} lines (null: the host name's first label); {@code defines}
 * are parameters defined before the first line, as if by {@code $NAME=value}.
 */
public record LoadOptions(boolean strict, String configId, Map<String, String> defines) {
    public static final LoadOptions DEFAULT = new LoadOptions(false, null, Map.of());

    public LoadOptions {
        defines = defines == null ? Map.of() : Map.copyOf(defines);
    }

    public LoadOptions withStrict(boolean s) { return new LoadOptions(s, configId, defines); }

    public LoadOptions withConfigId(String id) { return new LoadOptions(strict, id, defines); }

    /** The config id in effect: the given one, else the first label of the host name (as keepalived's uname). */
    public String effectiveConfigId() {
        if (configId != null) return configId;
        String host = HostName.get();
        int dot = host.indexOf('.');
        return dot > 0 ? host.substring(0, dot) : host;
    }
}
