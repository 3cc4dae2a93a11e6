package org.jkeepalived.healthcheck;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jkeepalived.core.time.FakeClock;

/** Probes whose answers the test sets per real server address:port; records when each ran. */
final class ScriptedProbes implements ProbeFactory {
    final FakeClock clock;
    final Map<String, Supplier<CheckResult>> answers = new HashMap<>();
    final Map<String, List<Long>> calls = new HashMap<>();
    /** Per server: how long its answer takes, in fake time on this scheduler (none: at once). */
    final Map<String, java.time.Duration> answerDelays = new HashMap<>();
    ManualScheduler scheduler;

    void answerAfter(String key, java.time.Duration d, ManualScheduler s) {
        answerDelays.put(key, d);
        scheduler = s;
    }

    ScriptedProbes(FakeClock clock) {
        this.clock = clock;
    }

    static String key(CheckTarget t) {
        return t.realServer().address().getHostAddress() + ":" + t.realServer().port();
    }

    void set(String key, boolean ok) {
        answers.put(key, () -> ok ? CheckResult.ok("ok " + key) : CheckResult.fail("connect_refused", "TCP connection to " + key + " failed."));
    }

    void set(String key, Supplier<CheckResult> s) {
        answers.put(key, s);
    }

    /** Call times in whole milliseconds of fake time. */
    List<Long> callsMillis(String key) {
        List<Long> out = new ArrayList<>();
        for (long n : calls.getOrDefault(key, List.of())) out.add(n / 1_000_000);
        return out;
    }

    @Override public Probe create(CheckTarget target) {
        String key = key(target);
        return new Probe() {
            @Override public CompletableFuture<CheckResult> check() {
                calls.computeIfAbsent(key, k -> new ArrayList<>()).add(clock.nanoTime());
                Supplier<CheckResult> s = answers.get(key);
                CheckResult r = s == null ? CheckResult.ok("ok") : s.get();
                java.time.Duration d = answerDelays.get(key);
                if (d == null) return CompletableFuture.completedFuture(r);
                CompletableFuture<CheckResult> f = new CompletableFuture<>();
                scheduler.schedule(d.toNanos(), () -> f.complete(r));
                return f;
            }

            @Override public String type() {
                return target.checker().keyword();
            }
        };
    }
}
