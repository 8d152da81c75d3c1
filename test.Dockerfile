# syntax=docker/dockerfile:1
#
# The image of the real-stack test suites (docker-compose.yml's `tests` service): the sources with their
# tests and dev dependencies, run inside the compose network against EventStoreDB and MongoDB.
#   docker compose --env-file compose.dev.env --profile test run --rm --build tests
# Its own ignore file (test.Dockerfile.dockerignore) keeps the tests, which the production image leaves out.

ARG NODE_IMAGE=node:20-bookworm-slim
FROM ${NODE_IMAGE}

RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .

# Fails unless EVENTSTORE_URL and MONGODB_URL are set and the real-store suites ran and passed.
CMD ["node", "scripts/real-stack.mjs"]
