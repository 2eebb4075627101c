#!/usr/bin/env bash
# bangfu's test suite, as `make test` runs it (the Makefile has done the set-up).
#
#   1. start a throwaway PostgreSQL 15 cluster (.pgtest, port 54329, trust auth on
#      127.0.0.1; as root it runs as the postgres user) and stop it on exit;
#   2. the SQLite tests (every test not marked `postgres`, browser and Spark included), in three
#      pytest processes side by side:
#        sqlite-1, sqlite-2  the tests neither Spark nor browser, split by file (`--part 1/2`,
#                            `--part 2/2` in bangfu.testing.fixtures);
#        sqlite-spark        the Spark and browser tests (one Spark session, one Chromium);
#   3. the PostgreSQL run (DATABASE_URL=postgresql://postgres@127.0.0.1:54329/bangfu), beside
#      them: every test marked `postgres` (engine parity on PostgreSQL, PostgreSQL-only
#      behaviour) plus the database tests of core, accounts and registry, the foundation the
#      other apps stand on (`--pg-suite`, which refuses to start off PostgreSQL). The other apps'
#      database tests run on SQLite only; mark a test `postgres` to have it run on PostgreSQL too.
#
# Each run has its own var folder (var/test/<run>: SQLite test database, keys, fact store) and
# its log, printed when all have ended. A single pytest process keeps a core of a 2-core machine
# only about half busy (it waits on child processes, browsers, Spark and locks), so four side by
# side take about half the time of one after another.
#
# pytest's exit code 5 (no tests collected) is not a failure. Extra arguments go to every run
# (e.g. scripts/run-tests.sh -x -k import). BANGFU_TEST_RUNS="sqlite-1 pg" runs only those.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
PG_DIR=${BANGFU_PG_DIR:-.pgtest}
PG_PORT=${BANGFU_PG_PORT:-54329}
RUN_TIMEOUT=${BANGFU_TEST_RUN_TIMEOUT:-3600}   # seconds per pytest run: a hung test fails the build
RUNS=${BANGFU_TEST_RUNS:-"sqlite-1 sqlite-2 sqlite-spark pg"}

VAR=${BANGFU_TEST_VAR:-$PWD/var/test}
export BANGFU_TEST_PG_URL="postgresql://postgres@127.0.0.1:$PG_PORT/postgres"
PG_DATABASE_URL="postgresql://postgres@127.0.0.1:$PG_PORT/bangfu"

stop_pg() { "$PY" -m bangfu.testing.pgcluster stop --dir "$PG_DIR" --port "$PG_PORT" || true; }
trap stop_pg EXIT
"$PY" -m bangfu.testing.pgcluster start --dir "$PG_DIR" --port "$PG_PORT" --database bangfu

SQLITE_PLAIN="not postgres and not spark and not browser"
run_args() {
  case "$1" in
    sqlite-1)     echo "-m|$SQLITE_PLAIN|--part|1/2" ;;
    sqlite-2)     echo "-m|$SQLITE_PLAIN|--part|2/2" ;;
    sqlite-spark) echo "-m|(spark or browser) and not postgres" ;;
    pg)           echo "--pg-suite" ;;
    *)            echo "run-tests: unknown run $1" >&2; return 1 ;;
  esac
}

# One run in the background: its own var folder, its log, its exit code and seconds in files.
start=$SECONDS
pids=()
for run in $RUNS; do
  IFS='|' read -r -a args <<<"$(run_args "$run")"
  folder="$VAR/$run"
  rm -rf "$folder"
  mkdir -p "$folder/static"
  echo "== run $run started: pytest ${args[*]} =="
  (
    export BANGFU_VAR="$folder" PYTHONUNBUFFERED=1
    if [ "$run" = pg ]; then export DATABASE_URL="$PG_DATABASE_URL"; else unset DATABASE_URL; fi
    rc=0
    timeout -k 30 "$RUN_TIMEOUT" "$PY" -m pytest -p no:cacheprovider --durations=10 "${args[@]}" "$@" \
      >"$folder/pytest.log" 2>&1 || rc=$?
    echo "$rc" >"$folder/rc"
    echo $((SECONDS - start)) >"$folder/seconds"
  ) &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid" || true; done

status=0
summary=()
for run in $RUNS; do
  folder="$VAR/$run"
  echo "== run $run: its output =="
  cat "$folder/pytest.log"
  rc=$(cat "$folder/rc" 2>/dev/null || echo 1)
  if [ "$rc" -eq 5 ]; then
    echo "run-tests: $run collected no tests (pytest exit 5): not a failure"
    rc=0
  elif [ "$rc" -eq 124 ]; then
    echo "run-tests: $run exceeded ${RUN_TIMEOUT}s" >&2
  fi
  [ "$rc" -eq 0 ] || status=$rc
  summary+=("$run $(cat "$folder/seconds" 2>/dev/null || echo '?')s exit $rc")
done

echo "run-tests: ${summary[*]}; total $((SECONDS - start))s (side by side); exit ${status}"
exit "$status"
