#!/usr/bin/env bash
# Runs ipvs-driver's @Tag("kernel-vm") tests (and with --bench the IPVS apply benchmark) inside
# ../shared/kernel-vm/run, a QEMU VM whose kernel has IPVS. Builds on the host, then starts plain
# `java` in the VM: Maven itself takes minutes to start under emulation.
#   usage (from the checkout root): ipvs-driver/kernel-vm-tests.sh [--bench]
set -euo pipefail
cd "$(dirname "$0")/.."
RUN="${KERNEL_VM_RUN:-../shared/kernel-vm/run}"
mvn -o -q -pl ipvs-driver -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$PWD/ipvs-driver/target/kernel-vm-classpath.txt" -Dmdep.includeScope=test
CP="ipvs-driver/target/test-classes:ipvs-driver/target/classes:$(cat ipvs-driver/target/kernel-vm-classpath.txt)"
# -XX:UseAVX=2: with -cpu max the JIT emits AVX-512 code that dies with SIGILL under QEMU's TCG.
# SerialGC: fewer threads racing under the emulator. The JVM still dies now and then under TCG with
# a SIGSEGV in the JIT's or the GC's own code (seen in about one benchmark run in three, never
# on real CPUs); such a death (exit 134 with an hs_err file) is retried once and reported.
JAVA="java -XX:UseAVX=2 -XX:+UseSerialGC -XX:ErrorFile=\$OUT/hs_err_%p.log -cp $CP"
# no class named = every @Tag("kernel-vm") test under org.jkeepalived.ipvs (kernel backend and engine)
CMD="$JAVA org.jkeepalived.ipvs.KernelVmLauncher"
if [ "${1:-}" = "--bench" ]; then CMD="$CMD && $JAVA org.jkeepalived.ipvs.kernel.IpvsApplyBench"; fi
OUT_DIR="$PWD/target/kernel-vm-out"
for attempt in 1 2; do
    rm -f "$OUT_DIR"/hs_err_*.log
    set +e
    "$RUN" --timeout 1500 --out "$OUT_DIR" -- bash -c "$CMD"
    rc=$?
    set -e
    if [ $rc -ne 0 ] && ls "$OUT_DIR"/hs_err_*.log >/dev/null 2>&1 && [ $attempt -eq 1 ]; then
        echo "kernel-vm: the JVM crashed inside the emulator ($(grep -m1 -o 'SIG[A-Z]*' "$OUT_DIR"/hs_err_*.log | head -1)," \
             "$(grep -m1 'Problematic frame' -A1 "$OUT_DIR"/hs_err_*.log | tail -1 | cut -c1-100)); running once more" >&2
        continue
    fi
    exit $rc
done
