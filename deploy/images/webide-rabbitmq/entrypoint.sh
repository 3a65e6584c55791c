#!/bin/sh
# webide-rabbitmq: the RabbitMQ broker in the foreground, as the platform runs it (AppHost's
# AddMessageBroker): the broker script itself (Debian's wrapper would switch users), no
# plugins, no guest, logs on the console, state in /data (a volume), generated configuration
# in /tmp (the root filesystem may be read-only). Users, either or both:
#   RABBITMQ_DEFINITIONS_FILE   definitions to import at boot (users with password hashes,
#                               as the AppHost writes them: one user per service)
#   RABBITMQ_DEFAULT_USER       a user made on first boot (default: webide), administrator, with
#   RABBITMQ_DEFAULT_PASS_FILE  a file holding its password (a mounted secret), or
#   RABBITMQ_DEFAULT_PASS
#   RABBITMQ_CONFIG_EXTRA_FILE  rabbitmq.conf lines appended (e.g. TLS listeners, docs/platform.md)
# The node is rabbit@localhost whatever the host name, so a new pod finds its database.
set -eu

conf=/tmp/rabbitmq
umask 077
mkdir -p "$conf"

if [ -n "${RABBITMQ_DEFAULT_PASS_FILE:-}" ]; then
  password=$(cat "$RABBITMQ_DEFAULT_PASS_FILE")
else
  password=${RABBITMQ_DEFAULT_PASS:-}
fi
unset RABBITMQ_DEFAULT_PASS
if [ -z "$password" ] && [ -z "${RABBITMQ_DEFINITIONS_FILE:-}" ]; then
  echo "webide-rabbitmq: no users: set RABBITMQ_DEFINITIONS_FILE, or RABBITMQ_DEFAULT_PASS_FILE (or RABBITMQ_DEFAULT_PASS)" >&2
  exit 64
fi
case $password in
  *[[:space:]]*)
    echo "webide-rabbitmq: the password must not hold white space" >&2
    exit 64 ;;
esac

{
  echo "log.console = true"
  echo "log.console.level = info"
  echo "log.file = false"
  if [ -n "$password" ]; then
    echo "default_user = ${RABBITMQ_DEFAULT_USER:-webide}"
    echo "default_pass = ${password}"
  fi
  if [ -n "${RABBITMQ_DEFINITIONS_FILE:-}" ]; then
    echo "definitions.import_backend = local_filesystem"
    echo "definitions.local.path = ${RABBITMQ_DEFINITIONS_FILE}"
  fi
  if [ -n "${RABBITMQ_CONFIG_EXTRA_FILE:-}" ]; then
    cat "$RABBITMQ_CONFIG_EXTRA_FILE"
  fi
} >"$conf/rabbitmq.conf"
echo "[]." >"$conf/enabled_plugins"

export HOME=/data
export RABBITMQ_NODENAME="${RABBITMQ_NODENAME:-rabbit@localhost}"
export RABBITMQ_MNESIA_BASE=/data/mnesia
export RABBITMQ_LOG_BASE="$conf/log"
export RABBITMQ_LOGS=-
export RABBITMQ_CONFIG_FILE="$conf/rabbitmq"
export RABBITMQ_ENABLED_PLUGINS_FILE="$conf/enabled_plugins"
export RABBITMQ_PID_FILE="$conf/rabbitmq.pid"
export ERL_CRASH_DUMP=/tmp/erl_crash.dump
exec /usr/lib/rabbitmq/bin/rabbitmq-server "$@"
