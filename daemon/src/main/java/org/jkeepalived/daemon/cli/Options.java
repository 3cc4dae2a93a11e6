package org.jkeepalived.daemon.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * keepalived's command line (plus our own long options), parsed without side effects.
 * Unknown flags and missing values are reported by {@link UsageException} (exit 2).
 */
public record Options(
        String configFile,
        boolean configTest,
        String configTestLog,
        boolean dumpConf,
        String dumpFormat,
        boolean strict,
        boolean dontFork,
        boolean logDetail,
        boolean logConsole,
        String logFacility,
        boolean noSyslog,
        boolean vrrpOnly,
        boolean checkOnly,
        String pidFile,
        String vrrpPidFile,
        String checkersPidFile,
        String configId,
        boolean dontReleaseVrrp,
        boolean dontReleaseIpvs,
        String signum,
        boolean version,
        boolean help,
        /** our own: --engine kernel|userspace|auto */
        String engine,
        /** our own: --log-file FILE (keepalived's -g) */
        String logFile,
        /** our own: --metrics HOST:PORT or off (default 127.0.0.1:9650) */
        String metrics,
        /** our own: --control-socket PATH (default /run/jkeepalived/control.sock) */
        String controlSocket,
        /** our own: --control-group GROUP allowed to use the control socket (default: root only) */
        String controlGroup,
        /** a subcommand (genhash, ipvs, status, ctl, drill) and its arguments, or null */
        String command,
        List<String> commandArgs,
        /** keepalived's -d / --dump-conf: the daemon logs its effective configuration at start and runs on */
        boolean logConf) {

    public static final String DEFAULT_CONFIG = "/etc/keepalived/keepalived.conf";
    public static final String DEFAULT_METRICS = "127.0.0.1:9650";
    public static final String DEFAULT_CONTROL_SOCKET = "/run/jkeepalived/control.sock";

    public static final class UsageException extends Exception {
        public UsageException(String message) { super(message); }
    }

    private static final List<String> COMMANDS = List.of("genhash", "ipvs", "status", "ctl", "drill");

    /** keepalived options we accept and that change nothing here (no child processes, no SNMP...). */
    private static final java.util.Set<String> NO_EFFECT = java.util.Set.of("-R", "--dont-respawn", "-m", "--core-dump",
            "-x", "--snmp", "-X", "--release-vips", "-a", "--address-monitoring");

    public static Options parse(String... given) throws UsageException {
        Builder b = new Builder();
        String[] args = unbundle(given);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i == 0 && COMMANDS.contains(a)) {
                b.command = a;
                b.commandArgs.addAll(List.of(args).subList(1, args.length));
                break;
            }
            String name = a;
            String inline = null;
            if (a.startsWith("--") && a.indexOf('=') > 0) {
                name = a.substring(0, a.indexOf('='));
                inline = a.substring(a.indexOf('=') + 1);
            } else if (a.startsWith("-") && !a.startsWith("--") && a.length() > 2) {
                // -fFILE, as getopt allows for options with a value
                name = a.substring(0, 2);
                inline = a.substring(2);
            }
            switch (name) {
                case "-f", "--use-file" -> b.configFile = value(args, i++, name, inline) ;
                case "-t", "--config-test" -> {
                    b.configTest = true;
                    if (inline != null) b.configTestLog = inline; // optional value only inline, as getopt
                }
                case "-d", "--dump-conf" -> b.logConf = true;
                case "--print-conf" -> b.dumpConf = true;
                case "--format" -> b.dumpFormat = value(args, i++, name, inline);
                case "--strict" -> b.strict = true;
                case "-n", "--dont-fork" -> b.dontFork = true;
                case "-D", "--log-detail" -> b.logDetail = true;
                case "-l", "--log-console" -> b.logConsole = true;
                case "-S", "--log-facility" -> b.logFacility = value(args, i++, name, inline);
                case "-G", "--no-syslog" -> b.noSyslog = true;
                case "-P", "--vrrp" -> b.vrrpOnly = true;
                case "-C", "--check" -> b.checkOnly = true;
                case "-p", "--pid" -> b.pidFile = value(args, i++, name, inline);
                case "-r", "--vrrp_pid" -> b.vrrpPidFile = value(args, i++, name, inline);
                case "-c", "--checkers_pid" -> b.checkersPidFile = value(args, i++, name, inline);
                case "-i", "--config-id" -> b.configId = value(args, i++, name, inline);
                case "-V", "--dont-release-vrrp" -> b.dontReleaseVrrp = true;
                case "-I", "--dont-release-ipvs" -> b.dontReleaseIpvs = true;
                case "--signum" -> b.signum = value(args, i++, name, inline);
                case "--engine" -> b.engine = value(args, i++, name, inline);
                case "-g", "--log-file" -> b.logFile = inline != null ? inline : "/tmp/keepalived.log"; // optional, inline only
                case "--metrics" -> b.metrics = value(args, i++, name, inline);
                case "--control-socket" -> b.controlSocket = value(args, i++, name, inline);
                case "--control-group" -> b.controlGroup = value(args, i++, name, inline);
                case "-v", "--version" -> b.version = true;
                case "-h", "--help" -> b.help = true;
                default -> {
                    if (!NO_EFFECT.contains(name)) throw new UsageException("unknown option '" + a + "' (see jkeepalived --help)");
                }
            }
            if (inline != null && !takesValue(name) && !name.equals("-t") && !name.equals("--config-test")
                    && !name.equals("-g") && !name.equals("--log-file")) {
                throw new UsageException("option '" + name + "' takes no value");
            }
            if (inline != null && takesValue(name)) {
                i--; // value was inline: do not consume the next argument
            }
        }
        if (b.dumpFormat != null && !b.dumpFormat.equals("yaml") && !b.dumpFormat.equals("json")) {
            throw new UsageException("--format must be yaml or json, not '" + b.dumpFormat + "'");
        }
        if (b.engine != null && !List.of("kernel", "userspace", "auto").contains(b.engine)) {
            throw new UsageException("--engine must be kernel, userspace or auto, not '" + b.engine + "'");
        }
        if (b.vrrpOnly && b.checkOnly) {
            throw new UsageException("-P/--vrrp and -C/--check exclude each other");
        }
        return b.build();
    }

    /**
     * getopt's bundles: "-nlD" is "-n -l -D"; an option that takes a value takes the rest of the
     * bundle ("-nf/etc/k.conf") or, at its end, the next argument ("-nf FILE"). -t and -g take an
     * optional value, only inline, as getopt's "t::" and "g::".
     */
    static String[] unbundle(String[] args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i == 0 && COMMANDS.contains(a)) {
                out.addAll(List.of(args)); // a subcommand takes its own arguments
                return out.toArray(new String[0]);
            }
            if (!a.startsWith("-") || a.startsWith("--") || a.length() <= 2) {
                out.add(a);
                continue;
            }
            int k = 1;
            while (k < a.length()) {
                String opt = "-" + a.charAt(k);
                String rest = a.substring(k + 1);
                if (takesValue(opt) || opt.equals("-t") || opt.equals("-g")) {
                    out.add(opt + rest);
                    break;
                }
                out.add(opt);
                k++;
            }
        }
        return out.toArray(new String[0]);
    }

    private static boolean takesValue(String name) {
        return switch (name) {
            case "-f", "--use-file", "--format", "-S", "--log-facility", "-p", "--pid", "-r", "--vrrp_pid",
                    "-c", "--checkers_pid", "-i", "--config-id", "--signum", "--engine",
                    "--metrics", "--control-socket", "--control-group" -> true;
            default -> false;
        };
    }

    private static String value(String[] args, int i, String name, String inline) throws UsageException {
        if (inline != null) return inline;
        if (i + 1 >= args.length || args[i + 1].isEmpty()) {
            throw new UsageException("option '" + name + "' needs a value");
        }
        return args[i + 1];
    }

    public String configFileOrDefault() {
        return configFile != null ? configFile : DEFAULT_CONFIG;
    }

    private static final class Builder {
        String configFile, configTestLog, dumpFormat, logFacility, pidFile, vrrpPidFile, checkersPidFile,
                configId, signum, engine, command, logFile, metrics, controlSocket, controlGroup;
        boolean configTest, dumpConf, logConf, strict, dontFork, logDetail, logConsole, noSyslog, vrrpOnly, checkOnly,
                dontReleaseVrrp, dontReleaseIpvs, version, help;
        final List<String> commandArgs = new ArrayList<>();

        Options build() {
            return new Options(configFile, configTest, configTestLog, dumpConf, dumpFormat == null ? "yaml" : dumpFormat,
                    strict, dontFork, logDetail, logConsole, logFacility, noSyslog, vrrpOnly, checkOnly, pidFile,
                    vrrpPidFile, checkersPidFile, configId, dontReleaseVrrp, dontReleaseIpvs, signum, version, help,
                    engine == null ? "auto" : engine, logFile, metrics == null ? DEFAULT_METRICS : metrics,
                    controlSocket == null ? DEFAULT_CONTROL_SOCKET : controlSocket, controlGroup, command,
                    List.copyOf(commandArgs), logConf);
        }
    }
}
