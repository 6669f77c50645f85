#!/bin/sh
# Creates the Secrets the production base (k8s/base) references and git never holds,
# with random values, in namespace surge (or $SURGE_NAMESPACE):
#
#   k8s/create-secrets.sh                      create what is missing; keep what exists
#   ADMIN_EMAIL=ops@example.com k8s/create-secrets.sh
#
# postgres-superuser, postgres-service-passwords (read by the init SQL on the first start
# of the in-cluster Postgres), <service>-database (DATABASE_URL) and surge-user-secrets
# (RS256 signing key, admin account), surge-storefront-secrets (session cookie key),
# redis-users (Redis's ACL file, password hashes only), redis-admin and <service>-redis
# (REDIS_URL as the service's own Redis user), surge-service-clients (order's client secret
# for service tokens, and for the user service only its SHA-256 digest). Existing Secrets
# are left alone: a database that
# was initialised with a password keeps it. Needs kubectl and openssl. Prints the admin
# password once; nothing else is shown or written to disk.
set -eu

NAMESPACE="${SURGE_NAMESPACE:-surge}"
ADMIN_EMAIL="${ADMIN_EMAIL:-admin@example.com}"

random() { openssl rand -base64 36 | tr -d '/+=\n' | cut -c1-32; }
exists() { kubectl -n "$NAMESPACE" get secret "$1" >/dev/null 2>&1; }

kubectl get namespace "$NAMESPACE" >/dev/null 2>&1 || kubectl create namespace "$NAMESPACE"

if exists postgres-superuser; then
  echo "postgres-superuser: exists, kept"
else
  kubectl -n "$NAMESPACE" create secret generic postgres-superuser \
    --from-literal=POSTGRES_PASSWORD="$(random)" >/dev/null
  echo "postgres-superuser: created"
fi

# service secret name : database role
SERVICES="user:surge_user product:surge_product order:surge_order payment:surge_payment notification:surge_notification payment-provider:surge_provider"

if exists postgres-service-passwords; then
  echo "postgres-service-passwords: exists, kept (the <service>-database Secrets must match it)"
else
  args=""
  for entry in $SERVICES; do
    service="${entry%%:*}"
    role="${entry#*:}"
    password="$(random)"
    variable="SURGE_$(echo "$role" | tr '[:lower:]' '[:upper:]')_PASSWORD"
    args="$args --from-literal=$variable=$password"
    if exists "$service-database"; then
      echo "$service-database: exists; delete it too, or the service cannot log in"
    else
      kubectl -n "$NAMESPACE" create secret generic "$service-database" \
        --from-literal=DATABASE_URL="postgres://$role:$password@postgres:5432/$role" >/dev/null
      echo "$service-database: created"
    fi
  done
  # shellcheck disable=SC2086
  kubectl -n "$NAMESPACE" create secret generic postgres-service-passwords $args >/dev/null
  echo "postgres-service-passwords: created"
fi

# Kafka SCRAM principals: the broker stores every password (kafka-credentials, read by
# its start script); each service gets its own (<service>-kafka).
KAFKA_SERVICES="user product order payment notification"
if exists kafka-credentials; then
  echo "kafka-credentials: exists, kept (the <service>-kafka Secrets must match it)"
else
  args="--from-literal=SURGE_KAFKA_PASSWORD_SURGE_ADMIN=$(random)"
  for service in $KAFKA_SERVICES; do
    password="$(random)"
    args="$args --from-literal=SURGE_KAFKA_PASSWORD_$(echo "$service" | tr '[:lower:]-' '[:upper:]_')=$password"
    if exists "$service-kafka"; then
      echo "$service-kafka: exists; delete it too, or the service cannot authenticate"
    else
      kubectl -n "$NAMESPACE" create secret generic "$service-kafka" \
        --from-literal=KAFKA_SASL_PASSWORD="$password" >/dev/null
      echo "$service-kafka: created"
    fi
  done
  kubectl -n "$NAMESPACE" create secret generic kafka-credentials $args >/dev/null
  echo "kafka-credentials: created"
fi

if exists surge-user-secrets; then
  echo "surge-user-secrets: exists, kept"
