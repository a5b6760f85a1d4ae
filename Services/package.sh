#!/usr/bin/env bash
# Builds the Debian package gonggu_VERSION_ARCH.deb with dpkg-deb (docs/OPERATIONS.md, "Package:
# install, upgrade, removal"). Its debian/ files are in Services/debian, man page sources in
# Services/man; the version comes from the git tag (Services/version.sh).
#
#   binaries  /usr/bin/gonggu, gonggu-intake, gonggu-verify, gonggu-risk, gonggu-notify (stripped;
#             Swift runtime linked statically, so only C libraries are dependencies)
#   units     /lib/systemd/system/gonggu-{intake,verify,risk,notify}.service, gonggu.target
#             (Services/gonggu-*/systemd, with /usr/local → /usr)
#   conffiles /etc/gonggu/{intake,verify,risk,notify}.json, /etc/gonggu/rules/{risk,verify}.json
#   docs      /usr/share/doc/gonggu/{OPERATIONS.md,CHANGELOG.md.gz,changelog.gz,copyright}
#   man pages gonggu(1), gonggu-intake(8), gonggu-verify(8), gonggu-risk(8), gonggu-notify(8)
# No keys, no recipient directory, no data: postinst makes them on the server.
#
# Usage: Services/package.sh [--out DIR] [--bin-dir DIR]
#   --out      where the .deb goes (default .build/deb); its path is the last line printed
#   --bin-dir  use these release binaries (built with --static-swift-stdlib after
#              `Services/version.sh --stamp`); default: stamp, then build them here
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
out="$repo/.build/deb"
bindir=""
services=(intake verify risk notify)

while [ $# -gt 0 ]; do
    case "$1" in
        --out) out="$2"; shift 2 ;;
        --bin-dir) bindir="$2"; shift 2 ;;
        -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
        *) echo "package.sh: unknown argument $1" >&2; exit 64 ;;
    esac
done
for tool in dpkg-deb dpkg-shlibdeps strip gzip; do
    command -v "$tool" >/dev/null || { echo "package.sh: $tool is missing (apt-get install dpkg-dev binutils)" >&2; exit 69; }
done

if [ -z "$bindir" ]; then
    version="$("$here/version.sh" --stamp)"
    echo "package.sh: building $version (release, static Swift runtime)"
    (cd "$repo" && swift build -c release --static-swift-stdlib 2>&1 | grep -E 'error:|Build complete') || true
    bindir="$(cd "$repo" && swift build -c release --static-swift-stdlib --show-bin-path)"
fi
for b in gonggu "${services[@]/#/gonggu-}"; do
    [ -x "$bindir/$b" ] || { echo "package.sh: $bindir/$b missing" >&2; exit 66; }
done
# The Swift runtime must be linked in: the target has no Swift toolchain.
if objdump -p "$bindir/gonggu-intake" | grep -q 'NEEDED.*libswiftCore'; then
    echo "package.sh: $bindir holds binaries linked against the shared Swift runtime; build with --static-swift-stdlib" >&2
    exit 65
fi
# The package's version is the one the binaries report (stamped at build time).
version="$("$bindir/gonggu-intake" --version | awk '{print $2}')"
case "$version" in
    ""|dev) echo "package.sh: $bindir holds unstamped binaries (version '$version'); run Services/version.sh --stamp and rebuild" >&2; exit 65 ;;
esac
arch="$(dpkg --print-architecture)"
date_text="$(date -u +%Y-%m-%d)"

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
root="$stage/gonggu"

# Binaries.
install -d -m 0755 "$root/usr/bin"
for b in gonggu "${services[@]/#/gonggu-}"; do
    install -m 0755 "$bindir/$b" "$root/usr/bin/$b"
    strip --remove-section=.comment --remove-section=.note --strip-unneeded "$root/usr/bin/$b"
done

# Units (the installed paths of the package).
install -d -m 0755 "$root/lib/systemd/system"
for s in "${services[@]}"; do
    sed 's#/usr/local/bin/#/usr/bin/#g; s#/usr/local/share/doc/#/usr/share/doc/#g' \
        "$here/gonggu-$s/systemd/gonggu-$s.service" >"$root/lib/systemd/system/gonggu-$s.service"
