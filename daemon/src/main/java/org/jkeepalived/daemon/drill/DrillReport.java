package org.jkeepalived.daemon.drill;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** The drill's outputs: a terminal table, report.json, and report.html with a timeline. */
final class DrillReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DrillReport() {}

    static void write(Drill.Settings s, List<Drill.EventResult> results, List<Drill.Sample> samples, PrintStream out)
            throws IOException {
        out.println();
        out.println(table(results));
        Files.createDirectories(s.outDir());
        Path json = s.outDir().resolve("report.json");
        Files.writeString(json, JSON.writeValueAsString(json(s, results, samples)));
        Path html = s.outDir().resolve("report.html");
        Files.writeString(html, html(results, samples));
        out.println("reports: " + json + " " + html);
    }

    /** 0 when every event completed (takeovers happened, servers came back), else 1. */
    static int verdict(List<Drill.EventResult> results) {
        return results.stream().allMatch(r -> r.note() == null) ? 0 : 1;
    }

    static String table(List<Drill.EventResult> results) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-5s %-30s %11s %10s %7s %13s %-7s %s%n", "round", "event",
                "takeover ms", "outage ms", "failed", "checker ms", "master", "note"));
        for (Drill.EventResult r : results) {
            sb.append(String.format(Locale.ROOT, "%-5d %-30s %11s %10s %7d %13s %-7s %s%n", r.round(), r.event(),
                    dash(r.takeoverMillis()), dash(r.outageMillis()), r.failedRequests(),
                    dash(r.checkerRemovalMillis()), r.newMaster(), r.note() == null ? "" : r.note()));
        }
        return sb.toString();
    }

    private static String dash(Long v) {
        return v == null ? "-" : Long.toString(v);
    }

    static ObjectNode json(Drill.Settings s, List<Drill.EventResult> results, List<Drill.Sample> samples) {
        ObjectNode root = JSON.createObjectNode();
        root.put("rounds", s.rounds());
        root.put("client_interval_ms", s.clientIntervalMillis());
        root.put("requests", samples.size());
        root.put("failed_requests", samples.stream().filter(x -> !x.ok()).count());
        ArrayNode ev = root.putArray("events");
        results.forEach(r -> ev.add(JSON.valueToTree(r)));
        return root;
    }

    /** A self-contained page: the table, and an SVG timeline of every request (green ok, red failed) with events. */
    static String html(List<Drill.EventResult> results, List<Drill.Sample> samples) {
        long t0 = samples.isEmpty() ? 0 : samples.get(0).wallMillis();
        long t1 = samples.isEmpty() ? 1 : samples.get(samples.size() - 1).wallMillis();
        double width = 1200, span = Math.max(1, t1 - t0);
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns='http://www.w3.org/2000/svg' width='1240' height='230' font-family='sans-serif' font-size='11'>");
        svg.append("<text x='20' y='40'>rs1</text><text x='20' y='80'>rs2</text><text x='20' y='120'>failed</text>");
        for (Drill.Sample x : samples) {
            double px = 40 + (x.wallMillis() - t0) * width / span;
            int y = !x.ok() ? 110 : x.detail().startsWith("rs1") ? 30 : 70;
            svg.append(String.format(Locale.ROOT, "<rect x='%.1f' y='%d' width='1' height='14' fill='%s'/>", px, y,
                    x.ok() ? "#2a2" : "#d22"));
        }
        int lane = 0;
        for (Drill.EventResult r : results) {
            double px = 40 + (r.startMillis() - t0) * width / span;
            svg.append(String.format(Locale.ROOT, "<line x1='%.1f' y1='20' x2='%.1f' y2='140' stroke='#333' stroke-dasharray='3,2'/>", px, px));
            svg.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' transform='rotate(20 %.1f %d)'>%s</text>",
                    px + 2, 155 + (lane % 3) * 12, px + 2, 155 + (lane % 3) * 12, escape(r.event())));
            lane++;
        }
        svg.append(String.format(Locale.ROOT, "<text x='40' y='225'>%s</text><text x='1150' y='225'>+%.1f s</text>",
                Instant.ofEpochMilli(t0), span / 1000.0));
        svg.append("</svg>");
        return "<!doctype html><html><head><meta charset='utf-8'><title>jkeepalived failover drill</title>"
                + "<style>body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
                + "td:nth-child(2),th:nth-child(2){text-align:left}</style></head><body>"
                + "<h1>Failover drill</h1><p>" + samples.size() + " requests, "
                + samples.stream().filter(x -> !x.ok()).count() + " failed.</p>" + svg
                + "<pre>" + escape(table(results)) + "</pre></body></html>\n";
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
