#!/usr/bin/env bash
# Install the pgvector extension into the local PostgreSQL 15 server.
#
# Debian bookworm has no pgvector package, so this builds pgvector from the
# Debian trixie *source* package: it adds a deb-src-only entry for trixie
# (derived from this machine's own apt sources, so binaries stay bookworm),
# fetches the source with apt-get, and builds/installs it with PGXS.
#
# Idempotent: exits 0 quickly when the extension is already installed and
# `CREATE EXTENSION IF NOT EXISTS vector` works.
#
# Environment (all optional):
#   PGHOST (127.0.0.1) PGPORT (5432) PGUSER (postgres) PGDATABASE (test)
#   PG_MAJOR (15)              PostgreSQL major version to build against
#   PGVECTOR_SRC_SUITE (trixie) Debian suite the pgvector source comes from
#   PGVECTOR_FORCE=1           rebuild and reinstall even if already installed
set -euo pipefail

export PGHOST="${PGHOST:-127.0.0.1}"
export PGPORT="${PGPORT:-5432}"
export PGUSER="${PGUSER:-postgres}"
export PGDATABASE="${PGDATABASE:-test}"
PG_MAJOR="${PG_MAJOR:-15}"
SRC_SUITE="${PGVECTOR_SRC_SUITE:-trixie}"
FORCE="${PGVECTOR_FORCE:-0}"

PG_CONFIG="/usr/lib/postgresql/${PG_MAJOR}/bin/pg_config"
EXT_DIR="/usr/share/postgresql/${PG_MAJOR}/extension"
CONTROL="${EXT_DIR}/vector.control"
LIB="/usr/lib/postgresql/${PG_MAJOR}/lib/vector.so"
SRC_LIST="/etc/apt/sources.list.d/pgvector-src.sources"
APT_LOCK_RETRIES="${APT_LOCK_RETRIES:-30}"

export DEBIAN_FRONTEND=noninteractive

log() { echo "setup-pgvector: $*"; }
die() { echo "setup-pgvector: ERROR: $*" >&2; exit 1; }

WORK=""
LOG=""
cleanup() {
  local rc=$?
  if [[ -n "$WORK" && -d "$WORK" ]]; then rm -rf "$WORK"; fi
  if [[ $rc -ne 0 && -n "$LOG" && -s "$LOG" ]]; then
    echo "setup-pgvector: last lines of $LOG:" >&2
    tail -n 30 "$LOG" >&2 || true
  elif [[ -n "$LOG" ]]; then
    rm -f "$LOG"
  fi
}
trap cleanup EXIT

# Run a command, appending its output to $LOG.
run() { "$@" >>"$LOG" 2>&1; }

# apt-get with waiting on the dpkg lock plus retries when apt is locked
# (apt-get update takes the lists lock, which DPkg::Lock::Timeout does not
# cover on every apt version).
apt_get() {
  local i rc errf
  errf="$(mktemp)"
  for ((i = 1; i <= APT_LOCK_RETRIES; i++)); do
    rc=0
    apt-get -q -y -o DPkg::Lock::Timeout=120 "$@" >>"$LOG" 2>"$errf" || rc=$?
    cat "$errf" >>"$LOG"
    if [[ $rc -eq 0 ]]; then rm -f "$errf"; return 0; fi
    if grep -qiE 'could not get lock|unable to lock|is another process using it' "$errf"; then
      log "apt is locked, retrying in 10s ($i/$APT_LOCK_RETRIES)"
      sleep 10
      continue
    fi
    rm -f "$errf"
    return "$rc"
  done
  rm -f "$errf"
  die "apt stayed locked; giving up"
}

psql_q() { psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }

extension_works() {
  psql_q -c 'CREATE EXTENSION IF NOT EXISTS vector;' >/dev/null 2>&1
}

[[ $EUID -eq 0 ]] || die "must run as root"

# ---- fast path ---------------------------------------------------------
if [[ "$FORCE" != 1 && -f "$CONTROL" ]] && extension_works; then
  log "pgvector already installed and working (nothing to do)"
  exit 0
fi

LOG="$(mktemp /tmp/setup-pgvector.XXXXXX.log)"

# ---- derive the deb-src entry from this machine's apt sources ---------
# Prints the URI of the main Debian archive entry (the one whose suites
# include the release codename itself, e.g. "bookworm", not
# "bookworm-security") on the first line, then its Signed-By value (which may
# span several lines for an inline key; empty if none).
codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
[[ -n "$codename" ]] || codename="$(lsb_release -sc 2>/dev/null || true)"
[[ -n "$codename" ]] || die "cannot determine the Debian release codename"

