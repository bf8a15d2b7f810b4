#!/usr/bin/env bash
# End-to-end test of the pre-commit hooks (.pre-commit-hooks.yaml): installs pre-commit from
# PyPI into a throw-away virtualenv, snapshots this checkout (uncommitted changes included)
# into a hook repository, makes a temporary git repository of backups that uses it, installs
# the git hook and makes real commits:
#   - a NOTES.txt and a .log committed next to the backups are skipped, the commit passes;
#   - a backup with FTK002 (duplicate reg-id) is blocked and the finding is shown;
#   - a clean backup passes;
#   - a backup whose token is also in an already committed backup of another unit is blocked
#     with FTK012 (the hook compares with the whole repository, not only the staged files);
#   - the `language: system` hook runs the installed binary the same way.
# Run by .ci/run; needs network access to PyPI and crates.io (pre-commit builds the hook with cargo).
set -euo pipefail
checkout=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check pre-commit
export PATH="$work/venv/bin:$PATH"
export PRE_COMMIT_HOME="$work/cache"

# The hook repository: this checkout's tracked and new files, committed.
hooks="$work/hooks"
mkdir -p "$hooks"
(cd "$checkout" && git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$hooks")
git -C "$hooks" init --quiet
git -C "$hooks" add -A
git -C "$hooks" -c user.email=ci@example.invalid -c user.name=ci commit --quiet -m snapshot
rev=$(git -C "$hooks" rev-parse HEAD)

repo="$work/repo"
git init --quiet "$repo"
cd "$repo"
git config user.email ci@example.invalid
git config user.name ci
write_config() {
  printf 'repos:\n  - repo: %s\n    rev: %s\n    hooks:\n      - id: %s\n        verbose: true\n' \
    "$hooks" "$rev" "$1" \
    >.pre-commit-config.yaml
}
write_config fortilint
pre-commit install --install-hooks >"$work/install.txt" 2>&1 || { cat "$work/install.txt"; exit 1; }

passed=0
failed=0
ok() { echo "ok: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL: $1"; cat "$2"; failed=$((failed + 1)); }

# 1. Notes and logs next to a clean backup: committed, the notes skipped.
cp "$checkout/samples/fortios-7.2-single-vdom.conf" fw-clean.conf
printf 'Site notes\nfirewall replaced in May; see ticket 4711\n' >NOTES.txt
printf '2024-05-01 12:00 backup taken by oxidized\n' >backup.log
git add .pre-commit-config.yaml fw-clean.conf NOTES.txt backup.log
if git commit --quiet -m "clean backup and notes" >"$work/notes.txt" 2>&1; then
  if grep -q "skipping NOTES.txt" "$work/notes.txt"; then
    ok "NOTES.txt and backup.log committed next to a clean backup (skipped with a note)"
  else
    fail "the commit passed but NOTES.txt was not reported as skipped" "$work/notes.txt"
  fi
else
  fail "a commit of NOTES.txt next to a clean backup was blocked" "$work/notes.txt"
fi

# 2. A backup with FTK002 is blocked.
cp "$checkout/tests/fixtures/rules/duplicate_reg_id/violation.conf" fw-dup.conf
git add fw-dup.conf
if git commit --quiet -m "dup" >"$work/blocked.txt" 2>&1; then
  fail "a backup with FTK002 was not blocked" "$work/blocked.txt"
elif ! grep -q "FTK002" "$work/blocked.txt"; then
  fail "the hook failed but did not show FTK002" "$work/blocked.txt"
else
  ok "fw-dup.conf blocked with FTK002"
fi
git reset --quiet fw-dup.conf
rm fw-dup.conf

# 3. FTK012 against the rest of the repository: fw-a is committed, then fw-b (same token,
#    another unit) is staged alone.
several="$checkout/tests/fixtures/rules/token_on_several_units/violation"
cp "$several/fw-a.conf" site-a.conf
git add site-a.conf
git commit --quiet -m "site a" >"$work/site-a.txt" 2>&1 || fail "site-a.conf alone was blocked" "$work/site-a.txt"
cp "$several/fw-b.conf" site-b.conf
git add site-b.conf
if git commit --quiet -m "site b" >"$work/ftk012.txt" 2>&1; then
  fail "a token also in a committed backup of another unit was not blocked" "$work/ftk012.txt"
elif ! grep -q "FTK012" "$work/ftk012.txt"; then
  fail "the hook failed but did not show FTK012" "$work/ftk012.txt"
else
  ok "site-b.conf blocked with FTK012 against the committed site-a.conf"
fi
git reset --quiet site-b.conf
rm site-b.conf

# 4. The `language: system` hook with the binary pre-commit built, put on PATH.
bin=$(find "$PRE_COMMIT_HOME" -path '*/bin/fortilint' -type f | head -n 1)
if [ -z "$bin" ]; then
  echo "FAIL: no fortilint binary built by pre-commit under $PRE_COMMIT_HOME"; failed=$((failed + 1))
else
  mkdir -p "$work/bin" && cp "$bin" "$work/bin/fortilint"
  export PATH="$work/bin:$PATH"
  write_config fortilint-system
  printf 'more notes\n' >>NOTES.txt
  cp "$checkout/tests/fixtures/rules/duplicate_reg_id/violation.conf" fw-dup.conf
  git add .pre-commit-config.yaml NOTES.txt fw-dup.conf
  if git commit --quiet -m "system hook" >"$work/system.txt" 2>&1; then
    fail "the system hook did not block FTK002" "$work/system.txt"
  elif ! grep -q "FTK002" "$work/system.txt"; then
    fail "the system hook failed but did not show FTK002" "$work/system.txt"
  else
    ok "language: system hook blocks FTK002 with the installed binary"
  fi
fi

echo "pre-commit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
