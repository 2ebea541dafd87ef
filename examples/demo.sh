#!/usr/bin/env bash
# The demo cluster: builds what it needs, then starts three Tomcat nodes on localhost (ports 8081-8083) sharing
# sessions over JGroups, and walks through a failover. Options: --walkthrough-only, --store redis, --help.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl examples/demo -am package -DskipTests
exec java -jar examples/demo/target/session-cluster-demo.jar "$@"
