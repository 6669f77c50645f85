# One Dockerfile for every Surge service; the build arg SERVICE picks which:
#
#   docker build --build-arg SERVICE=user    -t surge/user:dev .
#   docker build --build-arg SERVICE=gateway -t surge/gateway:dev .
#
# SERVICE is the folder under services/: gateway, user, product, order, payment,
# notification or payment-provider (`docker compose build` builds all seven). The build
# context is the repository root (.dockerignore keeps host builds out). Without SERVICE
# the build stops at its first step, and a name with no `service-<name>` stage below
# fails as an image that cannot be pulled.
#
# The image runs `node --require <telemetry register> dist/main.js` from the service's
# folder (/app), as `pnpm stack up` does natively, with its configuration in the
# environment (OTEL_EXPORTER_OTLP_ENDPOINT says where traces go).
# See docs/running-compose-and-kubernetes.md.

ARG NODE_IMAGE=node:20-bookworm-slim
# Declared before the first FROM so the final `FROM service-${SERVICE}` can use it. The
# default names a stage that exists (service-unset, below) so that a forgotten build arg
# fails with the message in the build stage, not with an attempt to pull an image.
ARG SERVICE=unset

# ---------------------------------------------------------------------------------------
# build: install the whole workspace, compile the service, then `pnpm deploy` it into /out
# as a self-contained folder (its files plus a node_modules with production deps only).
# ---------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS build
# The version in package.json's packageManager field; pnpm refuses to run a workspace
# pinned to another version, so keep the two in step.
ARG PNPM_VERSION=10.34.8
# CI=true: pnpm never prompts (e.g. before replacing node_modules) in a build.
ENV CI=true
RUN npm install --global --no-fund --no-audit --no-update-notifier "pnpm@${PNPM_VERSION}"
WORKDIR /src

# Dependencies first, from the lockfile alone, so this layer is reused until
# pnpm-lock.yaml (or the catalog in pnpm-workspace.yaml) changes, not on every code edit.
COPY pnpm-lock.yaml pnpm-workspace.yaml .npmrc package.json ./
RUN pnpm fetch

COPY . .
RUN pnpm install --offline --frozen-lockfile

# SERVICE is declared only here: the classic builder (and BuildKit) make every RUN after
# an ARG depend on its value, so declared earlier it made the seven images install the
# same dependencies seven times instead of sharing the layers above.
ARG SERVICE
RUN if [ "${SERVICE}" = unset ] || [ -z "${SERVICE}" ]; then \
      echo 'choose a service: docker build --build-arg SERVICE=<gateway|user|product|order|payment|notification|payment-provider> .' >&2; exit 1; \
    fi

# `pnpm build` is `tsc -b tsconfig.build.json` over everything; building the service's
# own tsconfig compiles the same project references but only those it depends on.
RUN if [ ! -f "services/${SERVICE}/tsconfig.json" ]; then \
      echo "SERVICE=${SERVICE}: there is no workspace package services/${SERVICE}" >&2; exit 1; \
    fi \
 && pnpm exec tsc -b "services/${SERVICE}" packages/telemetry

# pnpm 10's deploy wants inject-workspace-packages=true (which would change how the
# whole workspace links for development); --legacy deploys a linked workspace, still
# from the lockfile's versions. It copies the service's files (its package.json
# "files" field, if any, decides which) and injects the @surge/* packages it uses,
# including packages/messaging/migrations and services/<name>/src/data-access/migrations,
# which the services read at run time. --prefer-offline, not --offline: `pnpm fetch`
# stores tarballs but not every package's metadata, and --offline stops with
# ERR_PNPM_NO_OFFLINE_META (zod); fully online, deploy asks the registry about every
# package again (minutes per image on a slow link). Both resolve the lockfile's versions.
RUN pnpm --filter "@surge/${SERVICE}" deploy --legacy --prod --prefer-offline /out \
 && rm -rf /out/test /out/tsconfig.json \
 && find /out -name '*.tsbuildinfo' -delete
# The telemetry register (OpenTelemetry SDK and instrumentations), deployed on its own:
# no service imports it, it is loaded with `node --require` before the service's code
# (docs/observability.md), so it is not among the services' dependencies.
RUN pnpm --filter @surge/telemetry deploy --legacy --prod --prefer-offline /telemetry \
 && rm -rf /telemetry/src /telemetry/test /telemetry/tsconfig.json \
 && find /telemetry -name '*.tsbuildinfo' -delete

# ---------------------------------------------------------------------------------------
# runtime: the slim Node image, the deployed folder, a non-root user. No pnpm, no
# TypeScript, no dev dependencies.
# ---------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0
# Where development mode generates the user service's signing key (DEV_KEYS_DIR in
# docker-compose.yml and the dev overlay). Owned by `node` (uid 1000) so a fresh named
# volume mounted here is writable by the service.
RUN mkdir -p /var/lib/surge/keys && chown 1000:1000 /var/lib/surge/keys
WORKDIR /app

# One tiny stage per service: its port (the same defaults as the native stack, see
# docs/architecture.md) as ENV and EXPOSE. The final stage picks one by name.
FROM runtime AS service-user
ENV PORT=3001
EXPOSE 3001

FROM runtime AS service-product
ENV PORT=3002
EXPOSE 3002

FROM runtime AS service-order
ENV PORT=3003
EXPOSE 3003

FROM runtime AS service-payment
ENV PORT=3004
EXPOSE 3004

FROM runtime AS service-notification
ENV PORT=3005
EXPOSE 3005

FROM runtime AS service-gateway
ENV PORT=8080
EXPOSE 8080

# The card processor simulator (development and chaos runs; see docker-compose.yml).
FROM runtime AS service-payment-provider
ENV PORT=3010
EXPOSE 3010

# The shop's pages and the operations console, behind the gateway at /.
FROM runtime AS service-storefront
ENV PORT=3006
EXPOSE 3006

# Only reached when --build-arg SERVICE is missing; the build stage has already failed.
FROM runtime AS service-unset

# A stage of this file, not an image to pull, so it has no tag.
# hadolint ignore=DL3006
FROM service-${SERVICE}
ARG SERVICE
# Which service this image is, for `docker inspect` and a shell inside the container.
ENV SURGE_SERVICE=${SERVICE} \
    OTEL_SERVICE_NAME=${SERVICE}
LABEL org.opencontainers.image.title="surge-${SERVICE}" \
      org.opencontainers.image.description="Surge ${SERVICE} service" \
      org.opencontainers.image.licenses="MIT"
# Root-owned and read-only for the service: it writes only to DEV_KEYS_DIR (and stdout).
COPY --from=build /out /app
COPY --from=build /telemetry /opt/surge/telemetry
# `node` by number: Kubernetes' runAsNonRoot can only verify a numeric user.
USER 1000:1000

# Liveness only (is the process serving?): readiness depends on Postgres/Redis and is
# what compose's depends_on and Kubernetes' readiness probe ask separately. Node's own
# fetch, because the slim image has no curl or wget.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/health/live', { signal: AbortSignal.timeout(2000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# node as PID 1 is fine: every service handles SIGTERM/SIGINT itself (graceful drain in
# @surge/http-kit's stopOnSignals). The register goes in the command line, not in
# NODE_OPTIONS, so the health check's `node -e` does not start a tracing SDK each time.
# Without a collector at OTEL_EXPORTER_OTLP_ENDPOINT, spans are dropped silently.
CMD ["node", "--enable-source-maps", "--require", "/opt/surge/telemetry/dist/register.js", "dist/main.js"]
