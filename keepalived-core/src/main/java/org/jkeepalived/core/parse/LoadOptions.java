package org.jkeepalived.core.parse;

import java.util.Map;

/**
 * How to load a config: {@code strict} turns unknown keywords into errors (--strict); {@code configId}
 * is keepalived's config id for {@code @name} lines (null: the host name's first label); {@code defines}
 * are parameters defined before the first line, as if by {@code $NAME=value}.
 */
public record LoadOptions(boolean strict, String configId, Map<String, String> defines,
                          java.util.function.Predicate<String> interfaceExists) {
    public static final LoadOptions DEFAULT = new LoadOptions(false, null, Map.of());

    public LoadOptions {
        defines = defines == null ? Map.of() : Map.copyOf(defines);
    }

    /** Without the interface check (the parser then never looks at the host). */
    public LoadOptions(boolean strict, String configId, Map<String, String> defines) {
        this(strict, configId, defines, null);
    }

    public LoadOptions withStrict(boolean s) { return new LoadOptions(s, configId, defines, interfaceExists); }

    public LoadOptions withConfigId(String id) { return new LoadOptions(strict, id, defines, interfaceExists); }

    /**
     * keepalived -t also checks that the interfaces a config names exist in the current network
     * namespace; give the lookup (e.g. /sys/class/net/NAME exists) to get the same warnings.
     */
    public LoadOptions withInterfaceCheck(java.util.function.Predicate<String> exists) {
        return new LoadOptions(strict, configId, defines, exists);
    }

    /** The config id in effect: the given one, else the first label of the host name (as keepalived's uname). */
    public String effectiveConfigId() {
        if (configId != null) return configId;
        String host = HostName.get();
        int dot = host.indexOf('.');
        return dot > 0 ? host.substring(0, dot) : host;
    }
}
