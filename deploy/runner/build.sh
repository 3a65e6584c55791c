#!/usr/bin/env bash
# Builds the WebIde sandbox runner image, webide-runner:<hash>, from Debian packages
# (debootstrap (minbase, bookworm) + apt-get install in a chroot + docker import) and
# the npm language servers of language-servers/ (npm ci on the host, copied in).
# No image registry is contacted; the Debian mirror and the npm registry are those the
# host's apt and npm already use.
#
# Usage: build.sh [--print-tag] [--force] [--keep-older] [--verbose] [--help]
#   --print-tag   print the tag (webide-runner:<hash>) and exit; needs neither root nor Docker
#   --force       rebuild even if the tag already exists in the local engine
#   --keep-older  do not remove other webide-runner:* tags after the build
#   --verbose     stream debootstrap/apt output instead of logging it to a file
#
# On success the tag is printed on stdout (last line); progress goes to stderr, so
# `tag=$(deploy/runner/build.sh)` works.
set -euo pipefail

readonly IMAGE_REPO="webide-runner"
readonly RUNNER_UID=10000
readonly RUNNER_GID=10000
readonly STEPS=6
readonly LOCK_FILE="/var/tmp/webide-runner-build.lock"

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly SCRIPT_DIR
# Debootstrap, the mirror, apt in a chroot, stripping and import: shared with the platform's images.
readonly ROOTFS_LIB="${SCRIPT_DIR}/../images/lib/rootfs.sh"
# shellcheck source=../images/lib/rootfs.sh
source "$ROOTFS_LIB"
readonly SUITE="$ROOTFS_SUITE"
readonly PACKAGES_FILE="${SCRIPT_DIR}/packages.txt"
# Generated from the language definitions (services/Execution/Languages/Definitions):
# name, display name, version command and packages of each language, tab-separated.
readonly LANGUAGES_FILE="${SCRIPT_DIR}/languages.txt"
# The npm language servers (exact versions, locked) and files other servers read (clangd's
# compile flags), installed at /opt/webide/language-servers; the language definitions start
# the npm ones from node_modules/.bin there.
readonly SERVERS_DIR="${SCRIPT_DIR}/language-servers"
readonly SERVERS_TARGET="/opt/webide/language-servers"
readonly SERVER_FILES=(clangd/c/compile_flags.txt clangd/cpp/compile_flags.txt)
# Every file that defines the image. The tag is a hash over these.
readonly DEFINITION_FILES=("${SCRIPT_DIR}/build.sh" "${ROOTFS_LIB}" "${PACKAGES_FILE}" "${LANGUAGES_FILE}"
  "${SERVERS_DIR}/package.json" "${SERVERS_DIR}/package-lock.json"
  "${SERVER_FILES[@]/#/${SERVERS_DIR}/}")

START_SECONDS=$SECONDS

log() { printf '[runner] %s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
step() { log "$2… ($1/${STEPS})"; }
die() { printf '[runner] ERROR: %s\n' "$*" >&2; exit 1; }

usage() { sed -n '2,16s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

print_tag=0 force=0 keep_older=0 verbose=0
for arg in "$@"; do
  case "$arg" in
    --print-tag) print_tag=1 ;;
    --force) force=1 ;;
    --keep-older) keep_older=1 ;;
    -v|--verbose) verbose=1 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $arg" ;;
  esac
done

# ---------------------------------------------------------------------------
# Tag: first 12 hex digits of sha256 over (name, length, content) of each file.
# ---------------------------------------------------------------------------
for f in "${DEFINITION_FILES[@]}"; do
  [[ -r "$f" ]] || die "missing definition file: $f"
done
definition_stream() {
  local f
  for f in "${DEFINITION_FILES[@]}"; do
    printf '%s\n%s\n' "$(basename "$f")" "$(wc -c <"$f")"
    cat "$f"
  done
}
HASH="$(definition_stream | sha256sum | cut -c1-12)"
readonly HASH
readonly TAG="${IMAGE_REPO}:${HASH}"

