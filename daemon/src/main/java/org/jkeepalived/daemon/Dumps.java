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
                // keepalived's layout, which exporters parse: sections ending in ':' at two spaces,
                // their counters at four, the two master counters at two
                StringBuilder sb = new StringBuilder();
                for (JsonNode i : instances) {
                    JsonNode st = i.path("stats");
                    sb.append("VRRP Instance: ").append(i.path("data").path("iname").asText()).append('\n');
                    for (String[] row : STATS_LAYOUT) {
                        if (row[1] == null) sb.append(row[0]).append(":\n");
                        else sb.append(row[0]).append(": ").append(st.path(row[1]).asLong(0)).append('\n');
                    }
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
                    // keepalived's names for what exporters read ("State", "Virtual Router ID", "Virtual IP (n):"
                    // with one address per line below it), then ours
                    JsonNode d = i.path("data");
                    sb.append(" VRRP Instance = ").append(d.path("iname").asText()).append('\n');
                    line(sb, "State", stateName(d.path("state").asInt()));
                    line(sb, "Wantstate", stateName(d.path("wantstate").asInt()));
                    line(sb, "Interface", d.path("ifp_ifname").asText());
                    line(sb, "Virtual Router ID", d.path("vrid").asText());
                    line(sb, "Priority", d.path("base_priority").asText());
                    line(sb, "Effective priority", d.path("effective_priority").asText());
                    line(sb, "Advert interval", d.path("adver_int").asText() + " sec");
                    line(sb, "Gratuitous ARP delay", d.path("garp_delay").asText("0"));
                    if (d.has("master_ipaddr")) line(sb, "Master router", d.path("master_ipaddr").asText());
                    JsonNode vips = d.path("vips");
                    sb.append("   Virtual IP (").append(vips.size()).append("):\n");
                    for (JsonNode v : vips) sb.append("     ").append(v.asText()).append('\n');
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

    /** keepalived.stats, per instance: a section heading (no key) or a label and its counter. */
    private static final String[][] STATS_LAYOUT = {
        {"  Advertisements", null}, {"    Received", "advert_rcvd"}, {"    Sent", "advert_sent"},
        {"  Became master", "become_master"}, {"  Released master", "release_master"},
        {"  Packet Errors", null}, {"    Length", "packet_len_err"}, {"    TTL", "ip_ttl_err"},
        {"    Invalid Type", "invalid_type_rcvd"}, {"    Advertisement Interval", "advert_interval_err"},
        {"    Address List", "addr_list_err"},
        {"  Authentication Errors", null}, {"    Invalid Type", "invalid_authtype"},
        {"    Type Mismatch", "authtype_mismatch"}, {"    Failure", "auth_failure"},
        {"  Priority Zero", null}, {"    Received", "pri_zero_rcvd"}, {"    Sent", "pri_zero_sent"},
    };

    private static void line(StringBuilder sb, String key, String value) {
        sb.append("   ").append(key).append(" = ").append(value).append('\n');
    }

    /** keepalived's state numbers (0 INIT, 1 BACKUP, 2 MASTER, 3 FAULT) as its data file names them. */
    private static String stateName(int n) {
        return switch (n) {
            case 1 -> "BACKUP";
            case 2 -> "MASTER";
            case 3 -> "FAULT";
            default -> "INIT";
        };
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
