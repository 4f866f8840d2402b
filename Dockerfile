# syntax=docker/dockerfile:1

# One base for both stages: argon2 loads a prebuilt binary chosen by libc (glibc here), so the
# stage that installs it and the stage that runs it must agree. Pin a digest in your registry.
ARG NODE_IMAGE=node:24-bookworm-slim

# --- build: all dependencies, TypeScript -> dist/ ---------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# --- runtime: production dependencies, compiled code and the SQL migrations only --------------
FROM ${NODE_IMAGE} AS runtime
# The release, from package.json: docker build --build-arg VERSION="$(node -p "require('./package.json').version")"
# (deploy/README.md). The build stops below when it is missing or differs from the package.json
# copied into the image, so the label, /health and the CHANGELOG always name the same version.
ARG VERSION
# Where the source is: your repository's URL, if you want it on the image.
ARG SOURCE_URL=""
LABEL org.opencontainers.image.title="mobile-auth" \
      org.opencontainers.image.description="Sign-in service for the mobile apps, with its staff console" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.source="${SOURCE_URL}"
# UV_THREADPOOL_SIZE: one libuv thread per CPU. argon2 hashes there, CPU-bound, so more threads
# than CPUs add no sign-ins and each keeps a 19 MiB buffer resident. The image cannot know its
# CPU limit: deploy/deployment.yaml sets the variable from the container's limits.cpu (rounded up
# to whole CPUs), and this default is what that gives under the shipped 1-CPU limit. With
# `docker run --cpus N`, pass -e UV_THREADPOOL_SIZE=N. (The pool also runs DNS lookups and file
# reads; the service does few of either, on connections it keeps open.)
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    UV_THREADPOOL_SIZE=1
WORKDIR /app
COPY package.json package-lock.json ./
RUN test -n "$VERSION" && test "$VERSION" = "$(node -p "require('./package.json').version")" || \
    { echo "build with --build-arg VERSION=<package.json's version>, got '$VERSION'" >&2; exit 1; }
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# dist/adapters/drizzle/database.js finds the migrations at ../../../drizzle, i.e. /app/drizzle.
# dist/main.js is the service; dist/cli.js the command-line tool, run in this image as it is
# (`node dist/cli.js migrate`, `node dist/cli.js staff add --email E --role admin`; README).
COPY --from=build /app/dist ./dist
COPY drizzle ./drizzle
# The image's `node` user, written numerically so Kubernetes' runAsNonRoot can verify it. The
# files above stay root-owned: the process can read its code but not change it.
USER 1000:1000
EXPOSE 3000
# For plain `docker run`; Kubernetes ignores it and uses the probes in deploy/deployment.yaml.
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself is PID 1 (not npm), so SIGTERM reaches close-with-grace directly. V8's young
# generation is capped at 2 x 16 MiB and its old generation grows to at most twice the live data
# between full collections: resident memory under load about halves, at no throughput cost
# measured (bench/README.md; `npm run bench` starts the service with these same flags).
CMD ["node", "--max-semi-space-size=16", "--heap-growing-percent=100", "dist/main.js"]
