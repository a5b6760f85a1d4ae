#!/usr/bin/env bash
# Installs Gonggu on a Debian server under systemd (see docs/OPERATIONS.md, "Install"):
#   binaries      $PREFIX/bin/gonggu, gonggu-intake, gonggu-verify, gonggu-risk, gonggu-notify
#   units         $PREFIX/lib/systemd/system/gonggu-*.service, gonggu.target (ExecStart → $PREFIX/bin)
#   configuration /etc/gonggu/{intake,verify,risk,notify}.json, recipients.json, keys/ (server keys; not
#                 with --destdir: the units make them at first start, `gonggu keys ensure`)
#   audit log     /var/log/gonggu (0750) for records of unmasked exports
#   rules         /etc/gonggu/rules/{risk,verify}.json (the default rule documents, from Services/rules/)
#   data          /var/lib/gonggu (0700, owned by the service user)
#   documentation $PREFIX/share/doc/gonggu/OPERATIONS.md
# and the system user `gonggu`. Existing configuration, keys and data are never overwritten: a
# shipped configuration that differs from the installed one is placed beside it as *.json.new.
#
# Usage: Services/install.sh [--bin-dir DIR] [--prefix PREFIX] [--destdir DESTDIR] [--no-user]
#   --bin-dir  where the release binaries are (default: `swift build -c release --show-bin-path`)
#   --prefix   default /usr/local (or $PREFIX)
#   --destdir  stage everything under DESTDIR (or $DESTDIR), e.g. for a package; implies --no-user
#   --no-user  do not create the user, do not chown (the package's postinst does it)
# Upgrades: run it again with the new binaries, then restart in the order given in OPERATIONS.md.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
prefix="${PREFIX:-/usr/local}"
destdir="${DESTDIR:-}"
bindir=""
make_user=1
user=gonggu
services=(intake verify risk notify)

while [ $# -gt 0 ]; do
    case "$1" in
        --bin-dir) bindir="$2"; shift 2 ;;
        --prefix) prefix="$2"; shift 2 ;;
        --destdir) destdir="$2"; shift 2 ;;
        --no-user) make_user=0; shift ;;
        -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
        *) echo "install.sh: unknown argument $1" >&2; exit 64 ;;
    esac
done
[ -n "$destdir" ] && make_user=0
if [ -z "$bindir" ]; then
    bindir="$(cd "$repo" && swift build -c release --show-bin-path)"
fi
for b in gonggu "${services[@]/#/gonggu-}"; do
    [ -x "$bindir/$b" ] || { echo "install.sh: $bindir/$b missing; run: swift build -c release" >&2; exit 66; }
done
if [ "$make_user" = 1 ] && [ "$(id -u)" -ne 0 ]; then
    echo "install.sh: run as root (or use --destdir/--no-user to stage without creating the user)" >&2
    exit 77
fi

root="${destdir%/}"
etc="$root/etc/gonggu"
data="$root/var/lib/gonggu"
say() { echo "install.sh: $*"; }

# 1. The service user: a system account without a login shell or a home of its own.
if [ "$make_user" = 1 ] && ! getent passwd "$user" >/dev/null; then
    useradd --system --user-group --home-dir /var/lib/gonggu --no-create-home --shell /usr/sbin/nologin \
        --comment "Gonggu services" "$user"
    say "created system user $user"
fi
chown_service() { if [ "$make_user" = 1 ]; then chown "$@"; fi; }

# 2. Binaries (replaced on upgrade: the running processes keep their old inode until restarted).
install -d -m 0755 "$root$prefix/bin"
for b in gonggu "${services[@]/#/gonggu-}"; do
    install -m 0755 "$bindir/$b" "$root$prefix/bin/$b.new"
    mv -f "$root$prefix/bin/$b.new" "$root$prefix/bin/$b"
done
say "binaries in $root$prefix/bin"

# 3. Units, pointing at this prefix.
units="$root$prefix/lib/systemd/system"
install -d -m 0755 "$units"
for s in "${services[@]}"; do
    sed "s#/usr/local/bin/#$prefix/bin/#g; s#/usr/local/share/doc/#$prefix/share/doc/#g" \
        "$here/gonggu-$s/systemd/gonggu-$s.service" >"$units/gonggu-$s.service"
    chmod 0644 "$units/gonggu-$s.service"
