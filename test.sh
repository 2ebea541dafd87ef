#!/usr/bin/env bash
# The README's test command. Prepares what the tests need (.ci/prerequisites: installs HAProxy, redis-server,
# redis-cli and openssl with apt-get when root, else names what is missing; starts the local Redis, PostgreSQL and
# MariaDB if they are down), then runs every test. Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")"
bash .ci/prerequisites
# The local Redis, not a Testcontainers one (the tests' fallback when the variable is unset and Docker runs).
export SESSION_CLUSTER_REDIS_URI="${SESSION_CLUSTER_REDIS_URI:-redis://127.0.0.1:6379}"
exec mvn -B verify -Dprerequisites.skip=true "$@"
