#!/usr/bin/env bash
# Benchmark: jkeepalived's userspace L4 engine vs HAProxy (mode tcp) vs the real server directly.
# Everything runs on loopback: nginx (the real server) on 127.0.0.1:18080, the engine on :18081,
# HAProxy on :18082. Each load run is bounded (wrk -d $DURATION). Prints a side-by-side table.
#
#   ipvs-driver/bench/engine-vs-haproxy.sh            (from the repository root, as root for apt-get)
#   DURATION=10s CONNS=64 IDLE=9000 ENGINE_CP=... ipvs-driver/bench/engine-vs-haproxy.sh
#
# ENGINE_CP: classpath of the engine (default: built here with Maven, offline first).
# Memory per idle connection: see the comment above measure_idle().
set -euo pipefail

DURATION=${DURATION:-10s}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
IDLE=${IDLE:-9000}
ROUNDS=${ROUNDS:-2}
WARMUP=${WARMUP:-10s}
BIG=${BIG:-1G}
WORK=${WORK:-/tmp/jk-bench}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# the JVM options the daemon's launcher runs the engine with, read from the launcher itself
# (and the native-heap trim it adds when this JVM has the option, decided by the launcher's own test)
launcher_trim_opt() {
    local java=java
    eval "$(sed -n '/^trims_native_heap() {/,/^}/p' "$ROOT/src/bin/jkeepalived")"
    if trims_native_heap; then grep -o -- '-XX:TrimNativeHeapInterval=[0-9]*' "$ROOT/src/bin/jkeepalived" | head -1; fi
}
if [ -z "${ENGINE_JAVA_OPTS:-}" ]; then
    ENGINE_JAVA_OPTS=$(sed -n 's/^ *opts="\(-Xms[^"]*\)"$/\1/p' "$ROOT/src/bin/jkeepalived")
    [ -n "$ENGINE_JAVA_OPTS" ] || { echo "no daemon JVM options found in $ROOT/src/bin/jkeepalived" >&2; exit 1; }
    ENGINE_JAVA_OPTS="$ENGINE_JAVA_OPTS $(launcher_trim_opt)"
fi
BACKEND=127.0.0.1:18080
ENGINE=127.0.0.1:18081
HAPROXY=127.0.0.1:18082

log() { echo "== $*" >&2; }

