# Shared by bench/online and bench/online-peers (sourced, never run on its own): the load driver
# (wrk, or the project's own libcurl driver), waiting for a server's URL and readiness, a
# server's memory, and stopping it by its pid. The callers run with `set -euo pipefail` from the
# repository root and set BENCH_BIN (the release bin folder) before calling `drive`.

# Picks the load driver and sets DRIVER to `wrk` or `libcurl`. wrk is Debian's package: when it
# is missing and this is root with apt-get, it is installed (for the benches only; CI never needs
# it). Otherwise, or if the install fails, the driver is `rehearse-bench online-load` (libcurl).
choose_driver() {
  if command -v wrk >/dev/null 2>&1; then
    DRIVER=wrk
    return
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "wrk is missing: installing Debian's wrk package with apt-get (for the benches only)" >&2
    if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >&2 \
      || { DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >&2; }; then
      DRIVER=wrk
      return
    fi
    echo "could not install wrk: using the libcurl driver (rehearse-bench online-load) instead" >&2
  else
    echo "wrk is missing and only root may install it: using the libcurl driver (rehearse-bench online-load)" >&2
  fi
  DRIVER=libcurl
}

# json_number KEY TEXT: the number after "KEY": in TEXT (one flat JSON line), or nothing.
json_number() {
  sed -n "s/.*\"$1\": *\([-0-9.eE+]*\).*/\1/p" <<<"$2" | head -n 1
}

# drive URL BODIES SECONDS CONNECTIONS [quiet]: POSTs the bodies (one JSON body a line, in turn)
# to URL on CONNECTIONS connections for SECONDS with $DRIVER (wrk with 2 threads, as
# `wrk -t2 -c16 -d10s --latency`). Prints the driver's own report unless `quiet`, and sets
# LOAD_REQUESTS_PER_S, LOAD_P50_MS, LOAD_P99_MS, LOAD_STATUS_ERRORS (responses of 400 and up for
# wrk, not 2xx for libcurl), LOAD_SOCKET_ERRORS and LOAD_ERRORS (their sum).
drive() {
  local url="$1" bodies="$2" seconds="$3" connections="$4" quiet="${5:-}" output result
  if [ "$DRIVER" = wrk ]; then
    local threads=$((connections < 2 ? connections : 2))
    output="$(wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s bench/lib/rotate-bodies.lua "$url" -- "$bodies")"
    result="$(grep '^WRK_RESULT ' <<<"$output" | sed 's/^WRK_RESULT //')"
    [ -n "$quiet" ] || grep -v '^WRK_RESULT ' <<<"$output"
    local requests duration
    requests="$(json_number requests "$result")"
    duration="$(json_number duration_us "$result")"
    LOAD_REQUESTS_PER_S="$(awk -v n="$requests" -v us="$duration" 'BEGIN { printf "%d", n / (us / 1e6) }')"
    LOAD_P50_MS="$(awk -v us="$(json_number p50_us "$result")" 'BEGIN { printf "%.3f", us / 1000 }')"
    LOAD_P99_MS="$(awk -v us="$(json_number p99_us "$result")" 'BEGIN { printf "%.3f", us / 1000 }')"
  else
    output="$("$BENCH_BIN/rehearse-bench" online-load --url "$url" --bodies "$bodies" --seconds "$seconds" --connections "$connections")"
    result="$(tail -n 1 <<<"$output")"
    [ -n "$quiet" ] || sed '$d' <<<"$output"
    LOAD_REQUESTS_PER_S="$(json_number requests_per_s "$result")"
    LOAD_P50_MS="$(json_number p50_ms "$result")"
    LOAD_P99_MS="$(json_number p99_ms "$result")"
  fi
  LOAD_STATUS_ERRORS="$(json_number status_errors "$result")"
  LOAD_SOCKET_ERRORS="$(json_number socket_errors "$result")"
  if [ -z "$LOAD_STATUS_ERRORS" ] || [ -z "$LOAD_SOCKET_ERRORS" ]; then
    echo "error: the $DRIVER driver gave no result line; its output was:" >&2
    echo "$output" >&2
    return 1
  fi
  LOAD_ERRORS=$((LOAD_STATUS_ERRORS + LOAD_SOCKET_ERRORS))
}

# wait_for_url FILE PID NAME: waits (at most 60 s, in 0.1 s steps) until FILE, where process PID
# writes its output, holds a line with `http://127.0.0.1:PORT`, and prints that base URL. Fails
# with a message naming NAME if the process ends first or the time is up.
wait_for_url() {
  local file="$1" pid="$2" name="$3" tries=0 url
  while [ "$tries" -lt 600 ]; do
    url="$(grep -m 1 -o 'http://127\.0\.0\.1:[0-9]\+' "$file" 2>/dev/null || true)"
    if [ -n "$url" ] && [ "${url##*:}" != 0 ]; then
      echo "$url"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "error: $name (pid $pid) exited before it printed the URL it listens on" >&2
      return 1
    fi
    sleep 0.1
    tries=$((tries + 1))
  done
  echo "error: $name (pid $pid) printed no URL to listen on within 60 s" >&2
  return 1
}

# wait_ready URL PID NAME: waits (at most 60 s, in 0.1 s steps) until GET URL answers 2xx.
wait_ready() {
  local url="$1" pid="$2" name="$3" tries=0
  while [ "$tries" -lt 600 ]; do
    if curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "error: $name (pid $pid) exited before $url answered 2xx" >&2
      return 1
    fi
    sleep 0.1
    tries=$((tries + 1))
  done
  echo "error: $name (pid $pid) did not answer 2xx at $url within 60 s" >&2
  return 1
}

# check_request URL BODY NAME: sends one POST and prints its answer; fails unless it is a 200, so
# a server that answers the load with errors is caught before the run.
check_request() {
  local url="$1" body="$2" name="$3" answer status
  answer="$(curl -sS --max-time 10 -H 'Content-Type: application/json' --data-binary "$body" -w '\n%{http_code}' "$url")"
  status="$(tail -n 1 <<<"$answer")"
  echo "one request to $name: status $status, $(sed '$d' <<<"$answer" | head -c 300)"
  if [ "$status" != 200 ]; then
    echo "error: $name answered $url with status $status, not 200" >&2
    return 1
  fi
}

# process_tree PID: PID and all its descendants, one a line.
process_tree() {
  echo "$1"
  local child
  for child in $(pgrep -P "$1" || true); do process_tree "$child"; done
}

# peak_rss_mb PID: the peak resident memory (VmHWM) of PID and its descendants, summed, in MiB
# with one decimal (for one process, its own peak; for a pre-fork server, an upper bound).
peak_rss_mb() {
  local kb=0 pid value
  for pid in $(process_tree "$1"); do
    value="$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)"
    kb=$((kb + ${value:-0}))
  done
  awk -v kb="$kb" 'BEGIN { printf "%.1f", kb / 1024 }'
}

# stop_server PID NAME: sends SIGTERM to PID (a child of this shell), waits at most 30 s for it to
# exit (then SIGKILL), and prints how it ended. Returns the process's exit status.
stop_server() {
  local pid="$1" name="$2" tries=0 status=0
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && [ "$tries" -lt 300 ]; do
    sleep 0.1
    tries=$((tries + 1))
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "warning: $name (pid $pid) was still running 30 s after SIGTERM: killed" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || status=$?
  echo "$name stopped (SIGTERM) with exit status $status"
  return "$status"
}