if (( print_tag )); then
  printf '%s\n' "$TAG"
  exit 0
fi

# ---------------------------------------------------------------------------
# Preconditions. The caller installs the tools; this script never installs on the host.
# ---------------------------------------------------------------------------
command -v docker >/dev/null 2>&1 || die "docker is not installed (install docker.io and start dockerd)"
docker info >/dev/null 2>&1 || die "cannot reach the Docker engine (is dockerd running? are you allowed to use it?)"

image_exists() { docker image inspect "$TAG" >/dev/null 2>&1; }

if (( ! force )) && image_exists; then
  log "image ${TAG} already exists; nothing to do"
  printf '%s\n' "$TAG"
  exit 0
fi

rootfs_require_tools
command -v npm >/dev/null 2>&1 || die "npm is not installed (it installs language-servers/ on this host; the image runs them on its own node)"

# One build at a time; a build that waited for another re-checks the tag.
exec 9>"$LOCK_FILE"
if ! flock -n 9; then
  log "another build holds ${LOCK_FILE}; waiting"
  flock 9
fi
if (( ! force )) && image_exists; then
  log "image ${TAG} was built meanwhile; nothing to do"
  printf '%s\n' "$TAG"
  exit 0
fi

# The languages' lines, without the comments.
LANGUAGE_LINES="$(grep -v '^#' "$LANGUAGES_FILE" | sed '/^[[:space:]]*$/d')"
[[ -n "$LANGUAGE_LINES" ]] || die "no languages listed in ${LANGUAGES_FILE}"
# Packages: the base ones (comments and blanks stripped), then each language's (its
# server's included), each once.
mapfile -t PACKAGES < <({
  sed -e 's/#.*//' "$PACKAGES_FILE"
  cut -f4 <<<"$LANGUAGE_LINES"
} | sed -e 's/[[:space:]]\+/\n/g' | sed '/^$/d' | awk '!seen[$0]++')
(( ${#PACKAGES[@]} > 0 )) || die "no packages listed in ${PACKAGES_FILE}"

rootfs_discover_mirror
ARCH="$ROOTFS_ARCH"

# ---------------------------------------------------------------------------
# Work dir under /var/tmp, cleaned on exit (mounts first, always).
# ---------------------------------------------------------------------------
WORK="$(mktemp -d /var/tmp/webide-runner.XXXXXX)"
readonly WORK
readonly ROOTFS="${WORK}/rootfs"
readonly BUILD_LOG="${WORK}/build.log"
ROOTFS_BUILD_LOG="$BUILD_LOG"
ROOTFS_VERBOSE="$verbose"
mkdir -p "$ROOTFS"

cleanup() {
  local rc=$?
  set +e
  rootfs_remove "$WORK" || log "WARNING: leaving ${WORK} in place"
  if (( rc != 0 )); then
    log "build FAILED (exit ${rc}) after $((SECONDS - START_SECONDS)) s"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

in_chroot() { rootfs_chroot "$ROOTFS" "$@"; }

log "building ${TAG} (${#PACKAGES[@]} packages, ${ARCH}, ${SUITE}); work dir ${WORK}"

# ---------------------------------------------------------------------------
step 1 "debootstrap ${SUITE} minbase"
# ---------------------------------------------------------------------------
rootfs_debootstrap "$ROOTFS"

# ---------------------------------------------------------------------------
step 2 "apt-get install ${PACKAGES[*]}"
# ---------------------------------------------------------------------------
rootfs_apt_prepare "$ROOTFS"
# update-alternatives of the JDK writes man page links; their directory must exist.
mkdir -p "${ROOTFS}/usr/share/man/man1"

rootfs_apt_install "$ROOTFS" "${PACKAGES[@]}"

# ---------------------------------------------------------------------------
step 3 "npm ci language servers into ${SERVERS_TARGET}"
# ---------------------------------------------------------------------------
# Installed on the host (the chroot has no npm, and needs none at run time): exactly the
# lock file's packages, no dev dependencies and no install scripts (none of these servers
# needs one, and nothing from the registry runs as root here). The packages are plain
# JavaScript (and WebAssembly), so the host's node and npm may differ from the image's node 18.
servers_work="${WORK}/language-servers"
install -d -m 0755 "$servers_work"
cp "${SERVERS_DIR}/package.json" "${SERVERS_DIR}/package-lock.json" "$servers_work/"
run_logged env -C "$servers_work" npm ci --omit=dev --ignore-scripts --no-audit --no-fund --no-update-notifier
[[ -d "${servers_work}/node_modules/.bin" ]] || die "npm ci left no node_modules/.bin in ${servers_work}"
for f in "${SERVER_FILES[@]}"; do
  install -D -m 0644 "${SERVERS_DIR}/${f}" "${servers_work}/${f}"
done
install -d -m 0755 "${ROOTFS}/opt/webide"
cp -a "$servers_work" "${ROOTFS}${SERVERS_TARGET}"
# Root's, readable by all, writable by none else (the container's root file system is
# read-only anyway): the runner user may run the servers but never change them.
chown -R 0:0 "${ROOTFS}${SERVERS_TARGET}"
chmod -R u=rwX,go=rX "${ROOTFS}${SERVERS_TARGET}"
log "language servers: $(du -sh "${ROOTFS}${SERVERS_TARGET}" | cut -f1) in ${SERVERS_TARGET}"

# ---------------------------------------------------------------------------
step 4 "configure user ${RUNNER_UID}, /sandbox and /etc/webide/languages.json"
# ---------------------------------------------------------------------------
in_chroot groupadd --gid "$RUNNER_GID" runner
in_chroot useradd --uid "$RUNNER_UID" --gid "$RUNNER_GID" --create-home \
  --home-dir /home/runner --shell /bin/bash runner
install -d -m 0755 -o "$RUNNER_UID" -g "$RUNNER_GID" "${ROOTFS}/sandbox"
install -d -m 0755 "${ROOTFS}/etc/webide"

# Each language of languages.txt, its display name and the command that reports its
# version, and its language server's program; run inside the chroot so the versions are
# those of the image. A server's version is its npm package's (the package.json above its
# bin) or its Debian package's (the one that owns the program), without epoch or revision.
in_chroot /usr/bin/python3 - "$LANGUAGE_LINES" <<'PY' >"${ROOTFS}/etc/webide/languages.json"
import json, os, re, shutil, subprocess, sys

LANGUAGES = [line.split("\t") for line in sys.argv[1].splitlines()]
env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8",
       "HOME": "/tmp", "GOCACHE": "/tmp/go-cache"}
VERSION = re.compile(r"\d+(?:\.\d+)+")

def server(program):
    path = shutil.which(program, path=env["PATH"])
    if path is None:
        raise SystemExit(f"language server {program!r} is not in the image")
    path = os.path.realpath(path)
    folder = os.path.dirname(path)
    while "/node_modules/" in folder:
        manifest = os.path.join(folder, "package.json")
        if os.path.exists(manifest):
            with open(manifest) as f:
                package = json.load(f)
            # A package.json below the package's own may only set its module type.
            if "name" in package and "version" in package:
                return {"name": package["name"], "version": package["version"]}
        folder = os.path.dirname(folder)
    owner = subprocess.run(["dpkg-query", "-S", path], capture_output=True, text=True, check=True)
    package = owner.stdout.split(":")[0]
    version = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", package],
                             capture_output=True, text=True, check=True).stdout
    return {"name": package, "version": VERSION.search(version.split(":")[-1]).group(0)}

out = {}
for key, name, command, _packages, program in LANGUAGES:
    proc = subprocess.run(command.split(), env=env, capture_output=True, text=True, check=True)
    text = (proc.stdout.strip() or proc.stderr.strip()).splitlines()[0].strip()
    match = VERSION.search(text)
    if not match:
        raise SystemExit(f"no version in output of {command!r}: {text!r}")
    out[key] = {"name": name, "version": match.group(0), "versionText": text,
                "versionCommand": command}
    if program != "-":
        out[key]["languageServer"] = server(program)
print(json.dumps(out, indent=2))
PY
chmod 0644 "${ROOTFS}/etc/webide/languages.json"
log "languages: $(in_chroot /usr/bin/python3 -c 'import json; d = json.load(open("/etc/webide/languages.json")); print(", ".join(k + " " + v["version"] for k, v in d.items()))')"
log "language servers: $(in_chroot /usr/bin/python3 -c 'import json; d = json.load(open("/etc/webide/languages.json")); print(", ".join(k + " " + v["languageServer"]["name"] + " " + v["languageServer"]["version"] for k, v in d.items() if "languageServer" in v))')"

# ---------------------------------------------------------------------------
step 5 "strip docs, locales, caches and build-only files"
# ---------------------------------------------------------------------------
rootfs_strip "$ROOTFS"
# JDK modules are only used by jlink; user code never needs them.
rm -rf "${ROOTFS}"/usr/lib/jvm/*/jmods
# Go: precompiled archives of the toolchain's own cmd/... packages (user code cannot
# import them; the tools are binaries in pkg/tool) and the compiler's test suite.
rm -rf "${ROOTFS}"/usr/lib/go-*/pkg/*/cmd "${ROOTFS}"/usr/share/go-*/test
# bubblewrap needs no setuid bit (it works in user namespaces): rootfs_finish drops them all.
rootfs_finish "$ROOTFS"

# ---------------------------------------------------------------------------
step 6 "docker import ${TAG}"
# ---------------------------------------------------------------------------
# With --force the tag moves; the image it pointed at is dropped below if unused.
previous_id="$(docker image inspect --format '{{.Id}}' "$TAG" 2>/dev/null || true)"
rootfs_import "$ROOTFS" "$TAG" \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'ENV GOCACHE=/tmp/.cache/go-build GOPATH=/tmp/go GOTMPDIR=/tmp' \
  --change 'USER runner' \
  --change 'WORKDIR /sandbox' \
  --change 'ENTRYPOINT ["/usr/bin/tini", "-g", "-s", "--"]' \
  --change 'CMD ["/bin/bash"]' \
  --change "LABEL org.opencontainers.image.title=${IMAGE_REPO} webide.runner.hash=${HASH}" \
  --message "webide-runner ${HASH}: ${SUITE} minbase + ${PACKAGES[*]} + npm language-servers"

# Free the disk now rather than in the exit trap.
rootfs_remove "$ROOTFS" || true

size_bytes="$(docker image inspect --format '{{.Size}}' "$TAG")"
log "image ${TAG}: $(( size_bytes / 1024 / 1024 )) MiB"

unused_by_containers() { [[ -z "$(docker ps -a -q --filter "ancestor=$1")" ]]; }

if [[ -n "$previous_id" && "$previous_id" != "$(docker image inspect --format '{{.Id}}' "$TAG")" ]]; then
  if unused_by_containers "$previous_id" && docker image rm "$previous_id" >/dev/null 2>&1; then
    log "removed the image ${TAG} pointed at before (${previous_id:7:12})"
  fi
fi
# Keep only the newest webide-runner image: drop the other hash tags no container uses.
# (An image that a service is configured with but has no container yet is not
# protected: use --keep-older while such a service runs.) Release tags
# (webide-runner:<version>, made by deploy/images/build.sh) are not this script's to drop.
while read -r old; do
  [[ -n "$old" && "$old" != "$TAG" && "$old" =~ :[0-9a-f]{12}$ ]] || continue
  if (( keep_older )); then
    log "keeping ${old} (--keep-older)"
    continue
  fi
  if unused_by_containers "$old"; then
    docker image rm "$old" >/dev/null && log "removed older image ${old}"
  else
    log "keeping ${old}: a container still uses it"
  fi
done < <(docker image ls --format '{{.Repository}}:{{.Tag}}' "${IMAGE_REPO}")

log "done in $((SECONDS - START_SECONDS)) s"
printf '%s\n' "$TAG"