install_tools() {
    local missing=()
    command -v wrk >/dev/null || missing+=(wrk)
    command -v haproxy >/dev/null || missing+=(haproxy)
    command -v nginx >/dev/null || missing+=(nginx-light)
    command -v python3 >/dev/null || missing+=(python3)
    if ((${#missing[@]})); then
        log "installing ${missing[*]}"
        apt-get install -y "${missing[@]}" >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y "${missing[@]}" >/dev/null; }
    fi
}

PIDS=()
cleanup() {
    for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
    [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
    [ -f "$WORK/haproxy.pid" ] && kill "$(cat "$WORK/haproxy.pid")" 2>/dev/null || true
    wait 2>/dev/null || true
}
trap cleanup EXIT

# nginx listens with reuseport: the kernel hashes each connection to one worker's socket, so both
# workers get about half of a proxy's connections. Without it, which worker accepts a burst of them
# (wrk's 64, then the proxy's 64 to the real server) is a race: splits of 5/59 were seen, and one
# worker serving most of them moved the keep-alive figures of either proxy by 10 % from run to run.
start_nginx() {
    mkdir -p "$WORK/www" "$WORK/nginx-tmp"
    printf 'hello from the real server\n' > "$WORK/www/index.html"
    [ -f "$WORK/www/big.bin" ] || fallocate -l "$BIG" "$WORK/www/big.bin" 2>/dev/null || truncate -s "$BIG" "$WORK/www/big.bin"
    cat > "$WORK/nginx.conf" <<NGX
worker_processes auto;
worker_rlimit_nofile 20000;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 20000; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    keepalive_timeout 120s;
    client_body_temp_path $WORK/nginx-tmp;
    proxy_temp_path $WORK/nginx-tmp;
    fastcgi_temp_path $WORK/nginx-tmp;
    uwsgi_temp_path $WORK/nginx-tmp;
    scgi_temp_path $WORK/nginx-tmp;
    server {
        listen $BACKEND backlog=4096 reuseport;
        root $WORK/www;
    }
}
NGX
    nginx -c "$WORK/nginx.conf"
}

start_haproxy() {
    cat > "$WORK/haproxy.cfg" <<HAP
global
    maxconn 9800
    pidfile $WORK/haproxy.pid
defaults
    mode tcp
    timeout connect 5s
    timeout client 120s
    timeout server 120s
listen l4
    bind $HAPROXY
    server s1 $BACKEND
HAP
    haproxy -D -f "$WORK/haproxy.cfg"
    for _ in $(seq 50); do [ -s "$WORK/haproxy.pid" ] && break; sleep 0.1; done
}

engine_classpath() {
    if [ -n "${ENGINE_CP:-}" ]; then echo "$ENGINE_CP"; return; fi
    (cd "$ROOT" && mvn -q -o -pl ipvs-driver -am -DskipTests package dependency:build-classpath \
        -Dmdep.includeScope=runtime -Dmdep.outputFile="$WORK/cp.txt" >/dev/null 2>&1 \
        || mvn -q -pl ipvs-driver -am -DskipTests package dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$WORK/cp.txt" >/dev/null)
    echo "$ROOT/ipvs-driver/target/classes:$ROOT/keepalived-core/target/classes:$(cat "$WORK/cp.txt")"
}

ENGINE_PID=
start_engine() {
    local cp; cp=$(engine_classpath)
    # its own session, as a daemon: nginx and HAProxy (-D) detach into theirs. With the kernel's
    # autogroup scheduling (sched_autogroup_enabled=1) every session is one group for the fair
    # scheduler, so an engine left in this script's session would share one group's CPU with wrk's
    # threads while HAProxy had a group to itself (seen: keep-alive p99 of 10-28 ms against 3-5 ms)
    setsid java $ENGINE_JAVA_OPTS -cp "$cp" org.jkeepalived.ipvs.engine.EngineBenchMain "$ENGINE" "$BACKEND" rr 0 \
        > "$WORK/engine.log" 2>&1 < /dev/null &
    ENGINE_PID=$!
    PIDS+=("$ENGINE_PID")
    for _ in $(seq 100); do grep -q '^ready' "$WORK/engine.log" && break; sleep 0.1; done
    grep -q '^ready' "$WORK/engine.log" || { cat "$WORK/engine.log" >&2; exit 1; }
    log "engine up ($(grep '^ready' "$WORK/engine.log"))"
}

wait_port() { for _ in $(seq 50); do curl -s -o /dev/null "http://$1/" && return 0; sleep 0.1; done; return 1; }

# wrk: prints "requests/s p99-ms"
to_ms() {
    python3 -c 'import sys,re
v=sys.argv[1]; m=re.match(r"([0-9.]+)(us|ms|s)",v)
n=float(m.group(1)); u=m.group(2)
print(round(n/1000 if u=="us" else n*1000 if u=="s" else n,3))' "$1"
}
# CPU time (user + system, all threads) of processes, in clock ticks
cpu_ticks() {
    local t=0 p f
    for p in "$@"; do
        [ -r "/proc/$p/stat" ] || continue
        f=$(sed 's/^.*) //' "/proc/$p/stat")
        t=$((t + $(echo "$f" | awk '{print $12 + $13}')))
    done
    echo "$t"
}
# pids whose CPU a target spends: nginx workers for direct runs, the proxy process otherwise
target_pids() {
    case $1 in
        "$BACKEND") pgrep -x nginx | tr '\n' ' ' ;;
        "$ENGINE") echo "$ENGINE_PID" ;;
        "$HAPROXY") cat "$WORK/haproxy.pid" ;;
    esac
}
# wrk: prints "requests/s p99-ms cpu-us-per-request" (CPU of the proxy itself, or of nginx when direct)
run_wrk() {
    local target=$1; shift
    local pids; pids=$(target_pids "$target")
    local c0; c0=$(cpu_ticks $pids)
    local out; out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$@" "http://$target/" 2>&1)
    local c1; c1=$(cpu_ticks $pids)
    echo "### $target $*" >> "$WORK/wrk.log"
    echo "$out" >> "$WORK/wrk.log"
    local rps p99 errs reqs
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p99=$(echo "$out" | awk '$1=="99%" {print $2}')
    reqs=$(echo "$out" | awk '/requests in/ {print $1}')
    errs=$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')
    [ -n "$errs" ] && log "wrk $target $*: $errs"
    local hz; hz=$(getconf CLK_TCK)
    echo "$rps $(to_ms "$p99") $(python3 -c "print(round(($c1-$c0)*1e6/$hz/max(1,$reqs),1))")"
}

