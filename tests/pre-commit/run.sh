#!/usr/bin/env bash
# End-to-end test of the pre-commit hook (.pre-commit-hooks.yaml): installs pre-commit from
# PyPI into a throw-away virtualenv, makes a temporary git repository and runs
# `pre-commit try-repo <this checkout> fortilint --files …`:
#   - a backup with FTK002 (duplicate reg-id) is blocked and the finding is shown;
#   - a clean backup passes.
# Run by .ci/run; needs network access to PyPI and crates.io (pre-commit builds the hook with cargo).
set -euo pipefail
checkout=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check pre-commit
export PATH="$work/venv/bin:$PATH"
export PRE_COMMIT_HOME="$work/cache"

repo="$work/repo"
git init --quiet "$repo"
cd "$repo"
git config user.email ci@example.invalid
git config user.name ci
cp "$checkout/tests/fixtures/rules/duplicate_reg_id/violation.conf" fw-dup.conf
cp "$checkout/samples/fortios-7.2-single-vdom.conf" fw-clean.conf
git add fw-dup.conf fw-clean.conf

passed=0
failed=0
if pre-commit try-repo "$checkout" fortilint --files fw-dup.conf >"$work/blocked.txt" 2>&1; then
  echo "FAIL: a backup with FTK002 was not blocked"; cat "$work/blocked.txt"; failed=$((failed + 1))
elif ! grep -q "FTK002" "$work/blocked.txt"; then
  echo "FAIL: the hook failed but did not show FTK002"; cat "$work/blocked.txt"; failed=$((failed + 1))
else
  echo "ok: fw-dup.conf blocked with FTK002"; passed=$((passed + 1))
fi
if pre-commit try-repo "$checkout" fortilint --files fw-clean.conf >"$work/clean.txt" 2>&1; then
  echo "ok: fw-clean.conf passes"; passed=$((passed + 1))
else
  echo "FAIL: a clean backup was blocked"; cat "$work/clean.txt"; failed=$((failed + 1))
fi
echo "pre-commit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
