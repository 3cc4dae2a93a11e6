#!/usr/bin/env bash
# Health-checker benchmark: 10,000 real servers (127.1.x.y, each its own address) with HTTP_GET,
# delay_loop 1, answered by nginx in another process (one worker, port 18100 on every loopback
# address), so the figures are the checker's own. Prints checks/s, lateness, CPU and heap.
#   src/bench/checker-bench.sh [SERVERS]        (from the checkout root, as root for apt-get)
set -euo pipefail
cd "$(dirname "$0")/../.."
servers=${1:-10000}; port=18100; work=$(mktemp -d)
command -v nginx >/dev/null || { apt-get install -y nginx-light >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y nginx-light >/dev/null; }; }
cleanup() { [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/tmp"
cat > "$work/nginx.conf" <<NGX
worker_processes 1;
worker_rlimit_nofile 20000;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 16000; multi_accept on; }
http {
    access_log off;
    client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
    uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
    server { listen 0.0.0.0:$port backlog=4096; location / { return 200 "ok"; } }
}
NGX
nginx -c "$work/nginx.conf"
# the checkers in a JVM with the heap and collector the daemon's launcher (src/bin/jkeepalived) gives them
jvm="-Xms24m -Xmx256m -XX:MaxNewSize=12m -XX:+UseSerialGC ${BENCH_JVM_EXTRA:-}"
mvn -o -q -Pbench -pl healthcheck -am test -Dtest=CheckerBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
    -Dbench.servers="$servers" -Dbench.port=$port -DargLine="-Dbench.servers=$servers -Dbench.port=$port $jvm" \
    || mvn -q -Pbench -pl healthcheck -am test -Dtest=CheckerBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
    -DargLine="-Dbench.servers=$servers -Dbench.port=$port $jvm"
cat healthcheck/target/checker-benchmark.txt
