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
readonly SUITE="bookworm"
readonly RUNNER_UID=10000
readonly RUNNER_GID=10000
readonly STEPS=6
readonly LOCK_FILE="/var/tmp/webide-runner-build.lock"

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly SCRIPT_DIR
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
readonly DEFINITION_FILES=("${SCRIPT_DIR}/build.sh" "${PACKAGES_FILE}" "${LANGUAGES_FILE}"
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

[[ ${EUID} -eq 0 ]] || die "must run as root (debootstrap and chroot need it)"
command -v debootstrap >/dev/null 2>&1 || die "debootstrap is not installed (apt-get install debootstrap)"
for tool in chroot mount umount tar flock apt-get apt-config dpkg; do
  command -v "$tool" >/dev/null 2>&1 || die "required tool not found: $tool"
done
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

# ---------------------------------------------------------------------------
# Mirror: read from the host's apt configuration (never written into the repo).
# ---------------------------------------------------------------------------
repo_uri_for() {
  # shellcheck disable=SC2016 # $(REPO_URI) is apt's format field, not a shell expansion
  apt-get indextargets --format '$(REPO_URI)' \
    "Release: $1" 'Component: main' 'Identifier: Packages' 'Target-Of: deb' 2>/dev/null | head -n1
}
MIRROR="$(repo_uri_for "$SUITE")"
[[ -n "$MIRROR" ]] || die "the host's apt configuration has no source serving '${SUITE} main' (run apt-get update?)"
# Update and security suites are used when the host has them too.
declare -a SOURCE_LINES=("deb ${MIRROR} ${SUITE} main")
for extra in "${SUITE}-updates" "${SUITE}-security"; do
  uri="$(repo_uri_for "$extra")"
  if [[ -n "$uri" ]]; then SOURCE_LINES+=("deb ${uri} ${extra} main"); fi
done

# apt settings the host relies on to reach that mirror (proxy, date checks), copied
# into the chroot for the build only.
host_apt_value() {
  apt-config dump 2>/dev/null | sed -n "s/^$1 \"\(.*\)\";\$/\1/p" | head -n1
}
APT_BUILD_CONF=""
for key in Acquire::http::Proxy Acquire::https::Proxy Acquire::Check-Valid-Until Acquire::Check-Date; do
  value="$(host_apt_value "$key")"
  if [[ -n "$value" ]]; then APT_BUILD_CONF+="${key} \"${value}\";"$'\n'; fi
done

ARCH="$(dpkg --print-architecture)"
KEYRING_ARGS=()
if [[ -r /usr/share/keyrings/debian-archive-keyring.gpg ]]; then
  KEYRING_ARGS=(--keyring=/usr/share/keyrings/debian-archive-keyring.gpg)
fi

# ---------------------------------------------------------------------------
# Work dir under /var/tmp, cleaned on exit (mounts first, always).
# ---------------------------------------------------------------------------
WORK="$(mktemp -d /var/tmp/webide-runner.XXXXXX)"
readonly WORK
readonly ROOTFS="${WORK}/rootfs"
readonly BUILD_LOG="${WORK}/build.log"
mkdir -p "$ROOTFS"

mounts_under() {
  # Mount points below $1, deepest first.
  awk -v root="$1" '$2 == root || index($2, root "/") == 1 { print $2 }' /proc/self/mounts | sort -r
}
unmount_all() {
  local m
  while read -r m; do
    [[ -n "$m" ]] || continue
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done < <(mounts_under "$ROOTFS")
}
cleanup() {
  local rc=$?
  set +e
  unmount_all
  if [[ -n "$(mounts_under "$ROOTFS")" ]]; then
    log "WARNING: mounts remain under ${ROOTFS}; leaving ${WORK} in place"
  else
    rm -rf --one-file-system "$WORK"
  fi
  if (( rc != 0 )); then
    log "build FAILED (exit ${rc}) after $((SECONDS - START_SECONDS)) s"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Runs a command with its output in the build log (streamed with --verbose); on
# failure shows the log's tail.
run_logged() {
  local rc=0
  if (( verbose )); then
    "$@" 2>&1 | tee -a "$BUILD_LOG" >&2 || rc=$?
  else
    "$@" >>"$BUILD_LOG" 2>&1 || rc=$?
  fi
  if (( rc != 0 )); then
    log "command failed (exit ${rc}): $*"
    tail -n 40 "$BUILD_LOG" >&2 || true
    return "$rc"
  fi
}

# A clean environment for everything run inside the chroot.
in_chroot() {
  chroot "$ROOTFS" /usr/bin/env -i \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

log "building ${TAG} (${#PACKAGES[@]} packages, ${ARCH}, ${SUITE}); work dir ${WORK}"

# ---------------------------------------------------------------------------
step 1 "debootstrap ${SUITE} minbase"
# ---------------------------------------------------------------------------
run_logged debootstrap --variant=minbase --arch="$ARCH" "${KEYRING_ARGS[@]}" \
  "$SUITE" "$ROOTFS" "$MIRROR"

# ---------------------------------------------------------------------------
step 2 "apt-get install ${PACKAGES[*]}"
# ---------------------------------------------------------------------------
mount -t proc proc "${ROOTFS}/proc"
mount -t sysfs sysfs "${ROOTFS}/sys"
cp /etc/resolv.conf "${ROOTFS}/etc/resolv.conf"

printf '%s\n' "${SOURCE_LINES[@]}" >"${ROOTFS}/etc/apt/sources.list"
printf '%s' "$APT_BUILD_CONF" >"${ROOTFS}/etc/apt/apt.conf.d/00webide-build"
# Never start services while installing.
printf '#!/bin/sh\nexit 101\n' >"${ROOTFS}/usr/sbin/policy-rc.d"
chmod 0755 "${ROOTFS}/usr/sbin/policy-rc.d"
# Keep the image lean from the start: no recommends, no docs/man/locales on disk.
cat >"${ROOTFS}/etc/apt/apt.conf.d/90webide-lean" <<'EOF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
EOF
cat >"${ROOTFS}/etc/dpkg/dpkg.cfg.d/90webide-nodoc" <<'EOF'
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
path-include=/usr/share/locale/locale.alias
path-exclude=/usr/share/lintian/*
path-exclude=/usr/share/linda/*
EOF
# update-alternatives of the JDK writes man page links; their directory must exist.
mkdir -p "${ROOTFS}/usr/share/man/man1"

run_logged in_chroot apt-get update
run_logged in_chroot apt-get -y -o Dpkg::Use-Pty=0 install "${PACKAGES[@]}"

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
run_logged in_chroot apt-get clean
unmount_all
rm -f "${ROOTFS}/usr/sbin/policy-rc.d" "${ROOTFS}/etc/apt/apt.conf.d/00webide-build"
# Docker provides resolv.conf, hostname and hosts at run time.
: >"${ROOTFS}/etc/resolv.conf"
: >"${ROOTFS}/etc/machine-id"
find "${ROOTFS}/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
find "${ROOTFS}/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
rm -rf "${ROOTFS}/usr/share/man/"* "${ROOTFS}/usr/share/info/"* \
  "${ROOTFS}/usr/share/lintian" "${ROOTFS}/usr/share/linda"
find "${ROOTFS}/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias \
  -exec rm -rf {} + 2>/dev/null || true
# Locales: C.UTF-8 is the only one kept (glibc ships it in /usr/lib/locale/C.utf8).
find "${ROOTFS}/usr/lib/locale" -mindepth 1 -maxdepth 1 -not -name 'C.utf8' \
  -exec rm -rf {} + 2>/dev/null || true
rm -rf "${ROOTFS}/var/lib/apt/lists/"* "${ROOTFS}/var/cache/apt/"* \
  "${ROOTFS}/var/cache/debconf/"*-old "${ROOTFS}/var/lib/dpkg/"*-old \
  "${ROOTFS}/var/cache/ldconfig/aux-cache" "${ROOTFS}/var/log/"* \
  "${ROOTFS}/tmp/"* "${ROOTFS}/var/tmp/"* "${ROOTFS}/root/".cache
# JDK modules are only used by jlink; user code never needs them.
rm -rf "${ROOTFS}"/usr/lib/jvm/*/jmods
# Go: precompiled archives of the toolchain's own cmd/... packages (user code cannot
# import them; the tools are binaries in pkg/tool) and the compiler's test suite.
rm -rf "${ROOTFS}"/usr/lib/go-*/pkg/*/cmd "${ROOTFS}"/usr/share/go-*/test
# Device nodes and mount points are provided by the engine.
[[ -z "$(mounts_under "$ROOTFS")" ]] || die "mounts remain under ${ROOTFS}; refusing to clean /dev, /proc, /sys"
rm -rf "${ROOTFS:?}/dev/"* "${ROOTFS:?}/proc/"* "${ROOTFS:?}/sys/"* "${ROOTFS:?}/run/"*
chmod 1777 "${ROOTFS}/tmp" "${ROOTFS}/var/tmp"
# No setuid or setgid file: sandboxes run with no-new-privileges, so the kernel already
# ignores these bits on exec, but a binary that cannot gain privileges is one less to trust
# (su, mount, passwd, ... and whatever a package adds). bubblewrap needs no such bit:
# it works in user namespaces. File capabilities do not survive `tar | docker import`
# (no --xattrs).
stripped="$(find "$ROOTFS" -xdev -type f -perm /6000 -print -exec chmod ug-s {} + | sed "s|^${ROOTFS}||")"
log "setuid/setgid bits removed from: ${stripped//$'\n'/ }"
[[ -z "$(find "$ROOTFS" -xdev -type f -perm /6000 -print -quit)" ]] || die "setuid/setgid files remain"
log "root filesystem: $(du -sh --one-file-system "$ROOTFS" | cut -f1)"

# ---------------------------------------------------------------------------
step 6 "docker import ${TAG}"
# ---------------------------------------------------------------------------
# With --force the tag moves; the image it pointed at is dropped below if unused.
previous_id="$(docker image inspect --format '{{.Id}}' "$TAG" 2>/dev/null || true)"
tar --numeric-owner -C "$ROOTFS" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'ENV GOCACHE=/tmp/.cache/go-build GOPATH=/tmp/go GOTMPDIR=/tmp' \
  --change 'USER runner' \
  --change 'WORKDIR /sandbox' \
  --change 'ENTRYPOINT ["/usr/bin/tini", "-g", "-s", "--"]' \
  --change 'CMD ["/bin/bash"]' \
  --change "LABEL org.opencontainers.image.title=${IMAGE_REPO} webide.runner.hash=${HASH}" \
  --message "webide-runner ${HASH}: ${SUITE} minbase + ${PACKAGES[*]} + npm language-servers" \
  - "$TAG" >/dev/null

# Free the disk now rather than in the exit trap.
[[ -z "$(mounts_under "$ROOTFS")" ]] && rm -rf --one-file-system "$ROOTFS"

size_bytes="$(docker image inspect --format '{{.Size}}' "$TAG")"
log "image ${TAG}: $(( size_bytes / 1024 / 1024 )) MiB"

unused_by_containers() { [[ -z "$(docker ps -a -q --filter "ancestor=$1")" ]]; }

if [[ -n "$previous_id" && "$previous_id" != "$(docker image inspect --format '{{.Id}}' "$TAG")" ]]; then
  if unused_by_containers "$previous_id" && docker image rm "$previous_id" >/dev/null 2>&1; then
    log "removed the image ${TAG} pointed at before (${previous_id:7:12})"
  fi
fi
# Keep only the newest webide-runner image: drop the other tags no container uses.
# (An image that a service is configured with but has no container yet is not
# protected: use --keep-older while such a service runs.)
while read -r old; do
  [[ -n "$old" && "$old" != "$TAG" && "$old" != *"<none>" ]] || continue
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
