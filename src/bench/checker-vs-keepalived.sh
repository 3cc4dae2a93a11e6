#!/usr/bin/env bash
# Our health checker and keepalived 2.2.7's, side by side on the same real servers and config,
# inside ../shared/kernel-vm/run (keepalived's checker needs kernel IPVS, which this host lacks).
# N real servers (127.1.x.y:18100, all answered by one nginx) with HTTP_GET, delay_loop 1, checked
# for SECONDS by each implementation in turn. Both are measured the same way, from nginx's access
# log: checks per second, and per real server the interval between two checks (delay_loop plus
# the check's own time plus any lateness), plus the CPU time the checker process used.
#   src/bench/checker-vs-keepalived.sh [N] [SECONDS] [WARMUP]   (from the checkout root, after mvn package)
# WARMUP seconds pass before measuring (the JVM compiles its hot code first; slow under emulation).
# The VM emulates its CPU (no KVM): compare the two columns, not the absolute figures.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "${1:-}" != --inside ]; then
    n=${1:-300}; secs=${2:-20}; warm=${3:-40}
    ls -d daemon/target/jkeepalived-*/bin/jkeepalived >/dev/null || { echo "run mvn package first" >&2; exit 1; }
    exec ../shared/kernel-vm/run --timeout 1200 -- bash "$0" --inside "$n" "$secs" "$warm"
fi
n=$2; secs=$3; warm=$4
jk=$(ls -d "$PWD"/daemon/target/jkeepalived-*/bin/jkeepalived | head -1)
work=$(mktemp -d)
ip link set lo up
{
    echo 'global_defs { router_id bench }'
    echo 'virtual_server 10.0.0.1 80 {'
    echo '    delay_loop 1'
    echo '    lb_algo rr'
    echo '    lb_kind NAT'
    echo '    protocol TCP'
    for ((i = 0; i < n; i++)); do
        echo "    real_server 127.1.$((i / 250)).$((i % 250 + 1)) 18100 {"
        echo '        HTTP_GET { url { path / status_code 200 } connect_timeout 2 retry 0 }'
        echo '    }'
    done
    echo '}'
} > "$work/keepalived.conf"
mkdir -p "$work/tmp"
cat > "$work/nginx.conf" <<NGX
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 8000; }
http {
    log_format t '\$msec \$server_addr';
    client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
    uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
    server {
        listen 0.0.0.0:18100 backlog=4096;
        access_log $work/access.log t buffer=256k flush=1s;
        location / { return 200 "ok"; }
    }
}
NGX
cpu_ticks() { # utime+stime of the given pids and their children threads
    local t=0
    for p in "$@"; do [ -r /proc/$p/stat ] && t=$((t + $(awk '{print $14 + $15}' /proc/$p/stat))); done
    echo $t
}

measure() { # name command...
    local name=$1; shift
    ipvsadm -C
    rm -f "$work/access.log"
    nginx -c "$work/nginx.conf" # a fresh nginx (and log) per implementation
    "$@" > "$work/$name.log" 2>&1 &
    local pid=$!
    sleep $warm
    local pids; pids="$pid $(pgrep -P $pid | tr '\n' ' ' || true)"
    local c0; c0=$(cpu_ticks $pids)
    local t0; t0=$(date +%s.%N)
    sleep "$secs"
    local t1; t1=$(date +%s.%N)
    local c1; c1=$(cpu_ticks $pids)
    if ! kill -TERM $pid 2>/dev/null; then
        echo "$name exited during the run; its log ends:" >&2; tail -20 "$work/$name.log" >&2; return 1
    fi
    wait $pid 2>/dev/null || true
    kill -QUIT "$(cat "$work/nginx.pid")" # graceful stop writes out the log buffer
    for _ in $(seq 1 50); do [ -f "$work/nginx.pid" ] || break; sleep 0.1; done
    if [ ! -s "$work/access.log" ]; then
        echo "$name: no check reached nginx; its log ends:" >&2; tail -20 "$work/$name.log" >&2; return 1
    fi
    mv "$work/access.log" "$work/$name.access"
    python3 - "$work/$name.access" "$t0" "$t1" "$name" "$n" "$((c1 - c0))" "$(getconf CLK_TCK)" <<'PY'
import sys, collections
path, t0, t1, name, n, ticks, hz = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
by = collections.defaultdict(list)
count = 0
for line in open(path):
    ts, addr = line.split()
    ts = float(ts)
    if t0 <= ts <= t1:
        count += 1
        by[addr].append(ts)
iv = sorted(b - a for v in by.values() for a, b in zip(v, v[1:]))
pct = lambda p: iv[min(len(iv) - 1, int(p * len(iv)))] * 1000 if iv else float('nan')
secs = t1 - t0
print(f"{name:12s} {count / secs:10.0f} {n:9d} {len(by):9d} {pct(0.5):9.0f} {pct(0.99):9.0f} {pct(1.0):9.0f} {100.0 * ticks / hz / secs:7.1f}")
PY
}
printf '%s real servers, HTTP_GET, delay_loop 1, %s s measured after %s s, inside the kernel VM (emulated CPU)\n' "$n" "$secs" "$warm"
printf '%-12s %10s %9s %9s %9s %9s %9s %7s\n' impl checks/s expected servers iv_p50ms iv_p99ms iv_maxms cpu%
measure keepalived keepalived -n -C -f "$work/keepalived.conf" -p "$work/k.pid" -c "$work/c.pid"
JKEEPALIVED_JAVA_OPTS="-XX:UseAVX=2" measure jkeepalived "$jk" -n -l -C -f "$work/keepalived.conf" --metrics off \
    --control-socket "$work/jk.sock" -p "$work/jk.pid"
