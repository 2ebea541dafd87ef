#!/usr/bin/env bash
# The HTTP benchmark: builds the benchmarks module, runs every configuration back to back on this machine, writes
# docs/benchmarks/http-results.md (the table) and docs/benchmarks/http-throughput.png (the chart), prints the table.
# Needs: JDK 17+, Maven, redis-server on the PATH (the benchmark starts its own on a free port).
# Options are passed on: --warmup=5 --duration=15 --users=16 --rounds=1 --only=REGEX --heap-sessions=10000 ...
# (see benchmarks/README.md). Example, steadier figures: benchmarks/run-http.sh --rounds=3 --duration=10
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${SKIP_BUILD:-}" != "1" ]]; then
  mvn -B -q -Pbench -pl benchmarks -am package -DskipTests
fi
exec java -Xmx256m -cp benchmarks/target/benchmarks.jar io.sessioncluster.benchmarks.http.HttpBenchmark "$@"
