#!/usr/bin/env bash
# The project's test command (README): every module's tests, including the network-namespace tests
# (they need root; as non-root they skip with a message), the .deb installed and started once,
# then the kernel IPVS tests inside ../shared/kernel-vm/run (a VM whose kernel has IPVS).
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ "$(id -u)" != 0 ]; then
  echo "run-tests: not root: network-namespace tests will be skipped (they need root)" >&2
fi

mvn -B -ntp verify

# In CI (root) the namespace tests must have run, not skipped.
if [ "${CI:-}" = true ] && grep -q "needs root" */target/surefire-reports/*.xml */target/failsafe-reports/*.xml 2>/dev/null; then
  echo "run-tests: network-namespace tests were skipped in CI:" >&2
  grep -l "needs root" */target/surefire-reports/*.xml */target/failsafe-reports/*.xml >&2
  exit 1
fi

if [ "$(id -u)" = 0 ] && command -v dpkg-deb >/dev/null; then
  echo "run-tests: installing the .deb and starting the daemon from it once"
  bash src/test/deb-smoke.sh
fi

VM=../shared/kernel-vm/run
if [ -x "$VM" ] || [ -f "$VM" ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "run-tests: kernel IPVS tests inside $VM"
    bash ipvs-driver/kernel-vm-tests.sh
  else
    echo "run-tests: not root: kernel-vm tests skipped" >&2
  fi
else
  if [ "${CI:-}" = true ]; then echo "run-tests: $VM missing in CI" >&2; exit 1; fi
  echo "run-tests: $VM not found: kernel IPVS tests skipped" >&2
fi
