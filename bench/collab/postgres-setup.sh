#!/usr/bin/env bash
# The PostgreSQL that the durable ShareDB target of bench/collab stores its documents in: the
# machine's own cluster (Debian's postgresql, 15 here), started if it is down — pinned with
# taskset to the CPUs under test (default: 1) — and a role and a database for the benchmark.
# Idempotent; run as root (it becomes the postgres user for the SQL).
#
#   bench/collab/postgres-setup.sh [--cpus 1] [--cluster 15/main]
#
# The benchmark connects to postgres://sharedb_bench:sharedb_bench@127.0.0.1:5432/sharedb_bench
# (its --pg-url); it creates the tables itself (sharedb-postgres's structure.sql).
set -euo pipefail

cpus=1
cluster=
while (($#)); do
  case $1 in
    --cpus) cpus=$2; shift 2 ;;
    --cluster) cluster=$2; shift 2 ;;
    *) echo "usage: $0 [--cpus LIST] [--cluster VERSION/NAME]" >&2; exit 2 ;;
  esac
done

if [[ -z $cluster ]]; then
  cluster=$(pg_lsclusters --no-header | awk 'NR == 1 { print $1 "/" $2 }')
  [[ -n $cluster ]] || { echo "no PostgreSQL cluster (apt-get install postgresql)" >&2; exit 1; }
fi
version=${cluster%/*}
name=${cluster#*/}

status=$(pg_lsclusters --no-header | awk -v v="$version" -v n="$name" '$1 == v && $2 == n { print $4 }')
if [[ $status != online ]]; then
  echo "starting PostgreSQL $cluster on CPUs $cpus"
  taskset -c "$cpus" pg_ctlcluster "$version" "$name" start
else
  echo "PostgreSQL $cluster is running (the benchmark pins its processes to the CPUs under test itself)"
fi

port=$(pg_lsclusters --no-header | awk -v v="$version" -v n="$name" '$1 == v && $2 == n { print $3 }')
psql_as_postgres() { runuser -u postgres -- psql -p "$port" -v ON_ERROR_STOP=1 -qAt "$@"; }

if [[ $(psql_as_postgres -c "SELECT 1 FROM pg_roles WHERE rolname = 'sharedb_bench'") != 1 ]]; then
  psql_as_postgres -c "CREATE ROLE sharedb_bench LOGIN PASSWORD 'sharedb_bench'"
fi
if [[ $(psql_as_postgres -c "SELECT 1 FROM pg_database WHERE datname = 'sharedb_bench'") != 1 ]]; then
  psql_as_postgres -c "CREATE DATABASE sharedb_bench OWNER sharedb_bench"
fi
echo "postgres://sharedb_bench:sharedb_bench@127.0.0.1:$port/sharedb_bench"
