package org.jkeepalived.daemon;

import com.fasterxml.jackson.databind.JsonNode;

/** `jkeepalived status` for people: instances, then virtual servers with their real servers. */
final class StatusText {
    private static final String[] STATES = {"INIT", "BACKUP", "MASTER", "FAULT"};

    private StatusText() {}

    static String render(JsonNode s) {
        StringBuilder sb = new StringBuilder();
        sb.append("jkeepalived ").append(s.path("version").asText()).append("  pid ").append(s.path("pid").asText())
                .append("  config ").append(s.path("config").asText()).append('\n');
        if (s.has("backend")) sb.append("table backend: ").append(s.path("backend").asText()).append('\n');
        if (s.has("vrrp_instances")) {
            sb.append(String.format("%-16s %-8s %-7s %4s %8s %9s  %s%n", "INSTANCE", "IFACE", "STATE", "VRID",
                    "PRIORITY", "EFFECTIVE", "VIPS"));
            for (JsonNode i : s.get("vrrp_instances")) {
                JsonNode d = i.path("data");
                int st = d.path("state").asInt();
                sb.append(String.format("%-16s %-8s %-7s %4d %8d %9d  %s%n", d.path("iname").asText(),
                        d.path("ifp_ifname").asText(), st >= 0 && st < STATES.length ? STATES[st] : Integer.toString(st),
                        d.path("vrid").asInt(), d.path("base_priority").asInt(), d.path("effective_priority").asInt(),
                        join(d.path("vips"))));
            }
        }
        if (s.has("virtual_servers")) {
            for (JsonNode vs : s.get("virtual_servers")) {
                sb.append("VS ").append(vs.path("name").asText()).append("  quorum ")
                        .append(vs.path("quorum_up").asBoolean(true) ? "up" : "DOWN").append('\n');
                for (JsonNode rs : vs.path("real_servers")) {
                    sb.append(String.format("  RS %-28s %-5s weight %d%s%n", rs.path("name").asText(),
                            rs.path("alive").asBoolean() ? "UP" : "DOWN", rs.path("weight").asInt(),
                            rs.hasNonNull("reason") ? "  (" + rs.path("reason").asText() + ")" : ""));
                }
            }
        }
        return sb.toString();
    }

    private static String join(JsonNode arr) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode v : arr) {
            if (sb.length() > 0) sb.append(", ");
            sb.append(v.asText());
        }
        return sb.toString();
    }
}
