-- One role and one database per service, each role reaching only its own database.
-- Mirrors infra/stack/src/native/provision.ts (the native `pnpm stack up`), so a service
-- gets the same DATABASE_URL shape everywhere:
--
--   postgres://surge_<name>:surge_<name>-dev-password@<host>:5432/surge_<name>
--
-- DEVELOPMENT PASSWORDS ONLY (`<role>-dev-password`, as provision.ts's devPassword()).
-- A production deployment uses a managed database and passes DATABASE_URL from a Secret.
--
-- The postgres image runs this file once, as the superuser, when its data directory is
-- empty (docker-entrypoint-initdb.d); Kubernetes mounts the same file from a ConfigMap
-- (k8s/base/postgres/init-configmap.yaml). It is also safe to run again by hand
-- (`psql -f`): every statement checks first or only resets state.
--
-- The names are the `database` of every entry in infra/stack/src/services/service-specs.ts
-- (infra/stack/test/deploy-topology.test.ts checks the two agree): the six Surge services
-- and the payment-provider simulator (surge_provider). The gateway has no database.
-- Init scripts never run again on an existing volume: after adding a name here, run the
-- file by hand (`psql -f`) or reset with `docker compose down -v`.

\set ON_ERROR_STOP on
\set databases '{surge_user,surge_product,surge_order,surge_payment,surge_notification,surge_provider}'

SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', name, name || '-dev-password')
FROM unnest(:'databases'::text[]) AS name
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = name)
\gexec

-- Resets the password on a re-run, as provision.ts does.
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', name, name || '-dev-password')
FROM unnest(:'databases'::text[]) AS name
\gexec

-- CREATE DATABASE cannot run inside a transaction; \gexec sends each statement on its own.
SELECT format('CREATE DATABASE %I OWNER %I', name, name)
FROM unnest(:'databases'::text[]) AS name
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = name)
\gexec

-- Ownership (so migrations can create tables in its public schema), and CONNECT taken
-- from PUBLIC, so surge_order cannot open surge_payment and so on.
SELECT format('ALTER DATABASE %I OWNER TO %I', name, name)
FROM unnest(:'databases'::text[]) AS name
\gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', name)
FROM unnest(:'databases'::text[]) AS name
\gexec
SELECT format('GRANT ALL ON DATABASE %I TO %I', name, name)
FROM unnest(:'databases'::text[]) AS name
\gexec
