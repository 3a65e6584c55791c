#!/usr/bin/env bash
# Makes the production overlay's credentials and keys under secrets/ (secrets/README.md): each
# file that is missing, never one that exists. `--rotate-content-key` adds a new content key to
# the key ring instead (it seals from the pods' next start; the older keys still open what they
# sealed). Needs openssl and, for the key ring, the .NET SDK (the AppHost makes the ring).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../../.." && pwd)
secrets="$here/secrets"
umask 077

hex() { openssl rand -hex 32; }

write_env() { # file, then name=value lines
  local file="$secrets/$1"; shift
  if [[ -e $file ]]; then echo "kept $file"; return; fi
  printf '%s\n' "$@" >"$file"
  echo "made $file"
}

# The AppHost is the one maker of key rings (KeyRingFile): it makes one under a data folder's
# keys/, or adds a key to the one there.
key_ring() {
  local data apphost="$root/AppHost/bin/Release/net10.0/WebIde.AppHost"
  data=$(mktemp -d)
  trap 'rm -rf "$data"' RETURN
  dotnet build "$root/AppHost/WebIde.AppHost.csproj" -c Release -nologo -v:q >/dev/null
  mkdir -p "$data/keys"
  [[ -e $secrets/content-keys.json ]] && cp "$secrets/content-keys.json" "$data/keys/content-keys.json"
  "$apphost" "--WebIde:DataDir=$data" --WebIde:ContentKeys=rotate
  cp "$data/keys/content-keys.json" "$secrets/content-keys.json"
}

if [[ ${1:-} == --rotate-content-key ]]; then
  [[ -e $secrets/content-keys.json ]] || { echo "no key ring to rotate: run $0 first" >&2; exit 1; }
  key_ring
  exit 0
fi
[[ $# -eq 0 ]] || { echo "usage: $0 [--rotate-content-key]" >&2; exit 2; }

write_env redis.env "password=$(hex)"
write_env rabbitmq.env "password=$(hex)"
write_env mongo.env "password=$(hex)"
write_env service-clients.env "filesystem=$(hex)" "collaboration=$(hex)" "execution=$(hex)"
write_env operator-key.env "operator-key=$(hex)"
if [[ -e $secrets/mongo-keyfile ]]; then echo "kept $secrets/mongo-keyfile"; else openssl rand -base64 756 >"$secrets/mongo-keyfile"; echo "made $secrets/mongo-keyfile"; fi
if [[ -e $secrets/content-keys.json ]]; then echo "kept $secrets/content-keys.json"; else key_ring; fi
