#!/usr/bin/env bash
# Builds jkeepalived_<version>_all.deb from the distribution directory the daemon module assembles.
#   build-deb.sh DIST_DIR VERSION OUT_DIR
# Installs /usr/sbin/jkeepalived (launcher), /usr/share/jkeepalived/lib (jars),
# /etc/jkeepalived/keepalived.conf (conffile), /etc/default/jkeepalived, the systemd unit.
set -euo pipefail
dist=$1; version=$2; out=$3
command -v dpkg-deb >/dev/null || { echo "build-deb: dpkg-deb not found; .deb not built" >&2; exit 0; }
debver=$(echo "$version" | sed 's/-SNAPSHOT/~snapshot/')
root=$(mktemp -d); trap 'rm -rf "$root"' EXIT
install -d "$root/DEBIAN" "$root/usr/sbin" "$root/usr/share/jkeepalived/bin" "$root/usr/share/jkeepalived/lib" \
  "$root/etc/jkeepalived" "$root/etc/default" "$root/lib/systemd/system" "$root/usr/share/doc/jkeepalived/examples"
install -m 0755 "$dist/bin/jkeepalived" "$root/usr/share/jkeepalived/bin/jkeepalived"
ln -s ../share/jkeepalived/bin/jkeepalived "$root/usr/sbin/jkeepalived"
cp "$dist"/lib/*.jar "$root/usr/share/jkeepalived/lib/"
install -m 0644 "$dist/etc/keepalived.conf" "$root/etc/jkeepalived/keepalived.conf"
install -m 0644 "$dist/etc/systemd/jkeepalived.service" "$root/lib/systemd/system/jkeepalived.service"
cp "$dist"/etc/conf-examples/*.conf "$root/usr/share/doc/jkeepalived/examples/"
cat > "$root/etc/default/jkeepalived" <<'EOT'
# Configuration file jkeepalived reads. Point it at /etc/keepalived/keepalived.conf to reuse an
# existing keepalived configuration unchanged.
JKEEPALIVED_CONF=/etc/jkeepalived/keepalived.conf
# Extra options, e.g. "--metrics 127.0.0.1:9650 --engine auto"
JKEEPALIVED_OPTIONS=
EOT
size=$(du -sk "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<EOT
Package: jkeepalived
Version: $debver
Section: admin
Priority: optional
Architecture: all
Depends: default-jre-headless (>= 2:1.17) | java17-runtime-headless, iproute2
Recommends: nftables
Suggests: ipvsadm
Installed-Size: $size
Maintainer: jkeepalived developers <jkeepalived@localhost>
Description: keepalived-compatible VRRP and LVS high-availability controller (Java)
 Reads keepalived.conf unchanged, runs VRRP v2/v3, keepalived's health checkers, and drives
 kernel IPVS or a built-in userspace L4 engine. Prometheus metrics, failover drills.
EOT
printf '/etc/jkeepalived/keepalived.conf\n/etc/default/jkeepalived\n' > "$root/DEBIAN/conffiles"
mkdir -p "$out"
dpkg-deb --root-owner-group --build "$root" "$out/jkeepalived_${debver}_all.deb" >/dev/null
echo "build-deb: $out/jkeepalived_${debver}_all.deb"
