package org.jkeepalived.core.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who runs a script, as keepalived decides it: the script's own user, else global_defs' script_user,
 * else {@code keepalived_script} when that user exists, else the daemon's own user. With
 * enable_script_security a script that would run as root is refused when its file, or any directory
 * above it, can be changed by someone other than root (owned by another user, or group/other
 * writable; root's sticky directories such as /tmp are fine). Verdicts are kept per executable for
 * the policy's life: a reload makes a new policy, so a fixed permission counts from then on.
 */
public final class ScriptPolicy {
    /** No default user and no security check; a script's own user is honoured (tests, tools). */
    public static ScriptPolicy plain() {
        return new ScriptPolicy(null, null, false, runningAsRoot());
    }

    /** A script the policy does not let run; {@code first} is true the first time for that executable. */
    public static final class Refused extends IllegalArgumentException {
        public final boolean first;

        Refused(String message, boolean first) {
            super(message);
            this.first = first;
        }
    }

    private final String defaultUser;
    private final String defaultGroup;
    private final boolean security;
    private final boolean root;
    /** executable → why it is unsafe ("" when safe). */
    private final Map<String, String> verdicts = new ConcurrentHashMap<>();
    private final Map<String, Boolean> told = new ConcurrentHashMap<>();

    public ScriptPolicy(String defaultUser, String defaultGroup, boolean security, boolean runningAsRoot) {
        this.defaultUser = defaultUser;
        this.defaultGroup = defaultGroup;
        this.security = security;
        this.root = runningAsRoot;
    }

    /** The policy global_defs asks for, on this system. */
    public static ScriptPolicy of(GlobalDefs g) {
        String user = g == null ? null : g.scriptUser();
        String group = g == null || g.scriptUser() == null ? null : g.scriptGroup();
        if (user == null && userExists("keepalived_script")) user = "keepalived_script";
        return new ScriptPolicy(user, group, g != null && g.enableScriptSecurity(), runningAsRoot());
    }

    /**
     * The argv to exec: the script's words, then extraArgs, through {@code runuser -u USER [-g GROUP] --}
     * when it runs as another user than the daemon's root.
     *
     * @throws Refused when enable_script_security forbids running it as root
     * @throws IllegalArgumentException for an empty script
     */
    public List<String> commandLine(ScriptSpec spec, List<String> extraArgs) {
        List<String> words = new ArrayList<>(spec.argv());
        if (words.isEmpty() && spec.command() != null) {
            for (String w : spec.command().trim().split("\\s+")) if (!w.isEmpty()) words.add(w);
        }
        if (words.isEmpty()) throw new IllegalArgumentException("empty script");
        words.addAll(extraArgs);
        boolean own = spec.user() != null && !spec.user().isEmpty();
        String user = own ? spec.user() : defaultUser;
        String group = own ? spec.group() : defaultGroup;
        boolean asRoot = user == null ? root : user.equals("root");
        if (security && asRoot && root) {
            String why = verdicts.computeIfAbsent(words.get(0), ScriptPolicy::unsafeReason);
            if (!why.isEmpty()) {
                throw new Refused("Unsafe permissions found for script '" + words.get(0) + "' (" + why
                        + ") - not running it as root (enable_script_security)", told.putIfAbsent(words.get(0), true) == null);
            }
        }
        if (user == null || !root || user.equals("root") && (group == null || group.isEmpty())) return words;
        List<String> cmd = new ArrayList<>(List.of(runuser(), "-u", user));
        if (group != null && !group.isEmpty()) {
            cmd.add("-g");
            cmd.add(group);
        }
        cmd.add("--");
        cmd.addAll(words);
        return cmd;
    }

    /**
     * Why a vrrp_script cannot run at all, as keepalived decides before running it (it then disables
     * that track script and says so): its file is not found (on PATH, for a bare name), or
     * enable_script_security refuses to run it as root; null when it can run.
     */
    public String disabledReason(ScriptSpec spec) {
        if (spec == null || spec.argv().isEmpty()) return null;
        String exe = spec.argv().get(0);
        Path p = locate(exe);
        // a file that is there but not executable is kept (keepalived's -t passes it; running it fails)
        if (p == null || !Files.exists(p)) return exe + " not found";
        try {
            commandLine(spec, List.of());
        } catch (Refused e) {
            return e.getMessage();
        } catch (IllegalArgumentException e) {
            return null; // an empty script: the parser reported it
        }
        return null;
    }

    /** Why a root-run executable is unsafe, or "" (safe). A name without '/' is looked up on PATH. */
    static String unsafeReason(String executable) {
        Path p = locate(executable);
        if (p == null) return ""; // not found: exec fails and says so; nothing to protect
        try {
            p = p.toRealPath();
        } catch (IOException e) {
            return "";
        }
        for (Path at = p; at != null; at = at.getParent()) {
            try {
                int uid = (Integer) Files.getAttribute(at, "unix:uid");
                int mode = (Integer) Files.getAttribute(at, "unix:mode");
                boolean dir = Files.isDirectory(at);
                boolean sticky = (mode & 01000) != 0;
                if (uid != 0) return at + " is owned by uid " + uid;
                if ((mode & 022) != 0 && !(dir && sticky)) return at + " is writable by group or others";
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                return "cannot check " + at + ": " + e.getMessage();
            }
        }
        return "";
    }

    /** The file a script's first word names: itself when it has a '/', else the first executable on PATH; null if none. */
    public static Path locate(String executable) {
        if (executable.contains("/")) return Path.of(executable);
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/sbin:/usr/bin:/sbin:/bin" : path).split(":")) {
            if (dir.isEmpty()) continue;
            Path c = Path.of(dir, executable);
            if (Files.isExecutable(c)) return c;
        }
        return null;
    }

    public static boolean userExists(String name) {
        return hasEntry(Path.of("/etc/passwd"), name);
    }

    public static boolean groupExists(String name) {
        return hasEntry(Path.of("/etc/group"), name);
    }

    private static boolean hasEntry(Path db, String name) {
        try {
            for (String line : Files.readAllLines(db)) {
                if (line.startsWith(name + ":")) return true;
            }
        } catch (IOException | RuntimeException e) {
            // no passwd file: no such user
        }
        return false;
    }

    /** Whether this process's effective uid is 0. */
    public static boolean runningAsRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) return line.split("\\s+")[2].equals("0");
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return "root".equals(System.getProperty("user.name"));
    }

    private static String runuser() {
        for (String p : List.of("/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser")) {
            if (Files.isExecutable(Path.of(p))) return p;
        }
        return "runuser";
    }
}
