#!/usr/bin/env bash
# Installs a gonggu .deb in a fresh Debian bookworm chroot and checks it (docs/OPERATIONS.md,
# "Package: install, upgrade, removal"): dpkg -i; user, keys, folders, conffiles, man pages; the
# installed units pass `systemd-analyze verify` (the host's systemd-analyze with --root on the chroot:
# the base has no systemd) and `systemd-analyze security`; the four services started from the
# installed configuration as the gonggu user answer `gonggu status`; dpkg -r keeps data, keys and
# configuration; a reinstall keeps the keys; dpkg --purge removes configuration and keys but keeps the
# data folder. Lintian on the .deb when installed: no errors.
#
# The chroot is the debootstrapped base tarball docker/smoke-test.sh caches in ~/.cache/gonggu-docker
# (or $GONGGU_DOCKER_CACHE); its own network namespace (ports of other tests do not collide).
# Prints "SKIP: reason" and exits 0 when it cannot run here: not root, no dpkg-deb/unshare/chroot,
# no cached base tarball (warm it once with: sudo docker/smoke-test.sh).
#
# Usage: Services/package-test.sh DEB      exit 0 passed (or skipped), 1 a check failed
set -uo pipefail

deb="${1:?usage: Services/package-test.sh DEB}"
skip() { echo "SKIP: $*"; exit 0; }
[ "$(id -u)" -eq 0 ] || skip "needs root (chroot, unshare)"
for tool in dpkg-deb unshare chroot ip systemd-analyze; do
    command -v "$tool" >/dev/null || skip "$tool is not installed"
done
cache="${GONGGU_DOCKER_CACHE:-$HOME/.cache/gonggu-docker}"
tarball="$(ls -t "$cache"/debian-bookworm-minbase-*.tar 2>/dev/null | head -n 1)"
[ -n "$tarball" ] && [ -s "$tarball" ] || skip "no cached Debian base tarball in $cache (warm it once: sudo docker/smoke-test.sh)"
[ -s "$deb" ] || { echo "FAIL: no package $deb"; exit 1; }

started=$(date +%s)
work="$(mktemp -d /tmp/gonggu-package-test.XXXXXX)"
root="$work/root"
trap 'rm -rf "$work"' EXIT
mkdir -p "$root"
tar -xf "$tarball" -C "$root"
cp "$deb" "$root/tmp/gonggu.deb"
version="$(dpkg-deb -f "$deb" Version)"
failed=0
check() {
    local what="$1"
    shift
    if "$@"; then echo "ok   $what"; else echo "FAIL $what"; failed=1; fi
}
# A command in the chroot: own network (loopback only), PID and mount namespaces; /proc and /dev/null.
in_chroot() {
    unshare --net --pid --mount --fork /bin/sh -c '
        ip link set lo up
        mount -t proc proc "$0/proc"
        mount --rbind /dev "$0/dev"
        exec chroot "$0" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 /bin/sh -c "$1"' \
        "$root" "$1"
}

echo "== package test: $deb ($version) in a chroot of $(basename "$tarball")"
# procps (/bin/kill, the units' ExecReload) is a dependency the minimal base lacks: from the host's apt.
if ! in_chroot 'test -x /bin/kill'; then
    mkdir -p "$root/tmp/deps"
    (cd "$root/tmp/deps" && timeout 120 apt-get download procps libproc2-0 libncursesw6 >/dev/null 2>&1) ||
        skip "procps is not in the base tarball and apt-get download procps failed (no Debian mirror?)"
    deps_out="$(in_chroot 'dpkg -i /tmp/deps/*.deb' 2>&1)" || { echo "FAIL installing procps in the chroot: $deps_out"; exit 1; }
fi
out="$(in_chroot 'dpkg -i /tmp/gonggu.deb' 2>&1)"
check "dpkg -i installs it" test $? -eq 0
echo "$out" | sed 's/^/     /'
check "gonggu --version and gonggu-intake --version report $version" \
    test "$(in_chroot 'gonggu --version; gonggu-intake --version' 2>&1 | tr '\n' ' ')" = "gonggu $version gonggu-intake $version "
check "system user gonggu, no login shell" \
    test "$(in_chroot 'getent passwd gonggu | cut -d: -f7')" = /usr/sbin/nologin
check "keys made on the target: intake, notify, notify-client (.key 0640 root:gonggu)" \
    test "$(in_chroot 'stat -c "%n %a %U:%G" /etc/gonggu/keys/intake.key /etc/gonggu/keys/notify.key /etc/gonggu/keys/notify-client.key' | awk '{print $2, $3}' | sort -u)" = "640 root:gonggu"
no_keys() { ! dpkg-deb -c "$deb" | grep -q 'keys/'; }
check "no key in the package" no_keys
check "/var/lib/gonggu 0700 gonggu:gonggu" test "$(stat -c '%a %u:%g' "$root/var/lib/gonggu")" = "700 $(
    awk -F: '$1=="gonggu"{print $3}' "$root/etc/passwd"):$(awk -F: '$1=="gonggu"{print $3}' "$root/etc/group")"
