# Keel's production image. Two stages: `build` compiles dist/ with every dependency; `runtime`
# holds only the production dependencies and dist/, runs as a non-root user, and starts the process
# the way `npm run start:prod` does. Why each line: docs/decisions/0080-container-image.md.
# test/deploy/dockerfile.e2e-spec.ts lints this file; test/deploy/runtime-image.e2e-spec.ts builds
# the runtime stage's files in a scratch folder and starts them against PostgreSQL.

# The project's own Node (package.json's "node" devDependency), pinned to the patch release.
FROM node:24.21.0-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json nest-cli.json ./
COPY tools/build.mjs ./tools/
COPY src ./src
# The build info of incremental builds (tools/build.mjs) has no use in the image.
RUN npm run build && rm dist/tsconfig.tsbuildinfo

FROM node:24.21.0-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# No dev dependencies, no optional ones (the embedded PostgreSQL binaries: production always has a
# DATABASE_URL), no install scripts (the one left, @scarf/scarf, reports installs to its vendor).
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The image's `node` user, by number: Kubernetes' runAsNonRoot can only verify a numeric user.
USER 1000:1000
EXPOSE 3000
# `npm run start:prod`'s command in exec form, so node is PID 1 and receives SIGTERM itself
# (decision 0009). Production flags belong here and in start:prod together (the lint test compares).
CMD ["node", "--import", "./dist/tracing/preload.js", "dist/main.js"]
