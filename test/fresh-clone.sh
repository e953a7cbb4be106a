#!/usr/bin/env bash
# What a new user does first, on the committed tree: clone, `npm ci`, `npm start` on the embedded
# database. Passes when /health/ready answers 200 within READY_LIMIT_S seconds of `npm start`
# (compile included) and GET /api/v1/products lists every demo product.
# Usage: bash test/fresh-clone.sh   (READY_LIMIT_S, default 30; the node on PATH runs everything)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
READY_LIMIT_S=${READY_LIMIT_S:-30}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/commerce-fresh-clone.XXXXXX")
app_pid=""

cleanup() {
  if [ -n "$app_pid" ]; then
    # npm, the shell it runs and the service share the process group that setsid made for npm.
    # npm exits first; the service may still be closing its data directory, which rm must not race.
    kill -TERM -- "-$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 -- "-$app_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL -- "-$app_pid" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

now_ms() { date +%s%3N; }

git clone --quiet "$ROOT" "$WORK/clone"
cd "$WORK/clone"
echo "fresh clone of $(git rev-parse --short HEAD) on node $(node --version), in $WORK/clone"

install_started=$(now_ms)
npm ci --no-audit --no-fund
echo "npm ci: $(( ($(now_ms) - install_started) / 1000 )) s"

port=$(node -e "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })")
started=$(now_ms)
DATA_DIR="$WORK/data" PORT="$port" HOST=127.0.0.1 setsid npm start >"$WORK/start.log" 2>&1 &
app_pid=$!

ready_ms=""
while [ $(( $(now_ms) - started )) -lt $(( READY_LIMIT_S * 1000 )) ]; do
  if ! kill -0 "$app_pid" 2>/dev/null; then
    echo "npm start exited before it was ready:" >&2
    cat "$WORK/start.log" >&2
    exit 1
  fi
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/ready")" = 200 ]; then
    ready_ms=$(( $(now_ms) - started ))
    break
  fi
  sleep 0.2
done
if [ -z "$ready_ms" ]; then
  echo "not ready within ${READY_LIMIT_S} s of npm start; its output:" >&2
  cat "$WORK/start.log" >&2
  exit 1
fi
echo "npm start → /health/ready 200 in ${ready_ms} ms (limit ${READY_LIMIT_S} s)"

# The compile step says what it does before the service's own log lines start.
if ! head -n 5 "$WORK/start.log" | grep -q '^compiling '; then
  echo "npm start did not say that it compiles; its first lines:" >&2
  head -n 5 "$WORK/start.log" >&2
  exit 1
fi

# The listing reads the search index, which catalog's events fill after the demo products are
# created: ready can come a moment before the last of them is indexed, so the check asks for 10 s.
listed_all() {
  curl -sf "http://127.0.0.1:$port/api/v1/products" >"$WORK/products.json" && node -e '
    const { DEMO_PRODUCTS } = require("./dist/libs/demo");
    const listed = new Set(JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8")).items.map((p) => p.id));
    const missing = DEMO_PRODUCTS.filter((p) => !listed.has(p.productId)).map((p) => p.sku);
    if (missing.length > 0) {
      console.error(`GET /api/v1/products lacks demo products: ${missing.join(", ")}`);
      process.exit(1);
    }
    console.log(`GET /api/v1/products lists all ${DEMO_PRODUCTS.length} demo products`);
  ' "$WORK/products.json" 2>"$WORK/listing.err"
}
listed=""
for _ in $(seq 1 50); do
  if listed_all; then listed=yes; break; fi
  sleep 0.2
done
if [ -z "$listed" ]; then
  cat "$WORK/listing.err" >&2
  exit 1
fi
