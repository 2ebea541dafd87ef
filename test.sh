#!/usr/bin/env bash
# The project's test command: checks (and, as root with apt-get, installs) the programs the tests run and starts
# the local Redis, PostgreSQL and MariaDB if they are down (.ci/prerequisites), then runs every test.
# Arguments go to Maven: ./test.sh -pl store-redis -am -Dit.test=RedisTlsIT
set -euo pipefail
cd "$(dirname "$0")"
.ci/prerequisites
# The local Redis, not a Testcontainers one (the tests' fallback when the variable is unset and Docker runs).
export SESSION_CLUSTER_REDIS_URI="${SESSION_CLUSTER_REDIS_URI:-redis://127.0.0.1:6379}"
exec mvn -B verify "$@"