done
sed 's#/usr/local/share/doc/#/usr/share/doc/#g' "$here/gonggu.target" >"$root/lib/systemd/system/gonggu.target"
chmod 0644 "$root"/lib/systemd/system/*

# Configuration: readable by the service group (postinst gives it to gonggu).
install -d -m 0750 "$root/etc/gonggu" "$root/etc/gonggu/rules"
for s in "${services[@]}"; do install -m 0640 "$here/gonggu-$s/config.json" "$root/etc/gonggu/$s.json"; done
for r in risk verify; do install -m 0640 "$here/rules/$r.json" "$root/etc/gonggu/rules/$r.json"; done

# Documentation.
doc="$root/usr/share/doc/gonggu"
install -d -m 0755 "$doc"
install -m 0644 "$repo/docs/OPERATIONS.md" "$doc/OPERATIONS.md"
gzip -9n <"$repo/docs/CHANGELOG.md" >"$doc/CHANGELOG.md.gz"
install -m 0644 "$here/debian/copyright" "$doc/copyright"
# debian/changelog; a build that is not the release at its top gets an entry of its own.
changelog="$stage/changelog"
top="$(sed -n '1s/^[a-z0-9.+-]* (\([^)]*\)).*/\1/p' "$here/debian/changelog")"
if [ "$version" != "$top" ]; then
    {
        echo "gonggu ($version) UNRELEASED; urgency=medium"
        echo
        echo "  * Development build of $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo 'a tree outside git'),"
        echo "    leading up to or following $top."
        echo
        echo " -- $(sed -n 's/^ -- \(.*>\)  .*/\1/p' "$here/debian/changelog" | head -n 1)  $(date -u -R)"
        echo
        cat "$here/debian/changelog"
    } >"$changelog"
else
    cp "$here/debian/changelog" "$changelog"
fi
gzip -9n <"$changelog" >"$doc/changelog.gz"
chmod 0644 "$doc"/*

# Man pages.
man_escape() { sed -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/" -e 's/-/\\-/g'; }
install -d -m 0755 "$root/usr/share/man/man1" "$root/usr/share/man/man8"
usage="$("$bindir/gonggu" help | sed -n '/^commands:/,$p' | sed 1d | sed 's/^  //' | man_escape)"
awk -v usage="$usage" -v version="$version" -v date="$date_text" '
    { gsub(/@VERSION@/, version); gsub(/@DATE@/, date) }
    /^@USAGE@$/ { print usage; next }
    { print }' "$here/man/gonggu.1.in" | gzip -9n >"$root/usr/share/man/man1/gonggu.1.gz"
summary() {
    case "$1" in
        intake) echo "Gonggu intake: validates records and appends them as facts" ;;
        verify) echo "Gonggu benefit verifier" ;;
        risk) echo "Gonggu risk monitor" ;;
        notify) echo "Gonggu notifier" ;;
    esac
}
description() {
    case "$1" in
        intake) echo "It receives survey, subsidy and visit records from gonggu import and from CURVE clients, validates and normalises them, and appends the accepted ones to its log as facts; refused records are kept with their reason." ;;
        verify) echo "It follows the intake log and checks that every entitled household receives its benefits and that support continues after a household leaves poverty, by the verify rule document in force." ;;
        risk) echo "It follows the intake and verify logs and flags households at risk of returning to poverty, by the risk rule document in force." ;;
        notify) echo "It turns findings and recommendations into notifications for county bureaus and federation offices, delivers them over CURVE or as outbox files, follows acknowledgements, escalates overdue ones and forwards bureau decisions to intake." ;;
    esac
}
for s in "${services[@]}"; do
    sed -e "s/@SERVICE@/$s/g" -e "s/@SERVICE_UPPER@/${s^^}/g" -e "s/@VERSION@/$version/g" -e "s/@DATE@/$date_text/g" \
        -e "s|@SUMMARY@|$(summary "$s")|" -e "s|@DESCRIPTION@|$(description "$s")|" \
        "$here/man/gonggu-service.8.in" | gzip -9n >"$root/usr/share/man/man8/gonggu-$s.8.gz"
done
chmod 0644 "$root"/usr/share/man/man*/*

# Control files: dependencies from the binaries' shared libraries (dpkg-shlibdeps).
install -d -m 0755 "$root/DEBIAN"
mkdir -p "$stage/shlibs/debian"
printf 'Source: gonggu\n\nPackage: gonggu\nArchitecture: any\n' >"$stage/shlibs/debian/control"
depends="$(cd "$stage/shlibs" && dpkg-shlibdeps -O "${root}/usr/bin/"* 2>/dev/null | sed -n 's/^shlibs:Depends=//p')"
[ -n "$depends" ] || { echo "package.sh: dpkg-shlibdeps found no dependencies" >&2; exit 70; }
size="$(du -sk --exclude=DEBIAN "$root" | cut -f1)"
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" -e "s/@DEPENDS@/$depends/" \
    "$here/debian/control.in" >"$root/DEBIAN/control"
install -m 0644 "$here/debian/conffiles" "$root/DEBIAN/conffiles"
for script in postinst prerm postrm; do install -m 0755 "$here/debian/$script" "$root/DEBIAN/$script"; done
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -print0 | sort -z | xargs -0 md5sum | sed 's#  \./#  #') \
    >"$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/md5sums"

mkdir -p "$out"
deb="$out/gonggu_${version}_${arch}.deb"
# gzip: xz took 9 minutes for the ~300 MB of binaries on a loaded 2-core machine.
dpkg-deb --root-owner-group -Zgzip -z"${GONGGU_DEB_LEVEL:-6}" --build "$root" "$deb" >/dev/null
echo "package.sh: $(du -h "$deb" | cut -f1) $deb"
echo "$deb"
