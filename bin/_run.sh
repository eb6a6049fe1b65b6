# Shell helpers of bin/_setup.sh and bin/demo: the terminal's "==>" lines, the demo's port, the supervised
# workers. Sourced, not run; defines functions only (tests/test_bin_run.py runs each on its own).

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Whether the demo can serve on 127.0.0.1:PORT; if not, says why (a port that is no number, or one in use) and
# returns 1 — before the minute of setting up, not after it.
check_port() {
  local port="$1"
  if ! [[ "$port" =~ ^[0-9]{1,5}$ ]] || ((10#$port < 1 || 10#$port > 65535)); then
    say "GRIDGOV_DEMO_PORT=$port is not a port number (1–65535)"
    return 1
  fi
  # Something answers a connection there (bash's /dev/tcp: no other tool needed).
  if (exec 3<>"/dev/tcp/127.0.0.1/$((10#$port))") 2>/dev/null; then
    say "Port $((10#$port)) is in use (another bin/demo?); choose a free one: GRIDGOV_DEMO_PORT=8001 bin/demo"
    return 1
  fi
}

# Keeps a long-running command running: whenever it ends, says so and starts it again. The pause is 1 s after a
# run of a minute or more (a worker killed or crashed once is back at once), and doubles, up to 60 s, while the
# command keeps ending sooner (a command that cannot start does not fill the terminal). The subshell's pid is
# added to ``supervised`` (bin/demo stops them all when it ends).
supervised=()
supervise() {
  local name="$1" log="$2"
  shift 2
  (
    set +e
    child=""
    trap '[ -n "$child" ] && kill "$child" 2>/dev/null; exit 0' TERM INT
    pause=1
    while true; do
      started=$SECONDS
      "$@" >>"$log" 2>&1 &
      child=$!
      wait "$child"
      code=$?
      if ((SECONDS - started >= 60)); then pause=1; fi
      say "$name stopped (exit $code); restarting it in $pause s — see $log"
      sleep "$pause"
      pause=$((pause * 2 > 60 ? 60 : pause * 2))
    done
  ) &
  supervised+=($!)
}

# A management command kept running by ``supervise``. It skips Django's system checks: the server started by the
# same bin/demo runs them, and on a busy 2-core machine they cost a restarted worker about 10 s (importing every
# URL pattern), during which nobody's notifications are delivered.
supervise_manage() {
  local name="$1" log="$2"
  shift 2
  supervise "$name" "$log" uv run --locked python manage.py "$@" --skip-checks
}
