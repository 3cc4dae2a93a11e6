package org.jkeepalived.core.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property: for 10,000 mutated variants of the example and golden configs (byte flips, truncation,
 * deleted / duplicated braces and tokens, huge numbers, non-UTF-8 bytes...) the loader never throws,
 * never takes a second of CPU, and every diagnostic names the file and a line that exists.
 */
class FuzzTest {
    private static final int CASES = 10_000;
    private static final byte[][] HUGE = {
            "99999999999999999999999".getBytes(StandardCharsets.US_ASCII), "-1".getBytes(StandardCharsets.US_ASCII),
            "4294967296".getBytes(StandardCharsets.US_ASCII), "1e309".getBytes(StandardCharsets.US_ASCII),
            "0.0000001".getBytes(StandardCharsets.US_ASCII), "65536".getBytes(StandardCharsets.US_ASCII),
            "-9223372036854775808".getBytes(StandardCharsets.US_ASCII), "256".getBytes(StandardCharsets.US_ASCII)};
    private static final byte[][] INSERTS = {
            "{".getBytes(StandardCharsets.US_ASCII), "}".getBytes(StandardCharsets.US_ASCII),
            "\"".getBytes(StandardCharsets.US_ASCII), "\\".getBytes(StandardCharsets.US_ASCII),
            "\n$X=${X}${X}\n".getBytes(StandardCharsets.US_ASCII), "\n~SEQ(I, 1, 1000) ".getBytes(StandardCharsets.US_ASCII),
            "\n@main ".getBytes(StandardCharsets.US_ASCII), "\n@^main ".getBytes(StandardCharsets.US_ASCII),
            "$X".getBytes(StandardCharsets.US_ASCII), "${_RANDOM}".getBytes(StandardCharsets.US_ASCII),
            "\ninclude missing*.conf\n".getBytes(StandardCharsets.US_ASCII), "\nincludea nope.conf\n".getBytes(StandardCharsets.US_ASCII),
            "\n$M= \\\n".getBytes(StandardCharsets.US_ASCII), "#".getBytes(StandardCharsets.US_ASCII),
            {(byte) 0xff, (byte) 0xfe}, {(byte) 0xc3}, {(byte) 0xe2, (byte) 0x82}, {0}, {'\r'}, {'\t'},
            "~LST({A,B},{1,2}) ".getBytes(StandardCharsets.US_ASCII), "::ffff:".getBytes(StandardCharsets.US_ASCII)};

