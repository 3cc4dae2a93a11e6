#!/usr/bin/env bash
# VRRP failover benchmark: ours and keepalived side by side on the same namespace topology and
# config, RUNS drills each, medians printed. As root, after `mvn -q package -DskipTests`.
#   [IMPLS="ours keepalived"] [SIGNALS="KILL TERM"] src/bench/vrrp-failover-bench.sh [RUNS] [ADVERT_INT] [VERSION]
# A client namespace starts a request to VIP:80 every 2 ms (overlapping: one request stuck on the
# dead master's MAC does not delay the next); each director answers with its own name, so the time
# from the signal to the arrival of the first answer from the backup is what a client sees.
# Crash = SIGKILL of the master; graceful = SIGTERM (priority 0 advert).
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-20}; advert=${2:-1}; version=${3:-2}
jk=$(ls -d "$PWD"/daemon/target/jkeepalived-*/bin/jkeepalived | head -1)
command -v keepalived >/dev/null || { echo "keepalived not installed (apt-get install keepalived)" >&2; exit 1; }
command -v curl >/dev/null || apt-get install -y curl >/dev/null
P=jkb; work=$(mktemp -d)
cleanup() {
  for n in c d1 d2; do for pid in $(ip netns pids $P$n 2>/dev/null); do kill -9 $pid 2>/dev/null || true; done; done
  for n in c d1 d2 br; do ip netns del $P$n 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
cleanup; work=$(mktemp -d)
ip netns add ${P}br; ip -n ${P}br link add br0 type bridge; ip -n ${P}br link set br0 up
i=2; for n in c d1 d2; do
  ip netns add $P$n
  ip -n $P$n link add eth0 type veth peer name v$n netns ${P}br
  ip -n ${P}br link set v$n master br0 up
  ip -n $P$n addr add 10.78.0.$i/24 dev eth0; ip -n $P$n link set eth0 up; ip -n $P$n link set lo up
  i=$((i + 1))
done
for d in d1 d2; do
  ip netns exec $P$d sysctl -qw net.ipv4.ip_nonlocal_bind=1
  ip netns exec $P$d "$jk" drill backend --name $d --listen 0.0.0.0:80 >/dev/null 2>&1 &
done
conf() { # name state priority
  cat <<EOC
vrrp_instance VI_B {
    state $2
    interface eth0
    virtual_router_id 78
    priority $3
    advert_int $advert
    version $version
    virtual_ipaddress {
        10.78.0.100/24 dev eth0
    }
}
EOC
}
conf d1 MASTER 150 > "$work/d1.conf"; conf d2 BACKUP 100 > "$work/d2.conf"
start() { # impl ns
  if [ "$1" = ours ]; then
    ip netns exec $P$2 "$jk" -n -G -P -f "$work/$2.conf" --metrics off --control-socket "$work/$2.sock" -p "$work/$2.pid" >"$work/$2.log" 2>&1 &
  else
    ip netns exec $P$2 keepalived -n -l -G -P -f "$work/$2.conf" -p "$work/$2.kpid" -r "$work/$2.vpid" >"$work/$2.log" 2>&1 &
  fi
  echo $!
}
ms_now() { echo $(($(date +%s%N) / 1000000)); }
one_drill() { # impl signal -> prints ms from kill to first answer from d2
  local impl=$1 sig=$2
  local p2; p2=$(start "$impl" d2); sleep 0.5
  local p1; p1=$(start "$impl" d1)
  # wait until d1 answers on the VIP
  for _ in $(seq 1 200); do
    [ "$(ip netns exec ${P}c curl -s -m 1 --http1.0 http://10.78.0.100/ 2>/dev/null | tail -1)" = d1 ] && break
    sleep 0.05
  done
  sleep 1
  ip netns exec ${P}c "$jk" drill client --target 10.78.0.100:80 --interval-ms 2 --timeout-ms 50 --overlap > "$work/client.out" 2>/dev/null &
  local cpid=$!
  sleep 0.5
  # every process of the master (keepalived forks a VRRP child: killing only its parent would let
  # the child exit gracefully with a priority-0 advert, which is not a crash); found before the
  # clock starts so that the /proc scan is not timed
  local pids; pids=$(pgrep -f -- "-f $work/d1.conf" | tr '\n' ' ')
  local t0; t0=$(ms_now)
  kill -$sig $pids 2>/dev/null || true
  for _ in $(seq 1 2000); do grep -q ' ok d2 ' "$work/client.out" && break; sleep 0.005; done
  kill $cpid 2>/dev/null; wait $cpid 2>/dev/null || true
  # arrival of the first answer from d2: start of its request + its latency
  local t1; t1=$(awk '$2=="ok" && $3=="d2" {t = $1 + int($4 / 1000); if (m == "" || t < m) m = t} END {if (m != "") printf "%.0f\n", m}' "$work/client.out")
  pkill -9 -f -- "-f $work/d[12].conf" || true; wait $p1 $p2 2>/dev/null || true
  # a killed keepalived leaves its pid files; a reused pid in them would stop the next start
  rm -f "$work"/*.kpid "$work"/*.vpid "$work"/*.pid
  ip -n ${P}d1 addr del 10.78.0.100/24 dev eth0 2>/dev/null || true
  ip -n ${P}d2 addr del 10.78.0.100/24 dev eth0 2>/dev/null || true
  echo "$impl $sig: $([ -n "$t1" ] && echo $((t1 - t0)) || echo NA) ms (drill took $(( $(ms_now) - t0 )) ms after the signal)" >&2
  [ -n "$t1" ] && echo $((t1 - t0)) || echo NA
}
median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) print "NA"; else if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }
printf 'advert_int %s, version %s, %d drills each\n' "$advert" "$version" "$runs"
printf '%-12s %-10s %10s\n' impl event median_ms
for impl in ${IMPLS:-ours keepalived}; do
  for sig in ${SIGNALS:-KILL TERM}; do
    res=$(for _ in $(seq 1 "$runs"); do one_drill $impl $sig; done | grep -v NA | median)
    printf '%-12s %-10s %10s\n' "$impl" "$([ $sig = KILL ] && echo crash || echo graceful)" "$res"
  done
done
