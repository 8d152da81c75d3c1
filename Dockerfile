# syntax=docker/dockerfile:1
#
# Rentlog container image: one image, three roles.
#   docker build -t rentlog .
#   docker run -p 3000:3000 -v rentlog-data:/data rentlog                    # api + projector + worker on SQLite
#   docker run ... rentlog node dist/bin/rentlog.js start api|projector|worker # one role (see docker-compose.yml)
#
# Two stages, both on the same Debian base so the better-sqlite3 addon compiled in
# the build stage links against the same glibc/libstdc++ as the runtime stage.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------------------
# build: toolchain + all dependencies, compile TypeScript, then drop dev deps
# ---------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS build

# python3/make/g++ are what node-gyp needs to compile better-sqlite3 when no
# prebuilt binary can be fetched. tini is installed here only so its static
# binary can be copied into the runtime stage (no apt run there at all).
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ tini \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, so source edits do not invalidate the (slow) native build layer.
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund

COPY . .
# Build with dev dependencies (swc), then remove them in place: the remaining
# node_modules keeps the already-compiled better-sqlite3 addon.
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# ---------------------------------------------------------------------------
# runtime: no compilers, no npm cache, non-root
# ---------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime

# tini as PID 1 forwards SIGTERM/SIGINT to node (which shuts down gracefully on
# them) and reaps zombies. Statically linked, so it needs nothing from apt.
COPY --from=build /usr/bin/tini-static /usr/bin/tini

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data

WORKDIR /app

# Application files stay owned by root (read-only for the process); only
# DATA_DIR is writable. package.json is required at runtime: "type": "module"
# is what makes Node load dist/**/*.js as ES modules.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist

# The embedded SQLite files (used when EVENTSTORE_URL / MONGODB_URL are unset)
# live here. The directory is created owned by `node` (uid 1000, shipped with
# the image) before VOLUME, so fresh volumes inherit that ownership.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]

USER node

EXPOSE 3000

# Liveness of the api (roles `all` and `api`). slim images have no curl, so node
# itself does the request. Projector/worker containers have no api port: give
# them OPS_PORT and their own health check (docker-compose.yml does).
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/bin/rentlog.js", "start", "all"]
