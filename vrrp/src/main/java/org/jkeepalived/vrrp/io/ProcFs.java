package org.jkeepalived.vrrp.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads processes from /proc (or a directory laid out like it, for tests): name, state and parent
 * from /proc/PID/stat, the command line from /proc/PID/cmdline when asked (reading it may swap the
 * process in, so keepalived reads it only for full_command matches, and so do we).
 */
public final class ProcFs {
    public static final ProcFs SYSTEM = new ProcFs(Path.of("/proc"));

    private final Path root;

    public ProcFs(Path root) {
        this.root = root;
    }

    /** Every process (not thread) now; ones that end while being read are left out. */
    public Map<Integer, ProcInfo> scan(boolean cmdline) {
        Map<Integer, ProcInfo> out = new HashMap<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(root)) {
            for (Path p : dir) {
                int pid = pid(p.getFileName().toString());
                if (pid <= 0) {
                    continue;
                }
                ProcInfo info = read(pid, cmdline);
                if (info != null) {
                    out.put(pid, info);
                }
            }
        } catch (IOException | RuntimeException e) {
            // /proc unreadable: nothing is running as far as we can tell
        }
        return out;
    }

    /** One process, or null when it is gone (or /proc/PID cannot be read). */
    public ProcInfo read(int pid, boolean cmdline) {
        Path dir = root.resolve(Integer.toString(pid));
        try {
            String stat = Files.readString(dir.resolve("stat"), StandardCharsets.UTF_8);
            byte[] cmd = cmdline ? Files.readAllBytes(dir.resolve("cmdline")) : null;
            return parse(stat, cmd);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static int pid(String name) {
        if (name.isEmpty() || name.length() > 10) {
            return -1;
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return -1;
            }
        }
        long v = Long.parseLong(name);
        return v > Integer.MAX_VALUE ? -1 : (int) v;
    }

    /**
     * "PID (COMM) STATE PPID ..." (the name may hold spaces and parentheses: it ends at the last ')')
     * and the raw command line; null when the stat line is not one.
     */
    static ProcInfo parse(String stat, byte[] cmdline) {
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open) {
            return null;
        }
        String comm = stat.substring(open + 1, close);
        String[] rest = stat.substring(close + 1).trim().split("\\s+");
        if (rest.length < 2) {
            return null;
        }
        boolean zombie = rest[0].equals("Z");
        int ppid;
        try {
            ppid = Integer.parseInt(rest[1]);
        } catch (NumberFormatException e) {
            ppid = 0;
        }
        return new ProcInfo(comm, cmdline == null ? List.of() : args(cmdline), zombie, ppid);
    }

    /**
     * The NUL-separated words of a command line; the final NUL ends the last one (a process that
     * rewrote its command line, setproctitle-style, may lack it or have extra empty words).
     */
    public static List<String> args(byte[] cmdline) {
        List<String> out = new ArrayList<>();
        int len = cmdline.length;
        if (len == 0) {
            return out;
        }
        if (cmdline[len - 1] == 0) {
            len--;
        }
        int start = 0;
        for (int i = 0; i <= len; i++) {
            if (i == len || cmdline[i] == 0) {
                out.add(new String(cmdline, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return out;
    }
}
