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
# every test class tagged kernel-vm (the kernel backend's and the engine's)
CLASSES=$(grep -rl '@Tag("kernel-vm")' ipvs-driver/src/test/java --include='*Test.java' \
    | sed -e 's|.*/src/test/java/||' -e 's|\.java$||' -e 's|/|.|g' | sort | tr '\n' ' ')
[ -n "$CLASSES" ] || { echo "kernel-vm: no @Tag(\"kernel-vm\") test class found" >&2; exit 1; }
BENCH=""; [ "${1:-}" = "--bench" ] && BENCH=org.jkeepalived.ipvs.kernel.IpvsApplyBench

# The JVM now and then dies under QEMU's TCG (never on real CPUs) with a SIGSEGV or SIGILL inside
# freshly JIT-compiled code or the GC. What helps: -XX:UseAVX=2 (with -cpu max the JIT emits AVX-512
# that TCG gets wrong), SerialGC (fewer threads racing), no code-cache flushing (no JIT code
# written over addresses the emulator already translated), and for the tests the C1 compiler only
# (-XX:TieredStopAtLevel=1): nearly every crash was at offset 0x20 of a compiled method, its entry,
# which the JVM patches with a jump while other threads run it when a C2 compile replaces the C1
# code; TCG got that cross-modified code wrong about once per run of these tests (0 in 4 runs with C1
# only). The benchmark keeps C2 (its figures are of the JIT the daemon runs with). What remains is
# survived by running each class in its own JVM, and running a class again, at most four times,
# when its JVM died by a signal (exit status above 128, hs_err file kept in $OUT); a test failure is
# never retried.
OUT_DIR="$PWD/target/kernel-vm-out"
mkdir -p "$OUT_DIR"; rm -f "$OUT_DIR"/hs_err_*.log
cat > "$OUT_DIR/tests.sh" <<JOB
JAVA="java -XX:UseAVX=2 -XX:+UseSerialGC -XX:-UseCodeCacheFlushing -XX:ReservedCodeCacheSize=240m"
JAVA="\$JAVA -XX:ErrorFile=\$OUT/hs_err_%p.log -cp $CP"
failed=0
for c in $CLASSES $BENCH; do
    main="-XX:TieredStopAtLevel=1 org.jkeepalived.ipvs.KernelVmLauncher"; args=\$c
    [ "\$c" = "$BENCH" ] && { main=\$c; args=; }
    for attempt in 1 2 3 4 5; do
        \$JAVA \$main \$args; rc=\$?
        [ \$rc -gt 128 ] && [ \$attempt -lt 5 ] || break
        echo "kernel-vm: the JVM running \$c died by signal \$((rc - 128)) inside the emulator" \
             "(\$(grep -h -m1 -A1 'Problematic frame' \$OUT/hs_err_*.log 2>/dev/null | tail -1 | cut -c1-100)); running it again"
    done
    [ \$rc -eq 0 ] || { echo "kernel-vm: \$c FAILED (exit \$rc)"; failed=1; }
done
exit \$failed
JOB
exec "$RUN" --timeout 1500 --out "$OUT_DIR" -- bash "$OUT_DIR/tests.sh"
