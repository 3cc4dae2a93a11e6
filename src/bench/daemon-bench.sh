#!/usr/bin/env bash
# Daemon benchmarks (issue "the daemon"), as root, after `mvn -q package -DskipTests`:
#  1. start to first VRRP advertisement (a priority-255 owner, so it advertises at once), median of RUNS;
#  2. resident memory (VmRSS) of the daemon with a two-instance, two-virtual-server config, default
#     launcher JVM options, after it settles;
#  3. reload of a 10,000-real-server config (500 × 20 TCP_CHECKs on loopback ports nobody listens on):
#     the time the reload takes, and that no VRRP transition happened.
# Everything runs in network namespaces this script creates (and deletes).
#   src/bench/daemon-bench.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
jk=$(ls -d "$PWD"/daemon/target/jkeepalived-*/bin/jkeepalived | head -1)
command -v tcpdump >/dev/null || { apt-get install -y -qq tcpdump >/dev/null; }
P=jkdb; work=$(mktemp -d)
cleanup() {
  for n in a b; do for pid in $(ip netns pids $P$n 2>/dev/null); do kill -9 $pid 2>/dev/null || true; done; ip netns del $P$n 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
cleanup; work=$(mktemp -d)
ip netns add ${P}a; ip netns add ${P}b
ip -n ${P}a link add eth0 type veth peer name eth0 netns ${P}b
for n in a b; do ip -n $P$n link set lo up; ip -n $P$n link set eth0 up; done
ip -n ${P}a addr add 10.79.0.1/24 dev eth0; ip -n ${P}b addr add 10.79.0.2/24 dev eth0

cat > "$work/owner.conf" <<EOC
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 79
    priority 255
    advert_int 1
    virtual_ipaddress {
        10.79.0.100/24
    }
}
EOC
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }

echo "== start to first advertisement ($runs runs)"
for i in $(seq 1 "$runs"); do
  ip netns exec ${P}b timeout 20 tcpdump -i eth0 -c 1 -tt -n 'ip proto 112' > "$work/cap" 2>/dev/null &
  tp=$!; sleep 1
  t0=$(date +%s%N)
  ip netns exec ${P}a "$jk" -n -G -P -f "$work/owner.conf" --metrics off --control-socket "$work/a.sock" -p "$work/a.pid" >/dev/null 2>&1 &
  dp=$!
  wait $tp || true
  t1=$(awk '{print $1; exit}' "$work/cap")
  kill $dp; wait $dp 2>/dev/null || true
  [ -n "$t1" ] && awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%d\n", (b * 1e9 - a) / 1e6}'
done | median | sed 's/^/  median ms: /'

echo "== resident memory, two vrrp_instances + two virtual_servers"
cat > "$work/two.conf" <<EOC
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 81
    priority 150
    virtual_ipaddress {
        10.79.0.101/24
    }
}
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 82
    priority 150
    virtual_ipaddress {
        10.79.0.102/24
    }
}
virtual_server 10.79.0.101 80 {
    protocol TCP
    delay_loop 2
    lvs_sched rr
    lvs_method NAT
    real_server 127.0.0.1 18001 {
        TCP_CHECK {
            connect_timeout 1
        }
    }
}
virtual_server 10.79.0.102 80 {
    protocol TCP
    delay_loop 2
    lvs_sched rr
    lvs_method NAT
    real_server 127.0.0.1 18002 {
        TCP_CHECK {
            connect_timeout 1
        }
    }
}
EOC
ip netns exec ${P}a sysctl -qw net.ipv4.ip_nonlocal_bind=1
ip netns exec ${P}a "$jk" -n -G -f "$work/two.conf" --engine userspace --control-socket "$work/a.sock" -p "$work/a.pid" >/dev/null 2>&1 &
dp=$!; sleep 15
pid=$(cat "$work/a.pid")
echo "  VmRSS: $(awk '/VmRSS/ {print int($2/1024) " MB"}' /proc/$pid/status)  (launcher defaults)"
kill $dp; wait $dp 2>/dev/null || true

echo "== reload of a 10,000-real-server config"
{
  cat "$work/owner.conf" | sed 's/priority 255/priority 200/'
  for ((v = 0; v < 500; v++)); do
    printf 'virtual_server 10.80.%d.%d 80 {\n    delay_loop 30\n    lvs_sched wrr\n    lvs_method NAT\n    protocol TCP\n' $((v / 250)) $((v % 250 + 1))
    for ((r = 0; r < 20; r++)); do
      printf '    real_server 127.1.%d.%d 18080 {\n        weight 1\n        TCP_CHECK {\n            connect_timeout 1\n        }\n    }\n' $(((v * 20 + r) / 250)) $(((v * 20 + r) % 250 + 1))
    done
    echo "}"
  done
} > "$work/big.conf"
ip netns exec ${P}a "$jk" -n -G -f "$work/big.conf" --engine userspace --control-socket "$work/a.sock" -p "$work/a.pid" > "$work/big.log" 2>&1 &
dp=$!
for _ in $(seq 1 120); do "$jk" status --control-socket "$work/a.sock" 2>/dev/null | grep MASTER >/dev/null && break; sleep 1; done
sleep 5
before=$("$jk" status --json --control-socket "$work/a.sock" | grep -o '"become_master" : [0-9]*' | head -1)
for i in 1 2 3; do
  "$jk" ctl reload --control-socket "$work/a.sock" | grep -o '"elapsed_ms" : [0-9]*' | sed 's/^/  reload /'
  sleep 2
done
after=$("$jk" status --json --control-socket "$work/a.sock" | grep -o '"become_master" : [0-9]*' | head -1)
echo "  VRRP become_master before/after: ${before##* } / ${after##* } (equal = no transition)"
kill $dp; wait $dp 2>/dev/null || true
