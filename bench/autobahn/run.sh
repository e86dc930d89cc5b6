#!/usr/bin/env bash
# Autobahn|Testsuite's fuzzingclient against the frame layer's echo harness; prints the verdict counts.
#   bash bench/autobahn/run.sh
# Autobahn (Python 2) goes into a virtualenv outside the repository, made on first use from the
# pyenv Python 2.7.18; reports go to $AUTOBAHN_REPORTS (default /tmp/autobahn).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
python27=${PYTHON27:-$HOME/.pyenv/versions/2.7.18/bin/python}
venv=${AUTOBAHN_VENV:-/tmp/autobahn-venv}
reports=${AUTOBAHN_REPORTS:-/tmp/autobahn}
port=${AUTOBAHN_PORT:-9001}
python3=${PYTHON:-$root/.venv/bin/python}

if [ ! -x "$venv/bin/wstest" ]; then
  "$python27" -m virtualenv --version >/dev/null 2>&1 || "$python27" -m pip install --user "virtualenv==20.15.1"
  "$python27" -m virtualenv "$venv"
  "$venv/bin/pip" install -r "$here/requirements-py27.txt"
fi

mkdir -p "$reports"
rm -rf "$reports/reports"
"$python3" "$here/echo_server.py" --port "$port" &
harness=$!
trap 'kill "$harness" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.2
done

sed "s/127.0.0.1:9001/127.0.0.1:$port/" "$here/fuzzingclient.json" > "$reports/fuzzingclient.json"
(cd "$reports" && "$venv/bin/wstest" -m fuzzingclient -s fuzzingclient.json > wstest.log 2>&1)
"$python3" "$here/summarise.py" "$reports/reports/servers/index.json"
