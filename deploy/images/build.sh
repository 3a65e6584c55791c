#!/usr/bin/env bash
# Builds the platform's OCI images, every one listed in deploy/images/images.txt, tagged
# <name>:<version> (deploy/images/VERSION), with no image pull: root filesystems come from
# Debian packages (lib/rootfs.sh, as the runner image's do), the .NET services are published
# self-contained onto one base of the native libraries .NET loads, webide-dotnet-base:<hash>.
#
# Usage: build.sh [--force] [--verbose] [--help] [NAME…]
#   NAME…       only these images (names as in images.txt); default: all
#   --force     rebuild even when an image is up to date
#   --verbose   stream debootstrap/apt/dotnet output instead of logging it to a file
#
# An image is up to date when its label webide.build.hash equals the hash of what defines it
# (its definition files; for a service, its sources and everything they reference, the SDK,
# the base image, and for the gateway the built web app): a second run builds nothing.
# Progress goes to stderr; the tags, one a line, to stdout. Run as root (debootstrap).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly SCRIPT_DIR
ROOT="$(cd "${SCRIPT_DIR}/../.." && pwd)"
readonly ROOT
readonly ROOTFS_LIB="${SCRIPT_DIR}/lib/rootfs.sh"
# shellcheck source=lib/rootfs.sh
source "$ROOTFS_LIB"

readonly IMAGES_FILE="${SCRIPT_DIR}/images.txt"
readonly VERSION_FILE="${SCRIPT_DIR}/VERSION"
readonly BASE_DIR="${SCRIPT_DIR}/dotnet-base"
readonly BASE_REPO="webide-dotnet-base"
readonly LOCK_FILE="/var/tmp/webide-images-build.lock"
# The runtime settings every .NET process of the platform gets (docs/platform.md, "Running lean").
readonly LEAN_RUNTIME_FILE="${ROOT}/AppHost/lean-runtime.env"
# Kept between runs: dotnet's intermediate files (a changed service publishes incrementally),
# apart from the checkout's own bin/obj so that a running `./webide up` is never disturbed.
readonly STATE_DIR="${WEBIDE_IMAGES_STATE:-/var/tmp/webide-images}"
# The images' users and the services' ports (SERVICE_UID, DAEMON_UID, HTTP_PORT, GRPC_PORT):
# one file, which the Kubernetes manifests' tests read too.
readonly CONTRACT_FILE="${SCRIPT_DIR}/contract.conf"
# shellcheck source=contract.conf
source "$CONTRACT_FILE"
readonly SERVICE_UID DAEMON_UID HTTP_PORT GRPC_PORT
# Every image's init: forwards signals and reaps children (rabbitmq's epmd, for one).
readonly INIT_PACKAGE="tini"
# org.opencontainers.image.source: WEBIDE_IMAGE_SOURCE, else the checkout's origin, else the checkout.
SOURCE_URL="${WEBIDE_IMAGE_SOURCE:-$(git -C "$ROOT" config --get remote.origin.url 2>/dev/null || echo "file://${ROOT}")}"
readonly SOURCE_URL

START_SECONDS=$SECONDS

log() { printf '[images] %s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[images] ERROR: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,16s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

force=0
ROOTFS_VERBOSE=0
declare -a only=()
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    -v|--verbose) ROOTFS_VERBOSE=1 ;;
    -h|--help) usage; exit 0 ;;
    -*) usage >&2; die "unknown argument: $arg" ;;
    *) only+=("$arg") ;;
  esac
done

# ---------------------------------------------------------------------------
# What to build: images.txt (name, kind, source), VERSION.
# ---------------------------------------------------------------------------
[[ -r "$VERSION_FILE" ]] || die "missing ${VERSION_FILE}"
VERSION="$(tr -d '[:space:]' <"$VERSION_FILE")"
readonly VERSION
[[ "$VERSION" =~ ^[0-9A-Za-z][0-9A-Za-z._-]*$ ]] || die "VERSION is not a tag: '${VERSION}'"