find_main_archive() {
  local f
  # deb822 files (ignore our own file and anything not ending in .sources).
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f "$f" && "$f" != "$SRC_LIST" ]] || continue
    if awk -v want="$codename" '
      function flush(   n, i, s, t, ok, okt, u) {
        if (!have) return
        if (tolower(F["enabled"]) ~ /^(no|false|0)$/) { reset(); return }
        okt = 0; n = split(F["types"], t, /[ \t]+/)
        for (i = 1; i <= n; i++) if (t[i] == "deb" || t[i] == "deb-src") okt = 1
        ok = 0; n = split(F["suites"], s, /[ \t]+/)
        for (i = 1; i <= n; i++) if (s[i] == want) ok = 1
        split(F["uris"], u, /[ \t]+/)
        if (okt && ok && u[1] != "") {
          print u[1]; if (F["signed-by"] != "") print F["signed-by"]
          found = 1; exit 0
        }
        reset()
      }
      function reset() { delete F; have = 0; key = "" }
      BEGIN { reset(); found = 0 }
      /^#/ { next }
      /^[ \t]*$/ { flush(); next }
      /^[ \t]/ {                       # continuation line
        if (key != "") { F[key] = (F[key] == "" ? "" : F[key] "\n") $0 }
        next
      }
      {
        i = index($0, ":"); if (!i) next
        key = tolower(substr($0, 1, i - 1))
        v = substr($0, i + 1); sub(/^[ \t]+/, "", v); sub(/[ \t]+$/, "", v)
        F[key] = v; have = 1
      }
      END { if (!found) flush(); exit found ? 0 : 1 }
    ' "$f"; then
      return 0
    fi
  done
  # One-line format: /etc/apt/sources.list and sources.list.d/*.list.
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f "$f" ]] || continue
    if awk -v want="$codename" '
      { sub(/#.*/, "") }
      $1 == "deb" || $1 == "deb-src" {
        i = 2; sb = ""
        if ($2 ~ /^\[/) {
          opts = ""
          for (; i <= NF; i++) { opts = opts " " $i; if ($i ~ /\]$/) { i++; break } }
          gsub(/[\[\]]/, "", opts)
          n = split(opts, o, /[ \t]+/)
          for (j = 1; j <= n; j++) if (o[j] ~ /^signed-by=/) { sb = o[j]; sub(/^signed-by=/, "", sb) }
        }
        if ($(i + 1) == want) { print $i; if (sb != "") print sb; exit 0 }
      }
      END { exit 1 }
    ' "$f"; then
      return 0
    fi
  done
  return 1
}

archive="$(find_main_archive)" || die "no apt source for suite '$codename' found"
uri="$(head -n1 <<<"$archive")"
signed_by="$(tail -n +2 <<<"$archive")"
log "main Debian archive: $uri (suite $codename)"

new_src="$(mktemp)"
{
  echo "# Added by scripts/setup-pgvector.sh: source packages only (no binaries),"
  echo "# so that pgvector can be built from the $SRC_SUITE source package."
  echo "Types: deb-src"
  echo "URIs: $uri"
  echo "Suites: $SRC_SUITE"
  echo "Components: main"
  if [[ -n "$signed_by" ]]; then echo "Signed-By: $signed_by"; fi
} >"$new_src"
if [[ -f "$SRC_LIST" ]] && cmp -s "$new_src" "$SRC_LIST"; then
  log "deb-src entry $SRC_LIST already present"
  rm -f "$new_src"
else
  install -m 0644 "$new_src" "$SRC_LIST"
  rm -f "$new_src"
  log "wrote deb-src entry $SRC_LIST ($SRC_SUITE, source only)"
fi

# ---- build + install ---------------------------------------------------
if [[ "$FORCE" != 1 && -f "$CONTROL" && -f "$LIB" ]]; then
  log "pgvector files already installed; skipping build"
else
  log "apt-get update"
  apt_get update

  log "installing build dependencies"
  apt_get install --no-install-recommends \
    "postgresql-server-dev-${PG_MAJOR}" build-essential make gcc dpkg-dev
  [[ -x "$PG_CONFIG" ]] || die "$PG_CONFIG not found after installing postgresql-server-dev-${PG_MAJOR}"

  WORK="$(mktemp -d /tmp/setup-pgvector.XXXXXX)"
  log "fetching pgvector source from $SRC_SUITE"
  cd "$WORK"
  apt_get source --download-only "pgvector/$SRC_SUITE"
  cd /
  dsc="$(ls "$WORK"/pgvector_*.dsc 2>/dev/null | head -n1)"
  [[ -n "$dsc" ]] || die "apt-get source did not download a pgvector .dsc"
  log "unpacking $(basename "$dsc")"
  run dpkg-source -x "$dsc" "$WORK/src"

  log "building (make PG_CONFIG=$PG_CONFIG)"
  # OPTFLAGS= avoids -march=native so the build runs on any x86-64 CPU
  # (the machine image may be moved to different hardware).
  run make -C "$WORK/src" -j"$(nproc)" PG_CONFIG="$PG_CONFIG" OPTFLAGS=
  log "installing (make install)"
  run make -C "$WORK/src" install PG_CONFIG="$PG_CONFIG" OPTFLAGS=
  [[ -f "$CONTROL" ]] || die "make install did not produce $CONTROL"
fi

# ---- verify ------------------------------------------------------------
log "checking CREATE EXTENSION in $PGDATABASE on $PGHOST:$PGPORT"
version="$(psql_q -c 'CREATE EXTENSION IF NOT EXISTS vector;' \
  -c "SELECT extversion FROM pg_extension WHERE extname = 'vector';" 2>>"$LOG")" \
  || die "CREATE EXTENSION vector failed (is the server at $PGHOST:$PGPORT running?)"
log "pgvector $version ready in database $PGDATABASE"
