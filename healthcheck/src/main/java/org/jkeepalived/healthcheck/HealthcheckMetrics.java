package org.jkeepalived.healthcheck;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Meters of the checkers, named in the keepalived_ scheme (Prometheus names in brackets):
 * <ul>
 *   <li>{@code keepalived.lvs.rs.up} [keepalived_lvs_rs_up] gauge 1/0, tags vs, rs</li>
 *   <li>{@code keepalived.lvs.rs.weight} [keepalived_lvs_rs_weight] gauge, effective weight, tags vs, rs</li>
 *   <li>{@code keepalived.lvs.vs.quorum.up} [keepalived_lvs_vs_quorum_up] gauge 1/0, tag vs</li>
 *   <li>{@code keepalived.check.runs} [keepalived_check_runs_total] counter, tag type</li>
 *   <li>{@code keepalived.check.failures} [keepalived_check_failures_total] counter, tags type, reason</li>
 *   <li>{@code keepalived.check.duration} [keepalived_check_duration_seconds] timer with histogram, tag type</li>
 *   <li>{@code keepalived.check.lateness} [keepalived_check_lateness_seconds] timer: how late checks start
 *       after they came due (scheduler lag), with histogram and p50/p99</li>
 * </ul>
 */
public final class HealthcheckMetrics {
    public static final String RS_UP = "keepalived.lvs.rs.up";
    public static final String RS_WEIGHT = "keepalived.lvs.rs.weight";
    public static final String VS_QUORUM_UP = "keepalived.lvs.vs.quorum.up";
    public static final String CHECK_RUNS = "keepalived.check.runs";
    public static final String CHECK_FAILURES = "keepalived.check.failures";
    public static final String CHECK_DURATION = "keepalived.check.duration";
    public static final String CHECK_LATENESS = "keepalived.check.lateness";

    private final MeterRegistry registry;
    private final Map<String, Counter> runs = new ConcurrentHashMap<>();
    private final Map<String, Counter> failures = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    /** Gauges bound to this service's state: removed on close so a reloaded service can register its own. */
    private final java.util.List<Meter> gauges = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final Timer lateness;

    public HealthcheckMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.lateness = Timer.builder(CHECK_LATENESS).publishPercentileHistogram().publishPercentiles(0.5, 0.99)
                .serviceLevelObjectives(ms(1), ms(2), ms(5), ms(10), ms(20), ms(50), ms(100), ms(200), ms(500),
                        ms(1000), ms(2000))
                .minimumExpectedValue(Duration.ofNanos(100_000)).maximumExpectedValue(Duration.ofSeconds(10))
                .description("Delay between a check coming due and starting").register(registry);
    }

    private static Duration ms(long n) {
        return Duration.ofMillis(n);
    }

    void lateness(long nanos) {
        lateness.record(Duration.ofNanos(Math.max(0, nanos)));
    }

    void realServer(String vs, String rs, Supplier<Boolean> up, Supplier<Integer> weight) {
        gauges.add(Gauge.builder(RS_UP, () -> up.get() ? 1 : 0).tag("vs", vs).tag("rs", rs)
                .description("Real server alive per its checkers (1) or not (0)").register(registry));
        gauges.add(Gauge.builder(RS_WEIGHT, () -> weight.get()).tag("vs", vs).tag("rs", rs)
                .description("Real server effective weight").register(registry));
    }

    void virtualServer(String vs, Supplier<Boolean> quorumUp) {
        gauges.add(Gauge.builder(VS_QUORUM_UP, () -> quorumUp.get() ? 1 : 0).tag("vs", vs)
                .description("Virtual server quorum state (1 up, 0 lost)").register(registry));
    }

    void close() {
        for (Meter m : gauges) registry.remove(m);
        gauges.clear();
    }

    void check(String type, CheckResult r, long nanos) {
        runs.computeIfAbsent(type, t -> Counter.builder(CHECK_RUNS).tag("type", t)
                .description("Check attempts").register(registry)).increment();
        if (!r.ok()) {
            failures.computeIfAbsent(type + "\0" + r.reason(), k -> Counter.builder(CHECK_FAILURES).tag("type", type)
                    .tag("reason", r.reason()).description("Failed check attempts").register(registry)).increment();
        }
        timers.computeIfAbsent(type, t -> Timer.builder(CHECK_DURATION).tag("type", t).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .description("Check attempt latency").register(registry)).record(Duration.ofNanos(Math.max(0, nanos)));
    }
}
