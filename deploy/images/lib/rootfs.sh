# shellcheck shell=bash
# Root filesystems from Debian packages, imported as Docker images: no image registry is
# contacted, only the Debian mirror the host's apt already uses. Sourced by
# deploy/runner/build.sh and deploy/images/build.sh, which define before use:
#   log MESSAGE…   a progress line on stderr
#   die MESSAGE…   an error line on stderr, then exit 1
# and set ROOTFS_BUILD_LOG (a file collecting the tools' output) and ROOTFS_VERBOSE (1 to
# stream that output to stderr as well).

readonly ROOTFS_SUITE="bookworm"
ROOTFS_BUILD_LOG="${ROOTFS_BUILD_LOG:-/dev/null}"
ROOTFS_VERBOSE="${ROOTFS_VERBOSE:-0}"

# Dies unless the host has what a build needs. The callers install nothing on the host.
rootfs_require_tools() {
  [[ ${EUID} -eq 0 ]] || die "must run as root (debootstrap and chroot need it)"
  command -v debootstrap >/dev/null 2>&1 || die "debootstrap is not installed (apt-get install debootstrap)"
  local tool
  for tool in chroot mount umount tar flock apt-get apt-config dpkg; do
    command -v "$tool" >/dev/null 2>&1 || die "required tool not found: $tool"
  done
}

# Runs a command with its output in the build log (streamed when verbose); on failure
# shows the log's tail.
run_logged() {
  local rc=0
  if (( ROOTFS_VERBOSE )); then
    "$@" 2>&1 | tee -a "$ROOTFS_BUILD_LOG" >&2 || rc=$?
  else
    "$@" >>"$ROOTFS_BUILD_LOG" 2>&1 || rc=$?
  fi
  if (( rc != 0 )); then
    log "command failed (exit ${rc}): $*"
    tail -n 40 "$ROOTFS_BUILD_LOG" >&2 || true
    return "$rc"
  fi
}

# ---------------------------------------------------------------------------
# Mirror: read from the host's apt configuration (never written into the repo). Sets
# ROOTFS_MIRROR, ROOTFS_SOURCE_LINES (sources.list lines), ROOTFS_APT_CONF (the host's
# proxy and date-check settings, for the build only), ROOTFS_ARCH and ROOTFS_KEYRING_ARGS.
# ---------------------------------------------------------------------------
rootfs_repo_uri_for() {
  # shellcheck disable=SC2016 # $(REPO_URI) is apt's format field, not a shell expansion
  apt-get indextargets --format '$(REPO_URI)' \
    "Release: $1" 'Component: main' 'Identifier: Packages' 'Target-Of: deb' 2>/dev/null | head -n1
}

rootfs_host_apt_value() {
  apt-config dump 2>/dev/null | sed -n "s/^$1 \"\(.*\)\";\$/\1/p" | head -n1
}

rootfs_discover_mirror() {
  ROOTFS_MIRROR="$(rootfs_repo_uri_for "$ROOTFS_SUITE")"
  [[ -n "$ROOTFS_MIRROR" ]] || die "the host's apt configuration has no source serving '${ROOTFS_SUITE} main' (run apt-get update?)"
  # Update and security suites are used when the host has them too.
  ROOTFS_SOURCE_LINES=("deb ${ROOTFS_MIRROR} ${ROOTFS_SUITE} main")
  local extra uri key value
  for extra in "${ROOTFS_SUITE}-updates" "${ROOTFS_SUITE}-security"; do
    uri="$(rootfs_repo_uri_for "$extra")"
    if [[ -n "$uri" ]]; then ROOTFS_SOURCE_LINES+=("deb ${uri} ${extra} main"); fi
  done
  ROOTFS_APT_CONF=""
  for key in Acquire::http::Proxy Acquire::https::Proxy Acquire::Check-Valid-Until Acquire::Check-Date; do
    value="$(rootfs_host_apt_value "$key")"
    if [[ -n "$value" ]]; then ROOTFS_APT_CONF+="${key} \"${value}\";"$'\n'; fi
  done
  ROOTFS_ARCH="$(dpkg --print-architecture)"
  ROOTFS_KEYRING_ARGS=()
  if [[ -r /usr/share/keyrings/debian-archive-keyring.gpg ]]; then
    ROOTFS_KEYRING_ARGS=(--keyring=/usr/share/keyrings/debian-archive-keyring.gpg)
  fi
}

# ---------------------------------------------------------------------------
# Mounts: a chroot has /proc and /sys mounted while packages install; every exit path
# must unmount them before anything under the root is removed.
# ---------------------------------------------------------------------------
rootfs_mounts_under() {
  # Mount points below $1, deepest first.
  awk -v root="$1" '$2 == root || index($2, root "/") == 1 { print $2 }' /proc/self/mounts | sort -r
}

rootfs_unmount_all() {
  local m
  while read -r m; do
    [[ -n "$m" ]] || continue
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done < <(rootfs_mounts_under "$1")
}

# Unmounts everything under $1 and removes it; true when it is gone.
rootfs_remove() {
  rootfs_unmount_all "$1"
  if [[ -n "$(rootfs_mounts_under "$1")" ]]; then
    log "WARNING: mounts remain under $1; leaving it in place"
    return 1
  fi
  rm -rf --one-file-system "$1"
}

