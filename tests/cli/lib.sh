# Helpers for the command-line tests: $1 = mpstream executable, $2 = source tree.
set -uo pipefail
MPS="$1"
SRC="$2"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
# expect_error CODE "substring" -- command...
expect_error() {
  local code="$1" text="$2"; shift 2
  local out rc
  out="$("$@" 2>&1)"; rc=$?
  if [ "$rc" -ne "$code" ]; then fail "exit $rc (wanted $code): $* :: $out"; return; fi
  if ! grep -qF -- "$text" <<<"$out"; then fail "message lacks '$text': $* :: $out"; return; fi
  ok "$* -> $code: $(head -c 200 <<<"$out" | tr '\n' ' ')"
}
finish() {
  if [ "$failures" -ne 0 ]; then echo "$failures check(s) failed"; exit 1; fi
  echo "all checks passed"
}
