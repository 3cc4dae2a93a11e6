package org.jkeepalived.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jkeepalived.daemon.cli.Options;
import org.jkeepalived.daemon.control.ControlClient;
import org.jkeepalived.daemon.drill.AgainstDrill;
import org.jkeepalived.daemon.drill.Drill;
import org.jkeepalived.daemon.drill.DrillBackend;
import org.jkeepalived.daemon.drill.DrillClient;
import org.jkeepalived.healthcheck.Genhash;

/** Subcommands: genhash, status, ctl, ipvs, drill. The daemon-facing ones talk to the control socket. */
final class Commands {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Commands() {}

    static int run(Options o, PrintStream out, PrintStream err) {
        List<String> args = new ArrayList<>(o.commandArgs());
        Path socket = Path.of(takeOption(args, "--control-socket", o.controlSocket()));
        try {
            switch (o.command()) {
                case "genhash":
                    return Genhash.run(args.toArray(String[]::new), out);
                case "status":
                    return status(socket, args.contains("--json"), out, err);
                case "ctl":
                    return ctl(socket, args, out, err);
                case "ipvs":
                    return ipvs(socket, args, out, err);
                case "drill":
                    return drill(args, socket, out, err);
                default:
                    err.println("jkeepalived: unknown command " + o.command());
                    return 2;
            }
        } catch (UsageError e) {
            err.println("jkeepalived " + o.command() + ": " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("jkeepalived " + o.command() + ": " + e.getMessage()
                    + (e instanceof java.net.SocketException || e.getMessage() == null
                    ? " (is the daemon running? control socket " + socket + ")" : ""));
            return 1;
        } catch (Exception e) {
            err.println("jkeepalived " + o.command() + ": " + e);
            return 1;
        }
    }

    static final class UsageError extends RuntimeException {
        UsageError(String m) { super(m); }
    }

    private static JsonNode call(Path socket, ObjectNode req) throws IOException {
        try {
            return ControlClient.call(socket, req);
        } catch (IOException e) {
            throw new IOException("cannot reach the daemon at " + socket + ": " + e.getMessage(), e);
        }
    }

    private static int replyStatus(JsonNode reply, PrintStream out, PrintStream err) throws IOException {
        if (reply.path("ok").asBoolean(true)) {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(reply));
            return 0;
        }
        err.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(reply));
        return 1;
    }

    static int status(Path socket, boolean asJson, PrintStream out, PrintStream err) throws IOException {
        JsonNode s = call(socket, JSON.createObjectNode().put("cmd", "status"));
        if (asJson) {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(s));
            return 0;
        }
        out.print(StatusText.render(s));
        return 0;
    }

    static int ctl(Path socket, List<String> args, PrintStream out, PrintStream err) throws IOException {
        if (args.isEmpty()) throw new UsageError("usage: ctl reload | ctl stop | ctl handoff INSTANCE [SECONDS] | ctl handback INSTANCE | ctl dump data|stats|json");
        ObjectNode req = JSON.createObjectNode();
        switch (args.get(0)) {
            case "reload", "stop" -> req.put("cmd", args.get(0));
            case "handoff", "handback" -> {
                if (args.size() < 2) throw new UsageError(args.get(0) + " needs an instance name");
                req.put("cmd", args.get(0)).put("instance", args.get(1));
                if (args.size() > 2) req.put("seconds", Integer.parseInt(args.get(2)));
            }
            case "dump" -> {
                if (args.size() < 2 || !List.of("data", "stats", "json").contains(args.get(1))) {
                    throw new UsageError("dump needs data, stats or json");
                }
                req.put("cmd", "dump").put("what", args.get(1));
            }
            default -> throw new UsageError("unknown ctl command '" + args.get(0) + "'");
        }
        return replyStatus(call(socket, req), out, err);
    }

    static int ipvs(Path socket, List<String> args, PrintStream out, PrintStream err) throws IOException {
        if (args.isEmpty() || !args.get(0).equals("list")) throw new UsageError("usage: ipvs list [--stats|--rate]");
        String mode = args.contains("--stats") ? "stats" : args.contains("--rate") ? "rate" : "plain";
        JsonNode reply = call(socket, JSON.createObjectNode().put("cmd", "ipvs-list").put("mode", mode));
        if (!reply.path("ok").asBoolean(false)) {
            err.println(reply.path("error").asText("no table"));
            return 1;
        }
        out.print(reply.path("text").asText());
        return 0;
    }

    static int drill(List<String> args, Path socket, PrintStream out, PrintStream err) throws Exception {
        if (!args.isEmpty() && args.get(0).equals("backend")) {
            args.remove(0);
            String name = takeOption(args, "--name", "rs");
            DrillBackend.start(name, address(takeOption(args, "--listen", "0.0.0.0:8080")));
            Thread.currentThread().join(); // serve until killed
            return 0;
        }
        if (!args.isEmpty() && args.get(0).equals("client")) {
            args.remove(0);
            boolean overlap = args.remove("--overlap");
            DrillClient.run(address(takeOption(args, "--target", null)),
                    Long.parseLong(takeOption(args, "--interval-ms", "20")),
                    Long.parseLong(takeOption(args, "--duration-ms", "0")),
                    Integer.parseInt(takeOption(args, "--timeout-ms", "300")), overlap, out);
            return 0;
        }
        String against = takeOption(args, "--against", null);
        if (against != null) {
            String instance = takeOption(args, "--instance", null);
            if (instance == null) throw new UsageError("--against needs --instance NAME (the vrrp_instance to hand off)");
            int rounds = Integer.parseInt(takeOption(args, "--rounds", "3"));
            long interval = Long.parseLong(takeOption(args, "--interval-ms", "20"));
            Path outDir = Path.of(takeOption(args, "--out", "drill-report"));
            if (!args.isEmpty()) throw new UsageError("unknown drill argument " + args.get(0));
            return new AgainstDrill(address(against), instance, socket, rounds, interval, outDir, out).run();
        }
        int rounds = Integer.parseInt(takeOption(args, "--rounds", "3"));
        Path confDir = Path.of(takeOption(args, "--conf-dir", defaultConfDir()));
        Path outDir = Path.of(takeOption(args, "--out", "drill-report"));
        long interval = Long.parseLong(takeOption(args, "--interval-ms", "20"));
        long timeout = Long.parseLong(takeOption(args, "--event-timeout-ms", "20000"));
        String prefix = takeOption(args, "--prefix", "jkd-");
        if (!args.isEmpty()) throw new UsageError("unknown drill argument " + args.get(0));
        Drill d = new Drill(new Drill.Settings(rounds, confDir, outDir, prefix, interval, timeout, List.of()), out);
        return d.run();
    }

    /** conf-examples beside the distribution (etc/conf-examples) or the source tree's. */
    private static String defaultConfDir() {
        for (String p : new String[]{System.getProperty("jkeepalived.home", "") + "/etc/conf-examples",
                "/usr/share/doc/jkeepalived/examples", "conf-examples", "../conf-examples"}) {
            if (java.nio.file.Files.isRegularFile(Path.of(p, "drill-master.conf"))) return p;
        }
        return "conf-examples";
    }

    static InetSocketAddress address(String hostPort) {
        if (hostPort == null) throw new UsageError("an address HOST:PORT is needed");
        return Daemon.parseAddress(hostPort);
    }

    /** Removes "--name VALUE" from args and returns VALUE, or the default. */
    static String takeOption(List<String> args, String name, String def) {
        int i = args.indexOf(name);
        if (i < 0) return def;
        if (i + 1 >= args.size()) throw new UsageError(name + " needs a value");
        String v = args.get(i + 1);
        args.remove(i + 1);
        args.remove(i);
        return v;
    }
}
