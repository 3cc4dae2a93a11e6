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
# -XX:UseAVX=2: with -cpu max the JIT emits AVX-512 code that dies with SIGILL under QEMU's TCG
JAVA="java -XX:UseAVX=2 -cp $CP"
# no class named = every @Tag("kernel-vm") test under org.jkeepalived.ipvs (kernel backend and engine)
CMD="$JAVA org.jkeepalived.ipvs.KernelVmLauncher"
if [ "${1:-}" = "--bench" ]; then CMD="$CMD && $JAVA org.jkeepalived.ipvs.kernel.IpvsApplyBench"; fi
exec "$RUN" --timeout 1500 -- bash -c "$CMD"
