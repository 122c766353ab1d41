#!/usr/bin/env bash
# Starts django-oauth-toolkit for latchkey-bench on 127.0.0.1:PORT with one gunicorn worker per
# core, on a fresh SQLite database. Installs its packages into .venv from PyPI on first use.
set -euo pipefail
cd "$(dirname "$0")"
port="$1"
if [ ! -x .venv/bin/gunicorn ]; then
  python3 -m venv .venv
  .venv/bin/pip install -q -r requirements.txt
fi
rm -f db.sqlite3
[ -f rsa.pem ] || openssl genrsa -out rsa.pem 2048 2>/dev/null
.venv/bin/python prepare.py
echo "peer listening on http://127.0.0.1:${port}"
exec .venv/bin/gunicorn --workers "$(nproc)" --bind "127.0.0.1:${port}" --log-level warning benchwsgi:application
