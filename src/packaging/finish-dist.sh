#!/usr/bin/env bash
# Completes the distribution the assembly plugin laid out in DIST_DIR:
#  1. a class-data-sharing archive (lib/jkeepalived.jsa) from a config-test run, so short commands
#     such as `jkeepalived -t` start faster (the launcher uses it when present; a JDK that does not
#     match it just ignores it);
#  2. the tarball jkeepalived-VERSION.tar.gz;
#  3. the .deb (build-deb.sh; skipped where dpkg-deb is missing).
#   finish-dist.sh DIST_DIR VERSION OUT_DIR EXAMPLE_CONF
set -euo pipefail
dist=$1; version=$2; out=$3; example=$4
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
rm -f "$dist/lib/jkeepalived.jsa"
if "$java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:ArchiveClassesAtExit="$dist/lib/jkeepalived.jsa" \
     -Xlog:cds=off -Xlog:cds+dynamic=off -cp "$dist/lib/*" org.jkeepalived.daemon.Main -t -f "$example" >/dev/null 2>&1 \
   && [ -s "$dist/lib/jkeepalived.jsa" ]; then
  echo "finish-dist: CDS archive $(du -h "$dist/lib/jkeepalived.jsa" | cut -f1)"
else
  rm -f "$dist/lib/jkeepalived.jsa"; echo "finish-dist: no CDS archive (not supported here)"
fi
name=$(basename "$dist")
tar -C "$(dirname "$dist")" -czf "$out/$name.tar.gz" "$name"
echo "finish-dist: $out/$name.tar.gz"
bash "$(dirname "$0")/build-deb.sh" "$dist" "$version" "$out"