declare -a NAMES=() KINDS=() SOURCES=()
while IFS=$'\t' read -r name kind source rest; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  [[ -n "$kind" && -n "$source" && -z "${rest:-}" ]] || die "images.txt: expected 'name<TAB>kind<TAB>source': ${name}"
  case "$kind" in dotnet|debian|runner) ;; *) die "images.txt: unknown kind '${kind}' for ${name}" ;; esac
  NAMES+=("$name") KINDS+=("$kind") SOURCES+=("$source")
done <"$IMAGES_FILE"
(( ${#NAMES[@]} > 0 )) || die "no images listed in ${IMAGES_FILE}"
for name in "${only[@]}"; do
  [[ " ${NAMES[*]} " == *" ${name} "* ]] || die "no image '${name}' in images.txt (have: ${NAMES[*]})"
done
wanted() { (( ${#only[@]} == 0 )) || [[ " ${only[*]} " == *" $1 "* ]]; }

command -v docker >/dev/null 2>&1 || die "docker is not installed (install docker.io and start dockerd)"
docker info >/dev/null 2>&1 || die "cannot reach the Docker engine (is dockerd running? are you allowed to use it?)"

# ---------------------------------------------------------------------------
# Hashes. An image's definition hash is over the names and contents of its files.
# ---------------------------------------------------------------------------
files_hash() { # paths as arguments -> 64 hex digits over each one's path below the checkout and content digest
  # One sha256sum for all files: a process per file made a service's check take seconds.
  local f
  local -a present=()
  for f in "$@"; do
    [[ -f "$f" ]] && present+=("${f#"$ROOT"/}") # git lists files deleted in the work tree too
  done
  (( ${#present[@]} )) || die "nothing to hash"
  (cd "$ROOT" && sha256sum -- "${present[@]}") | sha256sum | cut -c1-64
}
text_hash() { printf '%s' "$1" | sha256sum | cut -c1-64; }
# Files of folders as git sees them (tracked, and new ones not ignored: no bin/obj), sorted.
folder_files() { # folders -> absolute paths, one a line
  local -a listed
  mapfile -d '' listed < <(git -C "$ROOT" ls-files -z -co --exclude-standard -- "$@")
  (( ${#listed[@]} )) && printf '%s\n' "${listed[@]/#/${ROOT}/}" | sort -u
}

image_label() { docker image inspect --format "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null || true; }
up_to_date() { (( ! force )) && [[ "$(image_label "$1" webide.build.hash)" == "$2" ]]; }
image_id() { docker image inspect --format '{{.Id}}' "$1" 2>/dev/null || true; }
# The image a tag pointed at before a rebuild is dropped, unless a container still uses it.
drop_superseded() { # $1 = previous image id (may be empty), $2 = tag
  [[ -n "$1" && "$1" != "$(image_id "$2")" ]] || return 0
  if [[ -z "$(docker ps -a -q --filter "ancestor=$1")" ]] && docker image rm "$1" >/dev/null 2>&1; then
    log "$2: removed the image it replaced (${1:7:12})"
  fi
}
image_size() { printf '%s MiB' "$(( $(docker image inspect --format '{{.Size}}' "$1") / 1024 / 1024 ))"; }

REVISION="$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git -C "$ROOT" status --porcelain 2>/dev/null)" ]]; then REVISION+="-dirty"; fi
readonly REVISION
# Labels every image carries; the revision is the checkout's at build time and not part of any
# hash (a commit that changes nothing an image is made of rebuilds nothing).
label_args() { # $1 = name, $2 = build hash
  printf '%s\n' --label "org.opencontainers.image.title=$1" \
    --label "org.opencontainers.image.version=${VERSION}" \
    --label "org.opencontainers.image.revision=${REVISION}" \
    --label "org.opencontainers.image.source=${SOURCE_URL}" \
    --label "webide.build.hash=$2"
}

# ---------------------------------------------------------------------------
# Work: one lock, a work dir under /var/tmp cleaned on exit (mounts first, always).
# ---------------------------------------------------------------------------
exec 9>"$LOCK_FILE"
if ! flock -n 9; then
  log "another build holds ${LOCK_FILE}; waiting"
  flock 9
fi
WORK="$(mktemp -d /var/tmp/webide-images.XXXXXX)"
readonly WORK
ROOTFS_BUILD_LOG="${WORK}/build.log"
: >"$ROOTFS_BUILD_LOG"
cleanup() {
  local rc=$?
  set +e
  if (( rc != 0 )); then
    cp "$ROOTFS_BUILD_LOG" /var/tmp/webide-images-failed.log 2>/dev/null &&
      log "build log kept in /var/tmp/webide-images-failed.log"
  fi
  rootfs_remove "$WORK" || log "WARNING: leaving ${WORK} in place"
  if (( rc != 0 )); then log "FAILED (exit ${rc}) after $((SECONDS - START_SECONDS)) s"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

STEP=0
STEPS=1 # the base, then each image asked for
for name in "${NAMES[@]}"; do wanted "$name" && STEPS=$((STEPS + 1)); done
step() { STEP=$((STEP + 1)); log "($STEP/$STEPS) $*"; }

# A minbase root filesystem made once per run and copied for each image built from one.
MINBASE=""
new_rootfs() { # $1 = target folder
  if [[ -z "$MINBASE" ]]; then
    rootfs_require_tools
    rootfs_discover_mirror
    MINBASE="${WORK}/minbase"
    log "debootstrap ${ROOTFS_SUITE} minbase (once for this run)"
    rootfs_debootstrap "$MINBASE"
  fi
  cp -a "$MINBASE" "$1"
}

# Installs packages (a rootfs copy), adds the user, strips and imports: the common path of
# the .NET base and the Debian images. $1 = tag, $2 = rootfs, $3 = packages (space separated),
# the rest: docker import arguments.
build_rootfs_image() {
  local tag=$1 root=$2 packages=$3; shift 3
  rootfs_apt_prepare "$root"
  # shellcheck disable=SC2086 # a list of package names
  rootfs_apt_install "$root" $packages
  rootfs_strip "$root"
  rootfs_finish "$root"
  rootfs_import "$root" "$tag" "$@"
  rootfs_remove "$root" || true
}

# A system user with a fixed uid/gid, made before the packages so that their scripts keep it.
add_user() { # $1 = root, $2 = name, $3 = uid, $4 = home
  rootfs_chroot "$1" groupadd --system --gid "$3" "$2"
  rootfs_chroot "$1" useradd --system --uid "$3" --gid "$3" --no-create-home \
    --home-dir "$4" --shell /usr/sbin/nologin "$2"
}

# ---------------------------------------------------------------------------
# The .NET base: minbase + the native libraries the runtime loads + the services' user.
# ---------------------------------------------------------------------------
BASE_PACKAGES="$(sed -e 's/#.*//' "${BASE_DIR}/packages.txt" | xargs)"
BASE_HASH="$(files_hash "${SCRIPT_DIR}/build.sh" "$CONTRACT_FILE" "$ROOTFS_LIB" "${BASE_DIR}/packages.txt")"
readonly BASE_TAG="${BASE_REPO}:${BASE_HASH:0:12}"

ensure_dotnet_base() {
  if (( ! force )) && docker image inspect "$BASE_TAG" >/dev/null 2>&1; then
    return 0
  fi
  log "building ${BASE_TAG}: ${ROOTFS_SUITE} minbase + ${INIT_PACKAGE} ${BASE_PACKAGES}"
  local root="${WORK}/dotnet-base"
  new_rootfs "$root"
  add_user "$root" webide "$SERVICE_UID" /nonexistent
  build_rootfs_image "$BASE_TAG" "$root" "${INIT_PACKAGE} ${BASE_PACKAGES}" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change "USER ${SERVICE_UID}:${SERVICE_UID}" \
    --change "LABEL org.opencontainers.image.title=${BASE_REPO} webide.build.hash=${BASE_HASH}" \
    --message "${BASE_REPO}: ${ROOTFS_SUITE} minbase + ${INIT_PACKAGE} ${BASE_PACKAGES}"
  log "${BASE_TAG}: $(image_size "$BASE_TAG")"
  # Older bases no image is built on any more are dropped by `docker image prune` as any
  # untagged image; drop their tags here, unless a container uses one.
  local old
  while read -r old; do
    [[ -n "$old" && "$old" != "$BASE_TAG" ]] || continue
    [[ -z "$(docker ps -a -q --filter "ancestor=$old")" ]] && docker image rm "$old" >/dev/null 2>&1 &&
      log "removed older base ${old}"
  done < <(docker image ls --format '{{.Repository}}:{{.Tag}}' "$BASE_REPO")
}

# ---------------------------------------------------------------------------
# kind dotnet: the project published self-contained onto the base.
# ---------------------------------------------------------------------------
# The project and every project it references, transitively (folders of .csproj files).
project_closure() { # $1 = .csproj path -> .csproj paths, one a line
  local -A seen=()
  local -a queue=("$(realpath "$1")")
  while (( ${#queue[@]} )); do
    local project=${queue[0]}
    queue=("${queue[@]:1}")
    [[ -n "${seen[$project]:-}" ]] && continue
    seen[$project]=1
    printf '%s\n' "$project"
    local dir reference
    dir="$(dirname "$project")"
    while read -r reference; do
      [[ -n "$reference" ]] && queue+=("$(realpath "${dir}/${reference//\\//}")")
    done < <(sed -n 's/.*<ProjectReference[^>]*Include="\([^"]*\)".*/\1/p' "$project")
  done
}

# Everything a publish depends on: the closure's files, the repository-wide build files, the SDK,
# and this script (its publish command).
sources_hash() { # $1 = .csproj
  local -a files=("${SCRIPT_DIR}/build.sh") folders=()
  local project f
  while read -r project; do folders+=("$(dirname "$project")"); done < <(project_closure "$1")
  mapfile -t -O 1 files < <(folder_files "${folders[@]}")
  for f in Directory.Build.props Directory.Build.targets Directory.Packages.props NuGet.config global.json; do
    [[ -f "${ROOT}/${f}" ]] && files+=("${ROOT}/${f}")
  done
  printf '%s\n%s\n' "$(dotnet --version)" "$(files_hash "${files[@]}")" | sha256sum | cut -c1-64
}

web_dist_hash() {
  [[ -f "${ROOT}/web/dist/index.html" ]] || die "web/dist is not built (cd web && npm ci && npm run build; ./webide images does it)"
  local -a files
  mapfile -t files < <(find "${ROOT}/web/dist" -type f | sort)
  files_hash "${files[@]}"
}

# A service's Kestrel endpoints, as its appsettings.json names them: "http" on HTTP_PORT, "grpc"
# (HTTP/2 without TLS) on GRPC_PORT when it has one. Without named endpoints, ASPNETCORE_URLS.
kestrel_endpoints() { # $1 = project folder -> "http grpc", "http" or nothing
  [[ -f "$1/appsettings.json" ]] || return 0
  node -e 'const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    console.log(Object.keys(s.Kestrel?.Endpoints ?? {}).filter(e => e === "http" || e === "grpc").join(" "))' "$1/appsettings.json"
}

dockerfile_for() { # $1 = name, $2 = assembly, $3 = Kestrel endpoints, $4 = web (0/1)
  local name=$1 assembly=$2 endpoints=$3 web=$4 line
  printf 'FROM %s\n' "$BASE_TAG"
  printf 'COPY app/ /app/\n'
  if (( web )); then
    printf '# The web app the gateway serves (WebApp:Root).\nCOPY web/ /app/web/\nENV WebApp__Root=/app/web\n'
  fi
  # Kestrel's endpoints are named in the services' appsettings.json (loopback addresses for the
  # local platform, where they override ASPNETCORE_URLS); in a container they listen on every
  # address, on fixed ports.
  case " ${endpoints} " in
    *" grpc "*) printf 'ENV Kestrel__Endpoints__http__Url=http://+:%s Kestrel__Endpoints__grpc__Url=http://+:%s\nEXPOSE %s %s\n' \
      "$HTTP_PORT" "$GRPC_PORT" "$HTTP_PORT" "$GRPC_PORT" ;;
    *" http "*) printf 'ENV Kestrel__Endpoints__http__Url=http://+:%s\nEXPOSE %s\n' "$HTTP_PORT" "$HTTP_PORT" ;;
    *) printf 'ENV ASPNETCORE_URLS=http://+:%s\nEXPOSE %s\n' "$HTTP_PORT" "$HTTP_PORT" ;;
  esac
  printf 'ENV ASPNETCORE_ENVIRONMENT=Production DOTNET_NOLOGO=1\n'
  while read -r line; do
    line="${line%%#*}"
    [[ "$line" == *=* ]] && printf 'ENV %s\n' "$line"
  done <"$LEAN_RUNTIME_FILE"
  printf 'WORKDIR /app\nUSER %s:%s\n' "$SERVICE_UID" "$SERVICE_UID"
  printf 'ENTRYPOINT ["/usr/bin/tini", "--", "/app/%s"]\n' "$assembly"
  printf 'LABEL org.opencontainers.image.description="WebIde %s service"\n' "${name#webide-}"
}

build_dotnet_image() { # $1 = name, $2 = .csproj
  local name=$1 project="${ROOT}/$2" tag="$1:${VERSION}"
  [[ -f "$project" ]] || die "${name}: no project ${2}"
  command -v dotnet >/dev/null 2>&1 || die "dotnet is not installed (the .NET 10 SDK publishes the services)"
  command -v node >/dev/null 2>&1 || die "node is not installed (it reads the services' appsettings.json)"
  local folder assembly endpoints web=0 dockerfile hash
  folder="$(dirname "$project")"
  assembly="$(basename "$project" .csproj)"
  endpoints="$(kestrel_endpoints "$folder")" || die "${name}: cannot read ${folder#"$ROOT"/}/appsettings.json"
  [[ "$name" == webide-gateway ]] && web=1
  dockerfile="$(dockerfile_for "$name" "$assembly" "$endpoints" "$web")"
  hash="$(sources_hash "$project")"
  hash="$(text_hash "${dockerfile}"$'\n'"${hash}"$'\n'"$( (( web )) && web_dist_hash)")"
  if up_to_date "$tag" "$hash"; then
    log "${tag} is up to date (${hash:0:12})"
    return 0
  fi
  local context="${WORK}/${name}" t0=$SECONDS previous
  previous="$(image_id "$tag")"
  mkdir -p "$context"
  log "${tag}: dotnet publish $2 (self-contained, linux-x64)"
  run_logged nice -n 10 dotnet publish "$project" -c Release -r linux-x64 --self-contained \
    --artifacts-path "${STATE_DIR}/artifacts" -o "${context}/app" -nologo -v:q
  if (( web )); then cp -a "${ROOT}/web/dist" "${context}/web"; fi
  printf '%s\n' "$dockerfile" >"${context}/Dockerfile"
  log "${tag}: docker build ($(du -sh "${context}" | cut -f1) of files)"
  local -a labels
  mapfile -t labels < <(label_args "$name" "$hash")
  run_logged docker build --force-rm "${labels[@]}" -t "$tag" "$context"
  rm -rf "$context"
  log "${tag}: built in $((SECONDS - t0)) s, $(image_size "$tag")"
  drop_superseded "$previous" "$tag"
}

# ---------------------------------------------------------------------------
# kind debian: the packages on minbase, their daemon as uid 999, our entrypoint.
# deploy/images/<name>/ holds the entrypoint and the image's settings (image.conf).
# ---------------------------------------------------------------------------
build_debian_image() { # $1 = name, $2 = packages
  local name=$1 packages=$2 tag="$1:${VERSION}" dir="${SCRIPT_DIR}/$1"
  [[ -f "${dir}/image.conf" && -f "${dir}/entrypoint.sh" ]] || die "${name}: needs ${dir#"$ROOT"/}/image.conf and entrypoint.sh"
  local -a files
  mapfile -t files < <(find "$dir" -type f | sort)
  local hash
  hash="$(text_hash "${packages}"$'\n'"$(files_hash "${SCRIPT_DIR}/build.sh" "$CONTRACT_FILE" "$ROOTFS_LIB" "${files[@]}")")"
  if up_to_date "$tag" "$hash"; then
    log "${tag} is up to date (${hash:0:12})"
    return 0
  fi
  # USER_NAME: the package's daemon user; HOME_DIR: its home; PORTS: exposed; DATA_DIR: where it writes.
  local USER_NAME="" HOME_DIR="" PORTS="" DATA_DIR=""
  # shellcheck source=/dev/null
  source "${dir}/image.conf"
  [[ -n "$USER_NAME" && -n "$HOME_DIR" && -n "$PORTS" && -n "$DATA_DIR" ]] || die "${name}: image.conf must set USER_NAME, HOME_DIR, PORTS, DATA_DIR"
  local root="${WORK}/${name}" t0=$SECONDS previous
  previous="$(image_id "$tag")"
  log "${tag}: ${ROOTFS_SUITE} minbase + ${INIT_PACKAGE} ${packages}"
  new_rootfs "$root"
  add_user "$root" "$USER_NAME" "$DAEMON_UID" "$HOME_DIR"
  install -D -m 0755 "${dir}/entrypoint.sh" "${root}/usr/local/bin/webide-entrypoint"
  install -d -m 0700 -o "$DAEMON_UID" -g "$DAEMON_UID" "${root}${DATA_DIR}"
  local -a changes=(
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
    --change 'ENV LANG=C.UTF-8'
    --change "USER ${DAEMON_UID}:${DAEMON_UID}"
    --change "WORKDIR ${DATA_DIR}"
    --change "EXPOSE ${PORTS}"
    --change 'ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/webide-entrypoint"]'
  )
  local label
  while read -r label; do
    [[ "$label" == --label ]] || changes+=(--change "LABEL ${label%%=*}=\"${label#*=}\"")
  done < <(label_args "$name" "$hash")
  build_rootfs_image "$tag" "$root" "${INIT_PACKAGE} ${packages}" "${changes[@]}" \
    --message "${name} ${VERSION}: ${ROOTFS_SUITE} minbase + ${INIT_PACKAGE} ${packages}"
  log "${tag}: built in $((SECONDS - t0)) s, $(image_size "$tag")"
  drop_superseded "$previous" "$tag"
}

# ---------------------------------------------------------------------------
# kind runner: deploy/runner/build.sh (its own hash tag), tagged <name>:<version> too.
# ---------------------------------------------------------------------------
build_runner_image() { # $1 = name, $2 = build script
  local name=$1 script="${ROOT}/$2" hash_tag
  local -a args=()
  (( force )) && args+=(--force)
  (( ROOTFS_VERBOSE )) && args+=(--verbose)
  hash_tag="$(bash "$script" "${args[@]}" | tail -n1)"
  [[ "$hash_tag" == "${name}:"* ]] || die "${2} printed '${hash_tag}', not a ${name} tag"
  docker tag "$hash_tag" "${name}:${VERSION}"
  log "${name}:${VERSION} is ${hash_tag}, $(image_size "$hash_tag")"
}

# ---------------------------------------------------------------------------
log "images ${VERSION} (revision ${REVISION:0:12}), ${#NAMES[@]} listed"
step "${BASE_TAG} (the .NET services' base)"
needs_base=0
for i in "${!NAMES[@]}"; do
  if wanted "${NAMES[$i]}" && [[ "${KINDS[$i]}" == dotnet ]]; then needs_base=1; fi
done
if (( needs_base )); then
  ensure_dotnet_base
  log "${BASE_TAG}: present"
else
  log "no .NET image asked for"
fi

for i in "${!NAMES[@]}"; do
  name="${NAMES[$i]}"
  wanted "$name" || continue
  step "${name}:${VERSION} (${KINDS[$i]}: ${SOURCES[$i]})"
  case "${KINDS[$i]}" in
    dotnet) build_dotnet_image "$name" "${SOURCES[$i]}" ;;
    debian) build_debian_image "$name" "${SOURCES[$i]}" ;;
    runner) build_runner_image "$name" "${SOURCES[$i]}" ;;
  esac
done

log "done in $((SECONDS - START_SECONDS)) s"
for i in "${!NAMES[@]}"; do
  if wanted "${NAMES[$i]}"; then printf '%s:%s\n' "${NAMES[$i]}" "$VERSION"; fi
done