# A clean environment for everything run inside the chroot $1.
rootfs_chroot() {
  local root=$1; shift
  chroot "$root" /usr/bin/env -i \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

# debootstrap minbase into $1.
rootfs_debootstrap() {
  run_logged debootstrap --variant=minbase --arch="$ROOTFS_ARCH" "${ROOTFS_KEYRING_ARGS[@]}" \
    "$ROOTFS_SUITE" "$1" "$ROOTFS_MIRROR"
}

# Readies the chroot $1 for apt-get: /proc and /sys, the mirror, no service starts, and a
# lean install from the start (no recommends, no docs/man/locales on disk).
rootfs_apt_prepare() {
  local root=$1
  mount -t proc proc "${root}/proc"
  mount -t sysfs sysfs "${root}/sys"
  cp /etc/resolv.conf "${root}/etc/resolv.conf"

  printf '%s\n' "${ROOTFS_SOURCE_LINES[@]}" >"${root}/etc/apt/sources.list"
  printf '%s' "$ROOTFS_APT_CONF" >"${root}/etc/apt/apt.conf.d/00webide-build"
  # Never start services while installing.
  printf '#!/bin/sh\nexit 101\n' >"${root}/usr/sbin/policy-rc.d"
  chmod 0755 "${root}/usr/sbin/policy-rc.d"
  cat >"${root}/etc/apt/apt.conf.d/90webide-lean" <<'EOF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
EOF
  cat >"${root}/etc/dpkg/dpkg.cfg.d/90webide-nodoc" <<'EOF'
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
path-include=/usr/share/locale/locale.alias
path-exclude=/usr/share/lintian/*
path-exclude=/usr/share/linda/*
EOF
}

# apt-get install of the packages $2… into the prepared chroot $1.
rootfs_apt_install() {
  local root=$1; shift
  run_logged rootfs_chroot "$root" apt-get update
  run_logged rootfs_chroot "$root" apt-get -y -o Dpkg::Use-Pty=0 install "$@"
}

# Strips the chroot $1 down to what runs: apt's caches and lists, docs, man pages, locales
# but C.UTF-8, logs, build-only files, device nodes and mount points (the engine provides
# them), and every setuid/setgid bit. Unmounts first.
rootfs_strip() {
  local root=$1
  run_logged rootfs_chroot "$root" apt-get clean
  rootfs_unmount_all "$root"
  rm -f "${root}/usr/sbin/policy-rc.d" "${root}/etc/apt/apt.conf.d/00webide-build"
  # Docker provides resolv.conf, hostname and hosts at run time.
  : >"${root}/etc/resolv.conf"
  : >"${root}/etc/machine-id"
  find "${root}/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
  find "${root}/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
  rm -rf "${root}/usr/share/man/"* "${root}/usr/share/info/"* \
    "${root}/usr/share/lintian" "${root}/usr/share/linda"
  find "${root}/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias \
    -exec rm -rf {} + 2>/dev/null || true
  # Locales: C.UTF-8 is the only one kept (glibc ships it in /usr/lib/locale/C.utf8).
  find "${root}/usr/lib/locale" -mindepth 1 -maxdepth 1 -not -name 'C.utf8' \
    -exec rm -rf {} + 2>/dev/null || true
  rm -rf "${root}/var/lib/apt/lists/"* "${root}/var/cache/apt/"* \
    "${root}/var/cache/debconf/"*-old "${root}/var/lib/dpkg/"*-old \
    "${root}/var/cache/ldconfig/aux-cache" "${root}/var/log/"* \
    "${root}/tmp/"* "${root}/var/tmp/"* "${root}/root/".cache
}

# Removes device nodes, mount points and setuid/setgid bits from the stripped chroot $1.
# Containers run with no-new-privileges, so the kernel already ignores these bits on exec,
# but a binary that cannot gain privileges is one less to trust (su, mount, passwd, …).
# File capabilities do not survive `tar | docker import` (no --xattrs).
rootfs_finish() {
  local root=$1 stripped
  [[ -z "$(rootfs_mounts_under "$root")" ]] || die "mounts remain under ${root}; refusing to clean /dev, /proc, /sys"
  rm -rf "${root:?}/dev/"* "${root:?}/proc/"* "${root:?}/sys/"* "${root:?}/run/"*
  chmod 1777 "${root}/tmp" "${root}/var/tmp"
  stripped="$(find "$root" -xdev -type f -perm /6000 -print -exec chmod ug-s {} + | sed "s|^${root}||")"
  log "setuid/setgid bits removed from: ${stripped//$'\n'/ }"
  [[ -z "$(find "$root" -xdev -type f -perm /6000 -print -quit)" ]] || die "setuid/setgid files remain"
  log "root filesystem: $(du -sh --one-file-system "$root" | cut -f1)"
}

# `docker import` of the chroot $1 as the tag $2; the rest are `--change`/`--message`
# arguments for docker import.
rootfs_import() {
  local root=$1 tag=$2; shift 2
  tar --numeric-owner -C "$root" -c . | docker import "$@" - "$tag" >/dev/null
}