done
sed "s#/usr/local/share/doc/#$prefix/share/doc/#g" "$here/gonggu.target" >"$units/gonggu.target"
chmod 0644 "$units/gonggu.target"
say "units in $units"

# 4. Configuration: readable by the service group, never overwritten.
install -d -m 0750 "$etc" "$etc/keys"
chown_service "root:$user" "$etc" "$etc/keys"
for s in "${services[@]}"; do
    target="$etc/$s.json"
    if [ ! -e "$target" ]; then
        install -m 0640 "$here/gonggu-$s/config.json" "$target"
        chown_service "root:$user" "$target"
    elif ! cmp -s "$here/gonggu-$s/config.json" "$target"; then
        install -m 0640 "$here/gonggu-$s/config.json" "$target.new"
        say "kept $target; the shipped version is $target.new"
    fi
done
# The default rule documents, to copy and edit for a new version (docs/RULES-risk.md,
# docs/RULES-verify.md): `gonggu rules check|activate /etc/gonggu/rules/risk.json --service risk`.
install -d -m 0750 "$etc/rules"
chown_service "root:$user" "$etc/rules"
for r in risk verify; do
    target="$etc/rules/$r.json"
    if [ ! -e "$target" ]; then
        install -m 0640 "$here/rules/$r.json" "$target"
        chown_service "root:$user" "$target"
    elif ! cmp -s "$here/rules/$r.json" "$target"; then
        install -m 0640 "$here/rules/$r.json" "$target.new"
        say "kept $target; the shipped default is $target.new"
    fi
done
if [ ! -e "$etc/recipients.json" ]; then
    cat >"$etc/recipients.json" <<'JSON'
{
  "version": "initial",
  "escalation": {"afterDays": 7},
  "recipients": [
  ]
}
JSON
    chmod 0640 "$etc/recipients.json"
    chown_service "root:$user" "$etc/recipients.json"
    say "wrote an empty recipient directory $etc/recipients.json (add bureaus and offices, then reload)"
fi
# Server keys of this installation: intake's submission endpoint, the notifier's recipient endpoint,
# and the notifier's client key for forwarding bureau decisions to intake. Secret keys are never
# written into a staged tree (--destdir): every server installed from that package would share them.
# There they are made on the server at first start (ExecStartPre=+gonggu keys ensure … in the intake
# and notify units) or by the package's post-install step running the same command.
keys=(intake notify notify-client)
if [ -n "$destdir" ]; then
    say "no keys staged; on the server they are made at first start, or now with:"
    say "  $prefix/bin/gonggu keys ensure ${keys[*]} --dir /etc/gonggu/keys --group $user"
else
    group_option=()
    [ "$make_user" = 1 ] && group_option=(--group "$user")
    "$bindir/gonggu" keys ensure "${keys[@]}" --dir "$etc/keys" "${group_option[@]}" >/dev/null
    say "keys in $etc/keys (existing ones kept)"
fi

# Audit log of unmasked exports (`gonggu rejects --format csv --unmasked`): root and the service group
# may read it; only root writes it, so an unmasked export needs sudo (and is recorded with SUDO_USER).
install -d -m 0750 "$root/var/log/gonggu"
chown_service "root:$user" "$root/var/log/gonggu"

# 5. Data folder: personal data, the service user only.
install -d -m 0700 "$data"
chmod 0700 "$data"
chown_service "$user:$user" "$data"
say "data folder $data (0700)"

# 6. Documentation.
install -d -m 0755 "$root$prefix/share/doc/gonggu"
install -m 0644 "$repo/docs/OPERATIONS.md" "$root$prefix/share/doc/gonggu/OPERATIONS.md"

if [ "$make_user" = 1 ] && [ -d /run/systemd/system ]; then
    systemctl daemon-reload
    say "done: systemctl enable --now gonggu.target"
else
    say "done (staged under ${root:-/}); on the server: create user $user, chown $data, systemctl daemon-reload"
fi
