#!/usr/bin/env bash
# Smoke test of the runner image: compiles/runs a hello world in each contract
# language, each in its own container locked down the way the execution service
# runs user code (no network, uid 10000, read-only root, exec tmpfs for /sandbox
# and /tmp, memory and pids limits). Prints one PASS/FAIL line per language with
# its wall time (container start included).
#
# Usage: smoke.sh [--image TAG] [--jail] [LANGUAGE...]
#   --image TAG  image to test (default: the tag `build.sh --print-tag` prints)
#   --jail       run each through the sandbox agent instead, as a run step in its jail, in a
#                container set up as the execution service sets it up (seccomp profile,
#                unmasked /proc, no-new-privileges...): jail-check.py exec
#   LANGUAGE     any of languages.txt's: python javascript typescript c cpp java go rust bash (default: all)
# Environment: SMOKE_MEMORY (default 256m, the contract's default run limit),
#              SMOKE_TIMEOUT seconds per language (default 60).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly SCRIPT_DIR
readonly MEMORY="${SMOKE_MEMORY:-256m}"
readonly TIMEOUT="${SMOKE_TIMEOUT:-60}"
# Every language the image is built for (languages.txt, generated from the definitions);
# each needs a hello world in script_for below.
mapfile -t ALL_LANGUAGES < <(grep -v '^#' "${SCRIPT_DIR}/languages.txt" | cut -f1 | sed '/^$/d')
readonly ALL_LANGUAGES

die() { printf '[smoke] ERROR: %s\n' "$*" >&2; exit 2; }
usage() { sed -n '2,15s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

image=""
jail=0
languages=()
while (( $# > 0 )); do
  case "$1" in
    --image) [[ $# -ge 2 ]] || die "--image needs a value"; image="$2"; shift 2 ;;
    --jail) jail=1; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) usage >&2; die "unknown option: $1" ;;
    *) languages+=("$1"); shift ;;
  esac
done
(( ${#languages[@]} > 0 )) || languages=("${ALL_LANGUAGES[@]}")
[[ -n "$image" ]] || image="$("${SCRIPT_DIR}/build.sh" --print-tag)"

command -v docker >/dev/null 2>&1 || die "docker is not installed"
docker image inspect "$image" >/dev/null 2>&1 ||
  die "image ${image} not found; run ${SCRIPT_DIR}/build.sh first"

# The script each language runs inside the container (cwd /sandbox). Sources are
# written with quoted heredocs, so nothing in them is expanded.
script_for() {
  case "$1" in
    python) cat <<'SH' ;;
cat >hello.py <<'EOF'
print("hello from python")
EOF
python3 hello.py
SH
    javascript) cat <<'SH' ;;
cat >hello.js <<'EOF'
console.log("hello from javascript");
EOF
node hello.js
SH
    typescript) cat <<'SH' ;;
cat >hello.ts <<'EOF'
const who: string = "typescript";
console.log(`hello from ${who}`);
EOF
tsc --outDir out hello.ts && node out/hello.js
SH
    c) cat <<'SH' ;;
cat >hello.c <<'EOF'
#include <stdio.h>
int main(void) { puts("hello from c"); return 0; }
EOF
gcc -O1 -o hello hello.c && ./hello
SH
    cpp) cat <<'SH' ;;
cat >hello.cpp <<'EOF'
#include <iostream>
int main() { std::cout << "hello from cpp" << std::endl; return 0; }
EOF
g++ -O1 -o hello hello.cpp && ./hello
SH
    java) cat <<'SH' ;;
cat >Hello.java <<'EOF'
public class Hello {
    public static void main(String[] args) { System.out.println("hello from java"); }
}
EOF
# Serial GC and C1 only: faster start and a small footprint under a 256 MiB limit.
javac -J-XX:+UseSerialGC -J-XX:TieredStopAtLevel=1 -d classes Hello.java &&
  java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp classes Hello
SH
    go) cat <<'SH' ;;
cat >hello.go <<'EOF'
package main

import "fmt"

func main() { fmt.Println("hello from go") }
EOF
# GOCACHE/GOPATH/GOTMPDIR default to /tmp in the image's environment.
go build -o hello hello.go && ./hello
SH
    rust) cat <<'SH' ;;
cat >hello.rs <<'EOF'
fn main() { println!("hello from rust"); }
EOF
rustc -o hello hello.rs && ./hello
SH
    bash) cat <<'SH' ;;
cat >hello.sh <<'EOF'
who=bash
echo "hello from ${who}"
EOF
bash hello.sh
SH
    *) return 1 ;;
  esac
}

# shellcheck disable=SC2054 # commas separate tmpfs mount options
run_args=(
  run --rm --network none
  --user 10000:10000
  --read-only
  --tmpfs /sandbox:exec,size=64m,uid=10000,gid=10000
  --tmpfs /tmp:exec,size=64m
  --memory "$MEMORY" --memory-swap "$MEMORY"
  --pids-limit 64
  --env HOME=/tmp
  --workdir /sandbox
)

now_ms() { date +%s%3N; }

printf '[smoke] image %s, memory %s, %d language(s)%s\n' "$image" "$MEMORY" "${#languages[@]}" "$( ((jail)) && echo ', in the jail')"
passed=0 failed=0 total_start="$(now_ms)"
for lang in "${languages[@]}"; do
  script="$(script_for "$lang")" || die "unknown language: $lang"
  expected="hello from ${lang}"
  start="$(now_ms)"
  rc=0
  if (( jail )); then
    output="$(python3 "${SCRIPT_DIR}/jail-check.py" exec --image "$image" --memory "$MEMORY" --timeout "$TIMEOUT" \
      -- bash -c "$script" 2>&1)" || rc=$?
  else
    output="$(docker "${run_args[@]}" "$image" timeout "$TIMEOUT" bash -c "$script" 2>&1)" || rc=$?
  fi
  elapsed=$(( $(now_ms) - start ))
  seconds="$(printf '%d.%03d' $(( elapsed / 1000 )) $(( elapsed % 1000 )))"
  if (( rc == 0 )) && [[ "$output" == "$expected" ]]; then
    passed=$(( passed + 1 ))
    printf 'PASS  %-11s %7s s  %s\n' "$lang" "$seconds" "$output"
  else
    failed=$(( failed + 1 ))
    printf 'FAIL  %-11s %7s s  exit %d, output:\n' "$lang" "$seconds" "$rc"
    printf '%s\n' "$output" | sed 's/^/      | /'
  fi
done
total=$(( $(now_ms) - total_start ))
printf '[smoke] %d passed, %d failed, %d.%03d s total\n' \
  "$passed" "$failed" $(( total / 1000 )) $(( total % 1000 ))
(( failed == 0 ))
