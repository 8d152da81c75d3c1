#!/usr/bin/env bash
# One command for a person with Docker: EventStoreDB and a MongoDB replica set in compose, and the
# real-stack suites (scripts/real-stack.mjs) run inside the compose network against them. Uses the
# development profile's throwaway secrets; removes the containers and volumes afterwards.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
compose=(docker compose --env-file compose.dev.env --profile test)
trap '"${compose[@]}" down -v --remove-orphans >/dev/null 2>&1 || true' EXIT
"${compose[@]}" run --rm --build tests
