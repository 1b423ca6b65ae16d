#!/usr/bin/env bash
# A real Apache Superset 6.1 for the dashboards, on 127.0.0.1 with SQLite metadata (no Redis, no Celery).
#   superset.sh install                  the venv (reused while requirements.txt and constraints.txt stay the same)
#   superset.sh start STATE PORT         metadata in STATE/, admin user, `superset init`, server in the background;
#                                        waits until /health answers (pid in STATE/superset.pid, log in STATE/superset.log)
#   superset.sh import STATE ZIP         `superset import-dashboards -p ZIP -u admin`, as the README tells a Sở
#   superset.sh stop STATE               stops the server started in STATE (by its pid)
#   superset.sh python ARGS…             the venv's python (for check_dashboards.py)
# The venv lives in $CDS_SUPERSET_VENV, else under ${XDG_CACHE_HOME:-~/.cache}/cds-superset/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
py=${CDS_SUPERSET_PYTHON:-python3}
key=$(cat "$here/requirements.txt" "$here/constraints.txt" | sha256sum | cut -c1-12)
venv=${CDS_SUPERSET_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/cds-superset/venv-$key}
admin_password=${CDS_SUPERSET_ADMIN_PASSWORD:-admin}

die() { echo "superset.sh: $*" >&2; exit 1; }

install() {
  [ -f "$venv/.complete" ] && return 0
  "$py" -c 'import sys; sys.exit(0 if sys.version_info[:2] in ((3, 10), (3, 11)) else 1)' \
    || die "Superset 6.1 needs Python 3.10 or 3.11; $py is $("$py" --version 2>&1)"
  rm -rf "$venv"
  "$py" -m venv "$venv" || die "cannot create a venv at $venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt" -c "$here/constraints.txt" \
    || die "pip could not install Superset (requirements.txt with constraints.txt) into $venv"
  touch "$venv/.complete"
}

superset() {
  SUPERSET_CONFIG_PATH="$here/superset_config.py" FLASK_APP=superset SUPERSET_STATE="$state" "$venv/bin/superset" "$@"
}

start() {
  state=$(mkdir -p "$1" && cd "$1" && pwd); port=$2
  install
  { superset db upgrade && superset fab create-admin --username admin --firstname Quản --lastname trị \
      --email admin@example.invalid --password "$admin_password" && superset init; } >"$state/setup.log" 2>&1 \
    || die "Superset's set-up failed; see $state/setup.log: $(grep -m1 -E 'Error|error' "$state/setup.log" || tail -1 "$state/setup.log")"
  SUPERSET_CONFIG_PATH="$here/superset_config.py" FLASK_APP=superset SUPERSET_STATE="$state" \
    nohup "$venv/bin/superset" run -h 127.0.0.1 -p "$port" --with-threads >"$state/superset.log" 2>&1 &
  echo $! >"$state/superset.pid"
  for _ in $(seq 120); do
    curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && return 0
    kill -0 "$(cat "$state/superset.pid")" 2>/dev/null || die "Superset exited at start; see $state/superset.log: $(tail -1 "$state/superset.log")"
    sleep 1
  done
  die "Superset did not answer on 127.0.0.1:$port within 120 s; see $state/superset.log"
}

stop() {
  state=$1
  [ -f "$state/superset.pid" ] || return 0
  pid=$(cat "$state/superset.pid")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$state/superset.pid"
}

case "${1:-}" in
  install) install; echo "$venv" ;;
  start) [ $# -eq 3 ] || die "usage: superset.sh start STATE PORT"; start "$2" "$3" ;;
  import) [ $# -eq 3 ] || die "usage: superset.sh import STATE ZIP"; state=$2; install
          superset import-dashboards -p "$3" -u admin >"$state/import.log" 2>&1 \
            || die "superset import-dashboards failed; see $state/import.log: $(grep -m1 -E 'Error' "$state/import.log")"
          ! grep -q -E 'ERROR|Traceback' "$state/import.log" || die "the import logged an error; see $state/import.log" ;;
  stop) [ $# -eq 2 ] || die "usage: superset.sh stop STATE"; stop "$2" ;;
  python) shift; install; exec "$venv/bin/python" "$@" ;;
  *) die "usage: superset.sh install | start STATE PORT | import STATE ZIP | stop STATE | python ARGS…" ;;
esac