# best (highest requests/s) of several "rps p99 cpu" lines
best() { sort -k1,1 -g -r | head -1; }

download() {
    curl -s --max-time 120 -o /dev/null -w '%{speed_download}' "http://$1/big.bin" \
        | python3 -c 'import sys; print(round(float(sys.stdin.read())/1048576,1))'
}

rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

# Memory per idle connection: a fresh proxy process, its RSS before and after $IDLE idle client
# connections (each also opens a connection to nginx), divided by $IDLE. Socket buffers live in kernel
# memory and are not part of a process's RSS, so the delta is what the proxy itself spends; idle
# loopback sockets hold no queued data anyway. Measured twice per proxy, each time in a new process:
#  - "served traffic first": the process first gets the same keep-alive and new-connection wrk runs as
#    the warm-up above (never more than $CONNS connections at a time, so no memory is kept for
#    thousands), as a balancer in service has; for the JVM that means the connection code is compiled;
#  - "fresh": nothing before the idle connections; for the JVM the C2 compiler compiles the
#    connection code during that first burst, and its working memory (over 10 MB, freed when the
#    compile ends) stays resident unless the launcher's native-heap trim returns it (see the launcher).
# Both readings are taken with the process at rest: 3 s after a full GC before the burst and 5 s after
# the last connection opened.
# For the JVM the RSS delta also counts young-generation pages touched by short-lived allocations
# and old-generation pages that held garbage promoted while the burst ran, so the live Java heap
# after a full GC (jcmd GC.run) is reported too: that is what the connections keep. $IDLE defaults
# to 9000: with RLIMIT_NOFILE 20000 (this machine's hard limit) a proxy cannot hold 10,000 client +
# 10,000 server sockets.
idle_clients() {
    python3 - "$1" "$2" "$3" <<'PY'
import socket, sys, time, resource
port, n, hold = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
socks = []
for i in range(n):
    s = socket.create_connection(("127.0.0.1", port))
    socks.append(s)
print("open", len(socks), flush=True)
time.sleep(hold)
PY
}
measure_idle() {
    local port=$1 pid=$2
    sleep 1
    if [ "$4" = warm ]; then warm_up "127.0.0.1:$port"; sleep 1; fi
    local before; before=$(rss_kib "$pid")
    local heap_before=""
    # the JVM settles first: pending compiles end and the launcher's native-heap trim (every second)
    # returns what they freed, so the delta does not count memory that was freed before the burst
    if [ "$3" = java ]; then jcmd "$pid" GC.run >/dev/null 2>&1; sleep 3; heap_before=$(heap_used_kib "$pid"); before=$(rss_kib "$pid"); fi
    idle_clients "$port" "$IDLE" 10 > "$WORK/idle.out" 2>&1 &
    local cpid=$!
    for _ in $(seq 200); do grep -q '^open' "$WORK/idle.out" && break; sleep 0.1; done
    # read once the connections idle: the compiles the burst started have ended and their memory
    # has been trimmed (the JVM); a C proxy's RSS does not change in that time
    sleep 5
    local after; after=$(rss_kib "$pid")
    local heap_after=""
    if [ "$3" = java ]; then jcmd "$pid" GC.run >/dev/null 2>&1; sleep 0.5; heap_after=$(heap_used_kib "$pid"); fi
    local opened; opened=$(awk '/^open/ {print $2}' "$WORK/idle.out")
    wait "$cpid" 2>/dev/null || true
    local per; per=$(python3 -c "print(round(($after-$before)*1024/max(1,${opened:-0})))")
    if [ "$3" = java ]; then
        local hper; hper=$(python3 -c "print(round(($heap_after-$heap_before)*1024/max(1,${opened:-0})))")
        echo "$per $hper ${opened:-0}"
    else
        echo "$per - ${opened:-0}"
    fi
}
# Java heap in use, KiB: G1's one heap line, or the sum of Serial/Parallel's generations (Metaspace excluded)
heap_used_kib() { jcmd "$1" GC.heap_info 2>/dev/null | awk '/generation|garbage-first heap|PSYoungGen|ParOldGen/ {for(i=1;i<=NF;i++) if($i=="used") {v=$(i+1); gsub(/[^0-9]/,"",v); s+=v}} END {print s+0}'; }

