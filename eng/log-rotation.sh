# Log files of ./webide, kept bounded (sourced by ./webide; needs DATA set).
#
# - A log that grows while the platform runs (the AppHost's output, which the output filter
#   writes) is rotated by size: past WEBIDE_LOG_MAX_BYTES, FILE becomes FILE.1, FILE.1 FILE.2…,
#   and at most WEBIDE_LOG_KEEP rotated copies are kept.
# - A log that each run starts anew (apphost-<time>.log, build-<time>.log, apt-<time>.log) is
#   pruned by count: the newest WEBIDE_LOG_KEEP of each kind are kept, with their rotated copies;
#   of the test-result folders, the newest WEBIDE_RESULTS_KEEP.
# - dockerd's log, appended by each engine this script starts, is rotated by size before one starts.

LOG_MAX_BYTES=${WEBIDE_LOG_MAX_BYTES:-52428800} # 50 MiB
LOG_KEEP=${WEBIDE_LOG_KEEP:-5}
RESULTS_KEEP=${WEBIDE_RESULTS_KEEP:-20}

rotate_log() { # $1 = file: FILE → FILE.1 → … → FILE.$LOG_KEEP; the oldest is dropped
  local f=$1 i
  rm -f -- "$f.$LOG_KEEP"
  for ((i = LOG_KEEP - 1; i >= 1; i--)); do
    if [[ -e $f.$i ]]; then mv -f -- "$f.$i" "$f.$((i + 1))"; fi
  done
  if [[ -e $f ]]; then mv -f -- "$f" "$f.1"; fi
  return 0
}

rotate_if_large() { # $1 = file
  local size
  size=$(stat -c %s -- "$1" 2>/dev/null || echo 0)
  if ((size >= LOG_MAX_BYTES)); then rotate_log "$1"; fi
  return 0
}

prune_runs() { # $1 = kind (apphost, build, apt): keeps the newest $LOG_KEEP runs' logs of it
  local -a runs
  local f
  # The time in the names sorts them.
  mapfile -t runs < <(compgen -G "$DATA/logs/$1-*.log" | sort -r)
  for f in "${runs[@]:LOG_KEEP}"; do
    rm -f -- "$f" "$f".[0-9]*
  done
  return 0
}

prune_test_results() { # keeps the newest $RESULTS_KEEP folders of $DATA/test-results
  local -a runs
  local d
  mapfile -t runs < <(compgen -G "$DATA/test-results/[0-9]*-[0-9]*" | sort -r)
  for d in "${runs[@]:RESULTS_KEEP}"; do
    rm -rf -- "$d"
  done
  return 0
}

prune_logs() { # before a new run
  local kind
  for kind in apphost build apt; do prune_runs "$kind"; done
  prune_test_results
}
