#!/usr/bin/env bash
# Installs the built .deb and starts the daemon from it once, in a network namespace of its own:
# it must elect itself MASTER, claim its VIP, answer `jkeepalived status`, and stop cleanly on SIGTERM.
set -euo pipefail
cd "$(dirname "$0")/../.."
deb=$(ls daemon/target/jkeepalived_*_all.deb | head -1)
apt-get install -y -qq "./$deb" >/dev/null
test -x /usr/sbin/jkeepalived && test -f /etc/jkeepalived/keepalived.conf && test -f /lib/systemd/system/jkeepalived.service
/usr/sbin/jkeepalived -v
NS=jkdeb$$; work=$(mktemp -d)
cleanup() { for p in $(ip netns pids $NS 2>/dev/null); do kill -9 $p 2>/dev/null || true; done; ip netns del $NS 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
ip netns add $NS
ip -n $NS link add eth0 type veth peer name peer0
ip -n $NS link set lo up; ip -n $NS link set eth0 up; ip -n $NS link set peer0 up
cat > "$work/keepalived.conf" <<EOC
vrrp_instance VI_DEB {
    state MASTER
    interface eth0
    virtual_router_id 42
    priority 200
    advert_int 1
    virtual_ipaddress {
        10.99.0.1/24
    }
}
virtual_server 10.99.0.1 80 {
    protocol TCP
    delay_loop 2
    lvs_sched rr
    lvs_method NAT
    real_server 127.0.0.1 18099 {
        TCP_CHECK {
            connect_timeout 1
        }
    }
}
EOC
ip netns exec $NS /usr/sbin/jkeepalived -t -f "$work/keepalived.conf"
ip netns exec $NS /usr/sbin/jkeepalived -n -l -G -f "$work/keepalived.conf" --engine userspace \
  --control-socket "$work/c.sock" -p "$work/pid" > "$work/log" 2>&1 &
dpid=$!
# No `grep -q` at the end of a pipe here: under pipefail, grep quitting at its first match can kill
# the writer with SIGPIPE (ip flushes each address line) and turn a match into a failure.
is_master() { /usr/sbin/jkeepalived status --control-socket "$work/c.sock" 2>/dev/null | grep MASTER >/dev/null; }
has_vip() { ip -n $NS -o addr show dev eth0 | grep -F "$1" >/dev/null; }
# The state turns MASTER a moment before the VIPs are on the interface (as in keepalived), so wait for both.
for _ in $(seq 1 60); do
  is_master && has_vip 10.99.0.1/24 && break
  sleep 0.5
done
/usr/sbin/jkeepalived status --control-socket "$work/c.sock"
has_vip 10.99.0.1/24 || { echo "deb-smoke: VIP not claimed"; cat "$work/log"; exit 1; }
kill -TERM $dpid; wait $dpid; rc=$?
[ $rc = 0 ] || { echo "deb-smoke: exit $rc on SIGTERM"; cat "$work/log"; exit 1; }
! has_vip 10.99.0.1/ || { echo "deb-smoke: VIP left behind"; exit 1; }
grep -q "Entering MASTER STATE" "$work/log" || { echo "deb-smoke: no keepalived-style MASTER log line"; cat "$work/log"; exit 1; }
echo "deb-smoke: installed $deb, daemon started, became MASTER, stopped cleanly"