check "six conffiles" test "$(in_chroot "dpkg-query -W -f='\${Conffiles}\n' gonggu" | grep -c '^ /etc/gonggu/')" -eq 6
check "recipient directory made (0640)" test "$(stat -c %a "$root/etc/gonggu/recipients.json")" = 640
check "man pages gonggu(1), gonggu-{intake,verify,risk,notify}(8)" test "$(ls "$root"/usr/share/man/man1/gonggu.1.gz \
    "$root"/usr/share/man/man8/gonggu-*.8.gz | wc -l)" -eq 5
check "gonggu.target enabled" test -L "$root/etc/systemd/system/multi-user.target.wants/gonggu.target"

units=(gonggu-intake.service gonggu-verify.service gonggu-risk.service gonggu-notify.service gonggu.target)
# The base has no systemd: the host's systemd-analyze verifies copies of the installed units whose
# /usr/bin paths point into the chroot (verify checks that each command exists and is executable).
mkdir -p "$work/units"
for u in "${units[@]}"; do
    sed "s#=\(+\?\)/usr/bin/gonggu#=\1$root/usr/bin/gonggu#g" "$root/lib/systemd/system/$u" >"$work/units/$u"
done
verify_out="$(cd "$work/units" && systemd-analyze verify --man=no "${units[@]}" 2>&1)"
verify_status=$?
check "systemd-analyze verify of the installed units: no diagnostics" test "$verify_status" -eq 0 -a -z "$verify_out"
[ -n "$verify_out" ] && echo "$verify_out" | sed 's/^/     /'
for s in intake verify risk notify; do
    score="$(systemd-analyze security --offline=yes --root="$root" --no-pager \
        "$root/lib/systemd/system/gonggu-$s.service" 2>&1 | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')"
    check "systemd-analyze security gonggu-$s: ${score:-?} (at most 1.2)" awk -v s="${score:-99}" 'BEGIN { exit !(s <= 1.2) }'
done

# The services from the installed configuration, as the gonggu user; gonggu status answers healthy.
# The units' RuntimeDirectory=gonggu (0750, the service user) is what systemd would make at start; the
# chroot has no systemd, so it is made here the same way.
status_out="$(in_chroot '
    install -d -m 0750 -o gonggu -g gonggu /run/gonggu
    pids=""
    for s in intake verify risk notify; do
        setpriv --reuid gonggu --regid gonggu --init-groups gonggu-$s --config /etc/gonggu/$s.json >/tmp/$s.log 2>&1 &
        pids="$pids $!"
    done
    deadline=$(($(date +%s) + 90))
    until gonggu status --timeout 5 >/tmp/status.out 2>&1 || [ $(date +%s) -ge $deadline ]; do sleep 0.5; done
    cat /tmp/status.out; gonggu status --timeout 5 >/dev/null 2>&1; code=$?
    echo "exit $code"
    kill -TERM $pids 2>/dev/null; wait' 2>&1)"
echo "$status_out" | sed 's/^/     /'
status_ok() { grep -qx 'exit 0' <<<"$status_out"; }
check "gonggu status: all four services healthy (exit 0)" status_ok
check "the services wrote their logs in /var/lib/gonggu" test -e "$root/var/lib/gonggu/intake.log.sqlite"

keys_before="$(sha256sum "$root"/etc/gonggu/keys/*.key)"
out="$(in_chroot 'dpkg -r gonggu' 2>&1)"
check "dpkg -r removes it" test $? -eq 0 -a ! -e "$root/usr/bin/gonggu"
check "dpkg -r keeps the data (/var/lib/gonggu/intake.log.sqlite)" test -e "$root/var/lib/gonggu/intake.log.sqlite"
check "dpkg -r keeps keys and configuration" test -e "$root/etc/gonggu/keys/intake.key" -a -e "$root/etc/gonggu/intake.json"
out="$(in_chroot 'dpkg -i /tmp/gonggu.deb' 2>&1)"
check "reinstall keeps the keys" test "$(sha256sum "$root"/etc/gonggu/keys/*.key)" = "$keys_before"
out="$(in_chroot 'dpkg --purge gonggu' 2>&1)"
check "dpkg --purge removes it" test $? -eq 0
echo "$out" | sed 's/^/     /'
check "dpkg --purge removes /etc/gonggu (configuration, keys)" test ! -e "$root/etc/gonggu"
check "dpkg --purge keeps the data folder" test -e "$root/var/lib/gonggu/intake.log.sqlite"

if command -v lintian >/dev/null; then
    lint="$(lintian --tag-display-limit 0 "$deb" 2>&1)"
    echo "$lint" | sed 's/^/     lintian: /'
    lint_clean() { ! grep -q '^E:' <<<"$lint"; }
    check "lintian: no errors" lint_clean
else
    echo "     (lintian not installed: apt-get install lintian)"
fi

echo "== package test $([ $failed = 0 ] && echo passed || echo FAILED) in $(($(date +%s) - started)) s"
exit $failed