# $WARMUP of keep-alive then of new-connection load on one target
warm_up() {
    wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" "http://$1/" >/dev/null 2>&1
    wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" -H "Connection: close" "http://$1/" >/dev/null 2>&1
}
# before the measured rounds: every kind of load twice, so that the JIT has seen all of them (a fresh
# JVM deoptimises and recompiles hot methods when a kind of load it has not profiled arrives, and runs
# slower until the recompiled code is in: seen as 40-190 ms stalls in the first runs after a start)
warm_up_all() {
    for _ in 1 2; do warm_up "$1"; download "$1" >/dev/null; done
}
restart_engine() { kill "$ENGINE_PID"; wait "$ENGINE_PID" 2>/dev/null || true; start_engine; }
restart_haproxy() { kill "$(cat "$WORK/haproxy.pid")"; sleep 0.5; start_haproxy; }

main() {
    install_tools
    mkdir -p "$WORK"; : > "$WORK/wrk.log"
    ulimit -n "$(ulimit -Hn)"
    cleanup; PIDS=()
    # a listener left on one of our ports would share it: the engine and nginx bind with SO_REUSEPORT
    local busy; busy=$(ss -ltnpH | grep -E ":(${BACKEND##*:}|${ENGINE##*:}|${HAPROXY##*:}) " || true)
    [ -z "$busy" ] || { echo "ports in use (a stale engine, nginx or haproxy?):" >&2; echo "$busy" >&2; exit 1; }
    start_nginx; start_haproxy; start_engine
    wait_port "$BACKEND"; wait_port "$ENGINE"; wait_port "$HAPROXY"
    # warm-up: the JVM compiles its hot paths (measured: the first 10-20 s run at up to twice the CPU per
    # request); every target gets the same warm-up
    log "warm-up (twice: ${WARMUP} keep-alive + ${WARMUP} new-connection runs + a download, per target)"
    for t in $BACKEND $ENGINE $HAPROXY; do warm_up_all "$t"; done

    # targets interleaved, $ROUNDS rounds, best round kept: the machine may be shared and noisy
    declare -A KA CL DL
    for r in $(seq "$ROUNDS"); do
        for t in $BACKEND $ENGINE $HAPROXY; do
            log "round $r: keep-alive $t"; KA[$t]+="$(run_wrk "$t")"$'\n'
            log "round $r: Connection: close $t"; CL[$t]+="$(run_wrk "$t" -H "Connection: close")"$'\n'
            log "round $r: 1 GiB download $t"; DL[$t]+="$(download "$t")"$'\n'
        done
    done
    for t in $BACKEND $ENGINE $HAPROXY; do
        KA[$t]=$(printf '%s' "${KA[$t]}" | best); CL[$t]=$(printf '%s' "${CL[$t]}" | best)
        DL[$t]=$(printf '%s' "${DL[$t]}" | sort -g -r | head -1)
    done

    local mem_engine mem_engine_cold mem_hap mem_hap_cold
    log "idle connections: new engine, served traffic first"
    restart_engine; mem_engine=$(measure_idle 18081 "$ENGINE_PID" java warm)
    log "idle connections: fresh engine"
    restart_engine; mem_engine_cold=$(measure_idle 18081 "$ENGINE_PID" java fresh)
    log "idle connections: new haproxy, served traffic first"
    restart_haproxy; mem_hap=$(measure_idle 18082 "$(cat "$WORK/haproxy.pid")" native warm)
    log "idle connections: fresh haproxy"
    restart_haproxy; mem_hap_cold=$(measure_idle 18082 "$(cat "$WORK/haproxy.pid")" native fresh)

    echo
    printf '%-34s %16s %16s %16s\n' "" "direct (nginx)" "jkeepalived" "haproxy $(haproxy -v | awk 'NR==1{print $3}')"
    row() { printf '%-34s %16s %16s %16s\n' "$1" "$2" "$3" "$4"; }
    f() { echo "$1" | awk -v i="$2" '{print $i}'; }
    row "req/s keep-alive (c=$CONNS)" "$(f "${KA[$BACKEND]}" 1)" "$(f "${KA[$ENGINE]}" 1)" "$(f "${KA[$HAPROXY]}" 1)"
    row "p99 ms keep-alive" "$(f "${KA[$BACKEND]}" 2)" "$(f "${KA[$ENGINE]}" 2)" "$(f "${KA[$HAPROXY]}" 2)"
    row "CPU us/request keep-alive" "$(f "${KA[$BACKEND]}" 3)" "$(f "${KA[$ENGINE]}" 3)" "$(f "${KA[$HAPROXY]}" 3)"
    row "req/s new conn per request" "$(f "${CL[$BACKEND]}" 1)" "$(f "${CL[$ENGINE]}" 1)" "$(f "${CL[$HAPROXY]}" 1)"
    row "p99 ms new conn per request" "$(f "${CL[$BACKEND]}" 2)" "$(f "${CL[$ENGINE]}" 2)" "$(f "${CL[$HAPROXY]}" 2)"
    row "CPU us/request new conn" "$(f "${CL[$BACKEND]}" 3)" "$(f "${CL[$ENGINE]}" 3)" "$(f "${CL[$HAPROXY]}" 3)"
    row "1 GiB download MiB/s" "${DL[$BACKEND]}" "${DL[$ENGINE]}" "${DL[$HAPROXY]}"
    row "RSS B/idle conn, served traffic first" "-" "$(f "$mem_engine" 1)" "$(f "$mem_hap" 1)"
    row "  live heap B/idle conn" "-" "$(f "$mem_engine" 2)" "-"
    row "RSS B/idle conn, fresh process" "-" "$(f "$mem_engine_cold" 1)" "$(f "$mem_hap_cold" 1)"
    row "  live heap B/idle conn" "-" "$(f "$mem_engine_cold" 2)" "-"
    echo
    echo "idle connections: $(f "$mem_engine" 3) (engine) / $(f "$mem_hap" 3) (haproxy) held at once, each proxy a new process"
    echo "wrk -t$THREADS -c$CONNS -d$DURATION, best of $ROUNDS interleaved rounds; nproc=$(nproc), load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "engine: $(sed -n 's/^ready //p' "$WORK/engine.log") transport, JVM options: $ENGINE_JAVA_OPTS"
    echo "CPU us/request: user+system time of the proxy process (nginx workers for direct) / requests served"
    echo "raw wrk output in $WORK/wrk.log"
}
main "$@"
