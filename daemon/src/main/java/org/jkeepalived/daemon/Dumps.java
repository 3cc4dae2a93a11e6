package org.jkeepalived.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * keepalived's run-time dumps, at the paths monitoring already reads: DATA (SIGUSR1) →
 * /tmp/keepalived.data, STATS (SIGUSR2) → /tmp/keepalived.stats, JSON (SIGRTMIN+2 in keepalived; the
 * JVM cannot take that signal, so `jkeepalived ctl dump json`) → /tmp/keepalived.json.
 * The JSON is keepalived's shape: a list, one {data, stats} object per vrrp_instance.
 */
final class Dumps {
    enum Kind {
        DATA("/tmp/keepalived.data"), STATS("/tmp/keepalived.stats"), JSON("/tmp/keepalived.json");

        final String path;

        Kind(String path) { this.path = path; }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private Dumps() {}

    static Path write(Kind kind, JsonNode status) {
        Path p = Path.of(kind.path);
        try {
            Files.writeString(p, render(kind, status));
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + p, e);
        }
        return p;
    }

    static String render(Kind kind, JsonNode status) throws IOException {
        ArrayNode instances = status.has("vrrp_instances") ? (ArrayNode) status.get("vrrp_instances") : JSON.createArrayNode();
        switch (kind) {
            case JSON:
                return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(instances) + "\n";
            case STATS: {
                StringBuilder sb = new StringBuilder();
                for (JsonNode i : instances) {
                    sb.append("VRRP Instance: ").append(i.path("data").path("iname").asText()).append('\n');
                    appendFields(sb, i.path("stats"), "  ");
                }
                return sb.toString();
            }
            default: {
                StringBuilder sb = new StringBuilder();
                sb.append("------< Global definitions >------\n");
                sb.append(" jkeepalived version = ").append(status.path("version").asText()).append('\n');
                sb.append(" Configuration file = ").append(status.path("config").asText()).append('\n');
                sb.append("------< VRRP Topology >------\n");
                for (JsonNode i : instances) {
                    sb.append(" VRRP Instance = ").append(i.path("data").path("iname").asText()).append('\n');
                    appendFields(sb, i.path("data"), "   ");
                }
                if (status.has("virtual_servers")) {
                    sb.append("------< LVS Topology >------\n");
                    for (JsonNode vs : status.get("virtual_servers")) {
                        sb.append(" VS = ").append(vs.path("name").asText()).append('\n');
                        appendFields(sb, vs, "   ");
                    }
                }
                return sb.toString();
            }
        }
    }

    private static void appendFields(StringBuilder sb, JsonNode obj, String indent) {
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isContainerNode()) {
                sb.append(indent).append(e.getKey()).append(":\n");
                if (v.isArray()) {
                    for (JsonNode x : v) sb.append(indent).append("  ").append(x.isValueNode() ? x.asText() : x.toString()).append('\n');
                } else {
                    appendFields(sb, v, indent + "  ");
                }
            } else {
                sb.append(indent).append(e.getKey()).append(" = ").append(v.asText()).append('\n');
            }
        }
    }
}
