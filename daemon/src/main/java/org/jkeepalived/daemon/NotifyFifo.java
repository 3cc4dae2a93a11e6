package org.jkeepalived.daemon;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jkeepalived.core.config.ScriptSpec;
import org.jkeepalived.core.config.ScriptPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One notify FIFO of global_defs ({@link NotifyFifos} says which lines go where), written as
 * keepalived does: one line per event. The FIFO is made when
 * missing (and removed at close if we made it); its notify_fifo_script, if any, is started with the
 * FIFO's name as last argument and stopped at close. The FIFO is opened read-write so that opening
 * never waits for a reader; lines are written by one thread from a bounded queue, so a reader that
 * stops reading can only cost lines (logged), never the VRRP thread's time.
 */
final class NotifyFifo implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("Keepalived_vrrp");
    /** The writer's end marker, told apart from any line by identity. */
    private static final String STOP = new String("stop");

    final String path;
    final ScriptSpec script;
    private final boolean created;
    private final RandomAccessFile out;
    private final Process reader;
    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(1024);
    private final Thread writer;
    private volatile boolean dropping;

    private NotifyFifo(String path, ScriptSpec script, boolean created, RandomAccessFile out, Process reader) {
        this.path = path;
        this.script = script;
        this.created = created;
        this.out = out;
        this.reader = reader;
        this.writer = new Thread(this::drain, "notify-fifo");
        writer.setDaemon(true);
        writer.start();
    }

    /** Makes (if missing) and opens the FIFO at path, then starts its script; null path: null. */
    static NotifyFifo open(String path, ScriptSpec script, ScriptPolicy policy) throws IOException {
        if (path == null) return null;
        Path p = Path.of(path);
        boolean created = false;
        if (!Files.exists(p)) {
            mkfifo(p);
            created = true;
        } else if (!isFifo(p)) {
            throw new IOException("notify FIFO " + path + " exists and is not a FIFO");
        }
        RandomAccessFile out = new RandomAccessFile(p.toFile(), "rw");
        Process reader = null;
        if (script != null) {
            List<String> argv = List.of(String.valueOf(script.command()));
            try {
                argv = policy.commandLine(script, List.of(path));
                reader = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            } catch (IOException | IllegalArgumentException e) {
                log.error("notify FIFO {}: cannot start its script {}: {}", path, argv.get(0), e.getMessage());
            }
        }
        return new NotifyFifo(path, script, created, out, reader);
    }

    /** Same FIFO and script as wanted: a reload keeps it open. */
    boolean same(String path, ScriptSpec script) {
        return Objects.equals(this.path, path) && Objects.equals(this.script, script);
    }

    /** Queues one line; never blocks. */
    void write(String line) {
        if (queue.offer(line)) {
            dropping = false;
        } else if (!dropping) {
            dropping = true;
            log.warn("notify FIFO {}: nobody is reading it, dropping lines", path);
        }
    }

    private void drain() {
        try {
            while (true) {
                String line = queue.take();
                if (line == STOP) return;
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.error("notify FIFO {}: {}", path, e.getMessage());
        }
    }

    /** Writes what is queued (at most 2 s), stops the script, closes and, if we made it, removes the FIFO. */
    @Override public void close() {
        queue.offer(STOP);
        try {
            writer.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.interrupt();
        if (reader != null) {
            List<ProcessHandle> children = reader.descendants().toList();
            reader.destroy();
            try {
                if (!reader.waitFor(2, TimeUnit.SECONDS)) reader.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            children.forEach(ProcessHandle::destroy);
        }
        try {
            out.close();
        } catch (IOException ignored) {
            // nothing left to flush: writes are unbuffered
        }
        if (created) {
            try {
                Files.deleteIfExists(Path.of(path));
            } catch (IOException e) {
                log.warn("notify FIFO {}: cannot remove it: {}", path, e.getMessage());
            }
        }
    }

    private static void mkfifo(Path p) throws IOException {
        // Java has no mkfifo(3); coreutils' mkfifo is on every system keepalived runs on
        Process mk = new ProcessBuilder("mkfifo", "-m", "600", p.toString()).redirectErrorStream(true).start();
        String msg = new String(mk.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            if (!mk.waitFor(5, TimeUnit.SECONDS) || mk.exitValue() != 0) {
                throw new IOException("cannot make notify FIFO " + p + ": " + msg);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted making notify FIFO " + p);
        }
    }

    private static boolean isFifo(Path p) {
        try {
            return Files.getAttribute(p, "unix:mode") instanceof Integer m && (m & 0170000) == 0010000; // S_IFIFO
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }
}