else
  key="$(mktemp)"
  trap 'rm -f "$key"' EXIT
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$key" 2>/dev/null
  admin_password="$(random)"
  kubectl -n "$NAMESPACE" create secret generic surge-user-secrets \
    --from-file=jwt-private-key="$key" \
    --from-literal=admin-email="$ADMIN_EMAIL" \
    --from-literal=admin-password="$admin_password" >/dev/null
  echo "surge-user-secrets: created; admin $ADMIN_EMAIL, password $admin_password (shown once)"
fi

if exists surge-storefront-secrets; then
  echo "surge-storefront-secrets: exists, kept"
else
  kubectl -n "$NAMESPACE" create secret generic surge-storefront-secrets \
    --from-literal=session-secret="$(random)$(random)" >/dev/null
  echo "surge-storefront-secrets: created"
fi

# Redis: one ACL user per service, limited to its own `<service>:` keys, with the rules of
# infra/stack/src/native/redis-acl.ts (infra/stack/test/redis-acl-files.test.ts keeps the
# two equal); `default` off, so a client without a password gets NOAUTH. The Secret
# redis-users holds the ACL file with password hashes only; each service's REDIS_URL
# carries its own password.
REDIS_SERVICES="gateway user product order storefront"
REDIS_COMMON_RULES="-@all +@connection +@transaction +@read +@write"
REDIS_SCRIPTING_RULES="+@scripting -function -script|flush -script|kill"
REDIS_TAIL_RULES="-@dangerous -@admin -scan -randomkey +info"

sha256() { printf %s "$1" | openssl dgst -sha256 -r | cut -d' ' -f1; }

redis_rules() {
  case "$1" in
    gateway | product) scripting="$REDIS_SCRIPTING_RULES " ;;
    *) scripting="" ;;
  esac
  echo "resetkeys ~$1:* resetchannels $REDIS_COMMON_RULES $scripting$REDIS_TAIL_RULES"
}

if exists redis-users; then
  echo "redis-users: exists, kept (the <service>-redis Secrets must match it)"
else
  acl="$(mktemp)"
  trap 'rm -f "$acl" "${key:-}"' EXIT
  admin_password="$(random)"
  {
    echo "user default off resetpass resetkeys resetchannels -@all"
    echo "user admin on #$(sha256 "$admin_password") ~* &* +@all"
    echo "user healthcheck on nopass resetkeys resetchannels -@all +ping"
  } >"$acl"
  for service in $REDIS_SERVICES; do
    password="$(random)"
    echo "user $service on #$(sha256 "$password") $(redis_rules "$service")" >>"$acl"
    if exists "$service-redis"; then
      echo "$service-redis: exists; delete it too, or the service cannot log in"
    else
      kubectl -n "$NAMESPACE" create secret generic "$service-redis" \
        --from-literal=REDIS_URL="redis://$service:$password@redis:6379" >/dev/null
      echo "$service-redis: created"
    fi
  done
  kubectl -n "$NAMESPACE" create secret generic redis-users --from-file=users.acl="$acl" >/dev/null
  echo "redis-users: created"
  if exists redis-admin; then
    kubectl -n "$NAMESPACE" delete secret redis-admin >/dev/null
  fi
  kubectl -n "$NAMESPACE" create secret generic redis-admin --from-literal=password="$admin_password" >/dev/null
  echo "redis-admin: created (the admin user's password, for an operator: kubectl -n $NAMESPACE get secret redis-admin)"
fi

if exists surge-service-clients; then
  echo "surge-service-clients: exists, kept"
else
  # The caller holds its secret; the issuer (user) only the digest, so a leak of the
  # user service's environment does not let anyone act as order.
  order_secret="$(random)$(random)"
  order_digest="$(printf '%s' "$order_secret" | openssl dgst -sha256 -r | cut -d' ' -f1)"
  kubectl -n "$NAMESPACE" create secret generic surge-service-clients \
    --from-literal=order-client-secret="$order_secret" \
    --from-literal=user-client-secrets="order=sha256:$order_digest" >/dev/null
  echo "surge-service-clients: created"
fi
