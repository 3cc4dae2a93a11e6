#!/usr/bin/env bash
# Writes a keepalived.conf with N virtual_servers × M real_servers, each real server checked by
# HTTP_GET (defaults: 500 × 20 = 10,000 real servers). Addresses are documentation ranges: the
# file is for parsing benchmarks only.
#   gen-big-config.sh OUT [N] [M]
set -euo pipefail
out=$1; n=${2:-500}; m=${3:-20}
{
  echo "global_defs {"; echo "    router_id BENCH"; echo "}"
  for ((v = 0; v < n; v++)); do
    printf 'virtual_server 198.18.%d.%d 80 {\n    delay_loop 10\n    lvs_sched wrr\n    lvs_method DR\n    protocol TCP\n' $((v / 250)) $((v % 250 + 1))
    for ((r = 0; r < m; r++)); do
      printf '    real_server 198.19.%d.%d 8080 {\n        weight %d\n        HTTP_GET {\n            url {\n                path /health\n                status_code 200\n            }\n            connect_timeout 3\n            retry 2\n            delay_before_retry 2\n        }\n    }\n' \
        $(((v * m + r) / 250)) $(((v * m + r) % 250 + 1)) $((r % 5 + 1))
    done
    echo "}"
  done
} > "$out"
