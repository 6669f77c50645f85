-- One role and one database per service, each role reaching only its own database.
-- Mirrors infra/stack/src/native/provision.ts (the native `pnpm stack up`), so a service
-- gets the same DATABASE_URL shape everywhere:
--
--   postgres://surge_<name>:surge_<name>-dev-password@<host>:5432/surge_<name>
--
-- DEVELOPMENT PASSWORDS by default (`<role>-dev-password`, as provision.ts's
-- devPassword()). Where the environment has SURGE_<ROLE>_PASSWORD (e.g.
-- SURGE_SURGE_USER_PASSWORD; Kubernetes' base sets them from the postgres-service-passwords
-- Secret that k8s/create-secrets.sh makes) that password is used instead, so a cluster's
-- roles have random passwords. A production deployment may also use a managed database
-- and pass DATABASE_URL from a Secret.
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

-- Each role's password: the development one unless the environment names another
-- (\getenv leaves the variable as it is when the environment variable is not set).
\set pw_surge_user surge_user-dev-password
\set pw_surge_product surge_product-dev-password
\set pw_surge_order surge_order-dev-password
\set pw_surge_payment surge_payment-dev-password
\set pw_surge_notification surge_notification-dev-password
\set pw_surge_provider surge_provider-dev-password
\getenv pw_surge_user SURGE_SURGE_USER_PASSWORD
\getenv pw_surge_product SURGE_SURGE_PRODUCT_PASSWORD
\getenv pw_surge_order SURGE_SURGE_ORDER_PASSWORD
\getenv pw_surge_payment SURGE_SURGE_PAYMENT_PASSWORD
\getenv pw_surge_notification SURGE_SURGE_NOTIFICATION_PASSWORD
\getenv pw_surge_provider SURGE_SURGE_PROVIDER_PASSWORD
CREATE TEMPORARY TABLE role_passwords (name text PRIMARY KEY, password text NOT NULL);
INSERT INTO role_passwords VALUES
  ('surge_user', :'pw_surge_user'),
  ('surge_product', :'pw_surge_product'),
  ('surge_order', :'pw_surge_order'),
  ('surge_payment', :'pw_surge_payment'),
  ('surge_notification', :'pw_surge_notification'),
  ('surge_provider', :'pw_surge_provider');

SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', name, password)
FROM role_passwords
WHERE name = ANY(:'databases'::text[]) AND NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = name)
\gexec

-- Resets the password on a re-run, as provision.ts does.
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', name, password)
FROM role_passwords
WHERE name = ANY(:'databases'::text[])
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
