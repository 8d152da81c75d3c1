#!/usr/bin/env bash
# The demo through docker compose, as a person would play it (the CI workflow's compose job):
# fresh random secrets, the seed into the real stores, `docker compose up --wait` (every health check
# green: EventStoreDB leader, MongoDB primary, api/projector/worker ready), then the demo checked
# over HTTP on the published port. Cleans up (containers and volumes) on the way out.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

env_file="$(mktemp)"
trap 'docker compose --env-file "$env_file" down -v --remove-orphans >/dev/null 2>&1 || true; rm -f "$env_file"' EXIT
{
  echo "JWT_SECRET=$(openssl rand -hex 32)"
  echo "PAYMENTS_WEBHOOK_SECRET=$(openssl rand -hex 24)"
  echo "BLIND_INDEX_KEY=$(openssl rand -hex 32)"
  echo "MASTER_KEY=$(openssl rand -hex 32)"
  echo "AUDIT_SIGNING_KEY=$(openssl genpkey -algorithm ed25519 -outform DER | base64 -w0)"

} >"$env_file"
compose=(docker compose --env-file "$env_file")

"${compose[@]}" build
"${compose[@]}" run --rm api node dist/bin/rentlog.js seed
"${compose[@]}" up -d --wait --wait-timeout 300 || {
  "${compose[@]}" ps
  "${compose[@]}" logs --tail 100
  exit 1
}
node scripts/demo-check.mjs http://127.0.0.1:3000 || {
  "${compose[@]}" logs --tail 100
  exit 1
}