    static List<byte[]> seeds() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path dir : List.of(ConfExamplesTest.DIR, GoldenTest.DIR)) {
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> s = Files.list(dir)) {
                files.addAll(s.filter(p -> p.toString().endsWith(".conf")).sorted().collect(Collectors.toList()));
            }
        }
        List<byte[]> out = new ArrayList<>();
        for (Path f : files) out.add(Files.readAllBytes(f));
        return out;
    }

    @Test
    void mutatedConfigsNeverBreakTheLoader(@TempDir Path dir) throws IOException {
        List<byte[]> seeds = seeds();
        assertFalse(seeds.isEmpty());
        String fileName = dir.resolve("fuzz.conf").toString();
        Random rnd = new Random(0x6b656570L);
        long[] worst = {0};
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        int[] withErrors = {0};
        assertTimeoutPreemptively(Duration.ofSeconds(300), () -> {
            for (int n = 0; n < CASES; n++) {
                byte[] input = seeds.get(n % seeds.size());
                int rounds = 1 + rnd.nextInt(3);
                for (int k = 0; k < rounds; k++) input = mutate(input, rnd);
                String text = new String(input, StandardCharsets.UTF_8);
                long t0 = System.nanoTime();
                long c0 = cpu.getCurrentThreadCpuTime();
                LoadResult r;
                try {
                    r = ConfigLoader.parse(text, fileName, TestSupport.OPTS);
                } catch (Throwable t) {
                    throw new AssertionError("case " + n + " threw for input:\n" + text, t);
                }
                // CPU time, so that other builds on a shared 2-core box do not make this flaky;
                // wall time is bounded too (15 s per case, 300 s in all)
                long took = cpu.getCurrentThreadCpuTime() - c0;
                long wall = System.nanoTime() - t0;
                worst[0] = Math.max(worst[0], took);
                if (took > 1_000_000_000L || wall > 15_000_000_000L) {
                    fail("case " + n + " took " + took / 1_000_000 + " ms CPU, " + wall / 1_000_000 + " ms:\n" + text);
                }
                check(r, fileName, text, n);
                if (r.hasErrors()) withErrors[0]++;
            }
        });
        // the mutations must actually produce broken configs, or this test proves nothing
        assertTrue(withErrors[0] > CASES / 4, "only " + withErrors[0] + " variants had errors");
        assertTrue(worst[0] < 1_000_000_000L);
    }

    private static void check(LoadResult r, String fileName, String text, int n) {
        long lines = text.chars().filter(c -> c == '\n').count() + 1;
        for (Diagnostic d : r.diagnostics()) {
            assertNotNull(d.pos(), "case " + n);
            assertNotNull(d.message());
            assertEquals(fileName, d.pos().file(), "case " + n + ": " + d.format());
            assertTrue(d.pos().line() >= 1 && d.pos().line() <= lines, "case " + n + ": line out of file: " + d.format());
            assertTrue(d.pos().column() >= 1, "case " + n + ": " + d.format());
            d.format();
        }
        assertEquals(r.hasErrors(), r.config() == null, "case " + n + ": a model exactly when there is no error");
    }

    static byte[] mutate(byte[] in, Random rnd) {
        if (in.length == 0) return INSERTS[rnd.nextInt(INSERTS.length)];
        int at = rnd.nextInt(in.length);
        switch (rnd.nextInt(9)) {
            case 0: { // byte flip, often into non-ASCII
                byte[] out = in.clone();
                out[at] = (byte) (rnd.nextBoolean() ? rnd.nextInt(256) : out[at] ^ (1 << rnd.nextInt(8)));
                return out;
            }
            case 1: // truncation
                return java.util.Arrays.copyOf(in, at);
            case 2: { // delete a brace
                int b = find(in, at, rnd.nextBoolean() ? '{' : '}');
                return b < 0 ? in : splice(in, b, 1, new byte[0]);
            }
            case 3: { // duplicate a brace
                int b = find(in, at, rnd.nextBoolean() ? '{' : '}');
                return b < 0 ? in : splice(in, b, 0, new byte[] {in[b]});
            }
            case 4: { // delete a token
                int[] t = token(in, at);
                return t == null ? in : splice(in, t[0], t[1] - t[0], new byte[0]);
            }
            case 5: { // duplicate a token
                int[] t = token(in, at);
                if (t == null) return in;
                byte[] tok = java.util.Arrays.copyOfRange(in, t[0], t[1]);
                byte[] ins = new byte[tok.length + 1];
                System.arraycopy(tok, 0, ins, 0, tok.length);
                ins[tok.length] = ' ';
                return splice(in, t[0], 0, ins);
            }
            case 6: { // a number becomes huge / negative / odd
                int d = at;
                while (d < in.length && (in[d] < '0' || in[d] > '9')) d++;
                if (d == in.length) return in;
                int e = d;
                while (e < in.length && in[e] >= '0' && in[e] <= '9') e++;
                return splice(in, d, e - d, HUGE[rnd.nextInt(HUGE.length)]);
            }
            case 7: // insert something syntactic or non-UTF-8
                return splice(in, at, 0, INSERTS[rnd.nextInt(INSERTS.length)]);
            default: { // duplicate or delete a whole line
                int s = at;
                while (s > 0 && in[s - 1] != '\n') s--;
                int e = at;
                while (e < in.length && in[e] != '\n') e++;
                if (e < in.length) e++;
                return rnd.nextBoolean() ? splice(in, s, e - s, new byte[0])
                        : splice(in, s, 0, java.util.Arrays.copyOfRange(in, s, e));
            }
        }
    }

    private static int find(byte[] in, int from, char c) {
        for (int i = 0; i < in.length; i++) {
            int j = (from + i) % in.length;
            if (in[j] == c) return j;
        }
        return -1;
    }

    private static int[] token(byte[] in, int at) {
        int s = at;
        while (s < in.length && in[s] <= ' ' && in[s] >= 0) s++;
        if (s == in.length) return null;
        int e = s;
        while (e < in.length && !(in[e] <= ' ' && in[e] >= 0)) e++;
        return new int[] {s, e};
    }

    private static byte[] splice(byte[] in, int at, int remove, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + insert.length);
        out.write(in, 0, at);
        out.write(insert, 0, insert.length);
        out.write(in, at + remove, in.length - at - remove);
        return out.toByteArray();
    }
}
