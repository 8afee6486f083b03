# syntax=docker/dockerfile:1
# Latchkey server image. Multi-stage: dependencies are compiled and TypeScript is built in `build`;
# the runtime stage gets only production dependencies, dist/, bin/ and assets/, and runs as an
# unprivileged user. Not built on the project's CI machines (no Docker engine there): checked by
# reading; `docker build -t latchkey .` is the command.

ARG NODE_VERSION=22

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 (both majors: see src/storage/sql/dialects/sqlite-driver.ts) builds from source
# when no prebuilt binary can be fetched; argon2 comes prebuilt per platform. The toolchain
# stays in this stage only.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` (the TypeScript build) would run before the sources are copied;
# the native modules that need their install scripts are rebuilt by name instead.
RUN npm ci --no-audit --no-fund --ignore-scripts \
 && npm rebuild better-sqlite3 better-sqlite3-napi
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bin ./bin
COPY assets ./assets
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATABASE_URL=sqlite:/data/latchkey.db \
    SECRET_KEY_FILE=/data/latchkey.secret
WORKDIR /app
COPY --from=build --chown=root:root /app/package.json ./
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --from=build --chown=root:root /app/bin ./bin
COPY --from=build --chown=root:root /app/assets ./assets
# The code is root-owned and read-only to the server; only /data (SQLite file, generated secret)
# is writable. `node` (uid 1000) is the unprivileged user the official image provides.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000
# /healthz answers 200 while the process serves; fetch is built into Node, so no curl is needed.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# exec form: node is PID 1's only child-free process and receives SIGTERM itself, so
# `docker stop` drains in-flight requests (see src/cli/commands/serve.ts).
ENTRYPOINT ["node", "bin/latchkey.js"]
CMD ["serve"]
