#!/usr/bin/env bash
# Builds the Debian package and checks what an administrator gets from `dpkg -i`: the files and modes, a config
# with its own RADIUS secret, a unit that `systemd-analyze verify` accepts, the installed config validated by
# `nacgw run --check` as the package's user, and a purge that leaves nothing behind. Needs root (CI runs it).
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "check-deb: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "run as root (it installs and purges the package)"

mvn -B -q -pl gateway -am package -DskipTests -Pdeb
deb=gateway/target/nacgw.deb
dpkg --purge nacgw >/dev/null 2>&1 || true
dpkg -i "$deb" >/dev/null

[ -x /usr/bin/nacgw ] || fail "/usr/bin/nacgw missing"
[ -f /etc/logrotate.d/nacgw ] || fail "/etc/logrotate.d/nacgw missing"
[ "$(stat -c %U:%a /var/lib/nacgw)" = nacgw:700 ] || fail "/var/lib/nacgw must be nacgw:700, is $(stat -c %U:%a /var/lib/nacgw)"
[ "$(stat -c %U:%G:%a /etc/nacgw/nacgw.yaml)" = root:nacgw:640 ] || fail "config must be root:nacgw 640"
grep -q '^dataDir: /var/lib/nacgw' /etc/nacgw/nacgw.yaml || fail "config does not point at /var/lib/nacgw"
if grep -q GENERATED_SECRET /etc/nacgw/nacgw.yaml; then fail "config kept the secret placeholder"; fi
getent passwd nacgw | grep -q nologin || fail "the nacgw user must not have a login shell"

out=$(systemd-analyze verify /lib/systemd/system/nacgw.service 2>&1) || fail "systemd-analyze verify: $out"
if printf '%s' "$out" | grep -i nacgw.service; then fail "systemd-analyze warns about the unit: $out"; fi

# as the service would run it; ports 0 so a RADIUS server already on this machine does not fail the check
check=$(runuser -u nacgw -- env NACGW_RADIUS_AUTHPORT=0 NACGW_RADIUS_ACCTPORT=0 NACGW_API_PORT=0 \
  NACGW_METRICS_PORT=0 /usr/bin/nacgw run --config /etc/nacgw/nacgw.yaml --check 2>&1) \
  || fail "nacgw run --check as user nacgw failed: $check"
printf '%s\n' "$check" | grep -q "configuration OK" || fail "no 'configuration OK' in: $check"

dpkg --purge nacgw >/dev/null
[ ! -e /etc/nacgw ] && [ ! -e /var/lib/nacgw ] || fail "purge left /etc/nacgw or /var/lib/nacgw"
if getent passwd nacgw >/dev/null; then fail "purge left the nacgw user"; fi
echo "check-deb: package built, installed, verified and purged"
