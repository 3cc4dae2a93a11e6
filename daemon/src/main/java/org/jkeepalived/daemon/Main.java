package org.jkeepalived.daemon;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.jkeepalived.core.parse.ConfigLoader;
import org.jkeepalived.core.parse.ConfigMapper;
import org.jkeepalived.core.parse.Diagnostic;
import org.jkeepalived.core.parse.LoadOptions;
import org.jkeepalived.core.parse.LoadResult;
import org.jkeepalived.daemon.cli.ConfigTest;
import org.jkeepalived.daemon.cli.Options;

/** The jkeepalived command: keepalived's command line, plus subcommands. */
public final class Main {
    public static final String VERSION = Main.class.getPackage().getImplementationVersion() != null
            ? Main.class.getPackage().getImplementationVersion() : "0.1.0-SNAPSHOT";

    /** Signal numbers keepalived --signum prints on Linux x86_64 (DATA=SIGUSR1, STATS=SIGUSR2, JSON=SIGRTMIN+2). */
    static final Map<String, Integer> SIGNUMS = Map.of(
            "STOP", 15, "RELOAD", 1, "DATA", 10, "STATS", 12, "STATS_CLEAR", 12, "JSON", 36);

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (Options.UsageException e) {
            err.println("jkeepalived: " + e.getMessage());
            return 2;
        }
        if (o.help()) {
            out.print(usage());
            return 0;
        }
        if (o.version()) {
            out.println("jkeepalived " + VERSION + " (keepalived 2.2.7 configuration compatible)");
            return 0;
        }
        if (o.signum() != null) {
            Integer n = SIGNUMS.get(o.signum().toUpperCase());
            if (n == null) {
                err.println("jkeepalived: unknown signal function '" + o.signum() + "'");
                return 2;
            }
            out.println(n);
            return 0;
        }
        if (o.command() != null) {
            return Commands.run(o, out, err);
        }
        LoadOptions lo = new LoadOptions(o.strict(), o.configId(), Map.of());
        Path file = Path.of(o.configFileOrDefault());
        if (o.configTest()) {
            return ConfigTest.run(file, lo, err, Path.of("/sys/class/net"));
        }
        if (o.dumpConf()) {
            return dump(file, lo, o.dumpFormat(), out, err);
        }
        return Daemon.run(o, lo, out, err);
    }

    static int dump(Path file, LoadOptions lo, String format, PrintStream out, PrintStream err) {
        try {
            LoadResult r = ConfigLoader.load(file, lo);
            for (Diagnostic d : r.diagnostics()) err.println(d.format());
            if (r.config() == null) return 1;
            out.print("json".equals(format) ? ConfigMapper.toJson(r.config()) + "\n" : ConfigMapper.toYaml(r.config()));
            return 0;
        } catch (IOException e) {
            err.println(file + ": error: " + e.getMessage());
            return 1;
        }
    }

    static String usage() {
        return """
                Usage: jkeepalived [OPTION...]
                       jkeepalived genhash|ipvs|status|ctl|drill ...
                  -f, --use-file=FILE          Use the specified configuration file (keepalived.conf, or its
                                               YAML/JSON dump) default '/etc/keepalived/keepalived.conf'
                  -t, --config-test            Check the configuration; exit 0 if clean, 1 otherwise
                      --strict                 Unknown keywords are errors (with -t and at start)
                  -d, --dump-conf              Log the effective configuration at start (the daemon runs on)
                      --print-conf             Print the effective configuration (after includes, defaults) and exit
                      --format=yaml|json       Format for --print-conf (default yaml)
                  -P, --vrrp                   Only run the VRRP subsystem
                  -C, --check                  Only run the health-checker subsystem
                  -n, --dont-fork              Run in the foreground (always the case; accepted for keepalived)
                  -l, --log-console            Log messages to the console
                  -D, --log-detail             Detailed log messages
                  -S, --log-facility=FACILITY  syslog facility: 0-7, local0-7, user or daemon (default)
                  -G, --no-syslog              Don't log via syslog
                  -p, --pid=FILE               pid file (also -r/--vrrp_pid, -c/--checkers_pid)
                  -i, --config-id=ID           Config id for @ID / @^ID conditional lines
                  -V, --dont-release-vrrp      Keep VIPs on stop (and send no priority-0 advert)
                  -I, --dont-release-ipvs      Keep the IPVS table on stop
                      --engine=auto|kernel|userspace  Table backend (auto: kernel IPVS when present)
                      --signum=SIGFUNC         Print the signal number for STOP, RELOAD, DATA, STATS, JSON
                  -v, --version                Display the version number
                  -h, --help                   Display this help message
                  -R -m -x -X -a               keepalived options accepted with no effect here
                Short options may be bundled as getopt allows (-nlD).
                Subcommands:
                  genhash -s HOST -p PORT -u PATH [-S] [-V VIRTUALHOST]   MD5 digest of a page
                  ipvs list [--stats|--rate]                              the table, like ipvsadm -Ln
                  status | ctl reload | ctl handoff INSTANCE | ctl dump data|stats|json
                """;
    }
}
