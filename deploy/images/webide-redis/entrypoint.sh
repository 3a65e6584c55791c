#!/bin/sh
# webide-redis: redis-server in the foreground, as the platform runs it (AppHost's AddCache):
# a password always, the append-only log in /data (a volume), at most 512mb and no eviction.
# The password comes from the file REDIS_PASSWORD_FILE (a mounted secret) or REDIS_PASSWORD,
# and reaches redis-server on its standard input, never on its command line (which every user
# of the host sees). Arguments are redis-server options and override these defaults, e.g.
#   --maxmemory 1gb    --port 0 --tls-port 6380 --tls-cert-file … --tls-key-file …
set -eu

if [ -n "${REDIS_PASSWORD_FILE:-}" ]; then
  password=$(cat "$REDIS_PASSWORD_FILE")
else
  password=${REDIS_PASSWORD:-}
fi
unset REDIS_PASSWORD
if [ -z "$password" ]; then
  echo "webide-redis: no password: set REDIS_PASSWORD_FILE (a file holding it) or REDIS_PASSWORD" >&2
  exit 64
fi
case $password in
  *[\"\\[:space:]]*)
    echo "webide-redis: the password must not hold quotes, backslashes or white space" >&2
    exit 64 ;;
esac

# "-" reads configuration from standard input; dash hands a here-document over a pipe.
exec redis-server - \
  --bind '* -::*' --port 6379 --protected-mode no \
  --dir /data --appendonly yes --save '' \
  --maxmemory 512mb --maxmemory-policy noeviction \
  "$@" <<CONFIG
requirepass "$password"
CONFIG
