#!/usr/bin/env bash
# Benchmark for `jkeepalived -t` (cold, whole process) on a 500 × 20 HTTP_GET config, side by side
# with keepalived's own -t on the same file when keepalived is installed.
#   src/bench/config-test-bench.sh [RUNS]    (after `mvn -q package -DskipTests`)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-10}
jk=$(ls -d daemon/target/jkeepalived-*/bin/jkeepalived 2>/dev/null | head -1)
[ -x "$jk" ] || { echo "build first: mvn -q package -DskipTests" >&2; exit 1; }
conf=$(mktemp --suffix=.conf); trap 'rm -f "$conf"' EXIT
bash src/bench/gen-big-config.sh "$conf" 500 20
echo "config: $(grep -c real_server "$conf") real servers, $(wc -l < "$conf") lines"
time_runs() { # label command...
  local label=$1; shift
  "$@" >/dev/null 2>&1 || true # warm the page cache, not the JVM
  local ts=()
  for ((i = 0; i < runs; i++)); do
    local s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; local e=$(date +%s%N)
    ts+=($(((e - s) / 1000000)))
  done
  local sorted=($(printf '%s\n' "${ts[@]}" | sort -n))
  printf '%-24s median %5d ms   best %5d ms   worst %5d ms   (%d cold runs)\n' "$label" \
    "${sorted[$((runs / 2))]}" "${sorted[0]}" "${sorted[$((runs - 1))]}" "$runs"
}
time_runs "jkeepalived -t" "$jk" -t -f "$conf"
"$jk" -t -f "$conf" >/dev/null 2>&1 && echo "jkeepalived -t verdict: ok" || echo "jkeepalived -t verdict: exit $?"
if command -v keepalived >/dev/null; then
  time_runs "keepalived -t (2.2.7)" keepalived -t -f "$conf"
fi
