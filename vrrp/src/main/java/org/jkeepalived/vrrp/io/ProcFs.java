package org.jkeepalived.vrrp.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads processes from /proc (or a directory laid out like it, for tests): name, state, parent and
 * start time from /proc/PID/stat, the command line from /proc/PID/cmdline when asked (reading it
 * may swap the process in, so keepalived reads it only for full_command matches, and so do we).
 *
 * <p>A table that is not whole must never be taken for one: every process missing from it would
 * count as exited. So only a process that ended while being read is left out (and one we may not
 * read at all, hidepid, which is consistently absent); any other failure fails the scan.
 */
public final class ProcFs {
    public static final ProcFs SYSTEM = new ProcFs(Path.of("/proc"));

    private final Path root;

    public ProcFs(Path root) {
        this.root = root;
    }

    /** Every process (not thread) now; ones that end while being read are left out. */
    public Map<Integer, ProcInfo> scan(boolean cmdline) throws IOException {
        return scan(cmdline, Map.of());
    }

    /**
     * As {@link #scan(boolean)}; a process of {@code previous} (an earlier scan with command lines)
     * still there with the same start time and name keeps its command line unread. (An exec that
     * keeps the name goes unseen by a poll this way; the kernel's events tell it.)
     */
    public Map<Integer, ProcInfo> scan(boolean cmdline, Map<Integer, ProcInfo> previous) throws IOException {
        Map<Integer, ProcInfo> out = new HashMap<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(root)) {
            for (Path p : dir) {
                int pid = pid(p.getFileName().toString());
                if (pid <= 0) {
                    continue;
                }
                ProcInfo info = read(pid, cmdline, previous.get(pid));
                if (info != null) {
                    out.put(pid, info);
                }
            }
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
        return out;
    }

    /**
     * One process, or null when it is gone (or hidden from us); an IOException when it could not be
     * read for another reason.
     */
    public ProcInfo read(int pid, boolean cmdline) throws IOException {
        return read(pid, cmdline, null);
    }

    private ProcInfo read(int pid, boolean cmdline, ProcInfo known) throws IOException {
        Path dir = root.resolve(Integer.toString(pid));
        try {
            byte[] stat = Files.readAllBytes(dir.resolve("stat"));
            ProcInfo info = parse(stat, null);
            if (info == null) {
                throw new IOException(dir.resolve("stat") + ": not a stat line");
            }
            if (!cmdline) {
                return info;
            }
            if (known != null && known.startTime() == info.startTime() && known.comm().equals(info.comm())) {
                return info.withCmdline(known.cmdline());
            }
            return info.withCmdline(args(Files.readAllBytes(dir.resolve("cmdline"))));
        } catch (IOException e) {
            if (gone(e)) {
                return null;
            }
            throw e;
        }
    }

    /**
     * The process ended: its directory is gone (ENOENT) or the kernel refuses to read a dead task
     * (ESRCH). Also a process hidden by hidepid (EACCES): it is absent from every scan alike.
     */
    static boolean gone(IOException e) {
        return e instanceof NoSuchFileException || e instanceof AccessDeniedException
                || e.getMessage() != null && e.getMessage().contains("No such process");
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
     * "PID (COMM) STATE PPID ..." (the name may hold spaces and parentheses: it ends at the last ')';
     * it is cut at 15 bytes, maybe inside a UTF-8 character, so it is decoded leniently, as the
     * kernel's comm event is) and the raw command line; null when the stat line is not one.
     */
    static ProcInfo parse(byte[] stat, byte[] cmdline) {
        int open = -1;
        int close = -1;
        for (int i = 0; i < stat.length; i++) {
            if (stat[i] == '(' && open < 0) open = i;
            if (stat[i] == ')') close = i;
        }
        if (open < 0 || close < open) {
            return null;
        }
        String comm = new String(stat, open + 1, close - open - 1, StandardCharsets.UTF_8);
        String[] rest = new String(stat, close + 1, stat.length - close - 1, StandardCharsets.ISO_8859_1)
                .trim().split("\\s+");
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
        long start = 0;
        if (rest.length > 19) {
            try {
                start = Long.parseLong(rest[19]); // field 22: the fields after the name start at 3
            } catch (NumberFormatException e) {
                start = 0;
            }
        }
        return new ProcInfo(comm, cmdline == null ? List.of() : args(cmdline), zombie, ppid, start);
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
