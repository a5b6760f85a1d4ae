#!/usr/bin/env bash
# Docker smoke test of the Gonggu stack, entirely on this machine and on loopback:
#
#  1. installs what it needs with apt-get (docker.io, docker-compose, debootstrap, python3-zmq);
#  2. makes the runtime base image with `debootstrap --variant=minbase bookworm` + `docker import`
#     (the tarball is cached in $GONGGU_DOCKER_CACHE, default ~/.cache/gonggu-docker, keyed by its
#     recipe; the image is tagged by the tarball's SHA-256);
#  3. builds the host's release binaries (`swift build -c release --static-swift-stdlib`, cached
#     by a hash of the sources and the toolchain) and the image from docker/Dockerfile's `host`
#     target with DOCKER_BUILDKIT=0 — no registry is needed (the `build` stage, which uses the
#     official Swift image, is not run here);
#  4. starts its own dockerd (data root in a temporary folder, --bridge=none --iptables=false, own
#     socket) unless GONGGU_SMOKE_DOCKER_HOST names a daemon to use;
#  5. starts the stack with docker/compose.yaml + docker/compose.host.yaml (host network, every
#     endpoint on 127.0.0.1) through Debian's docker-compose, checks health, users and data-folder
#     permissions;
#  6. imports a simulated province from the host (`gonggu simulate` + `gonggu import` on intake's
#     control endpoint), ticks the assessment date, receives the bureau feedback on the host through
#     the published recipient port (`gonggu recipient`), and checks nothing is left pending;
#  7. kills one service (SIGKILL: Docker's restart policy brings it back) and checks it catches up
#     with the same state digest (control DIGEST) and last seq; stops another, moves its upstreams
#     on, starts it and checks it catches up (lag 0);
#  8. tears everything down (containers, volumes, images, the dockerd it started, temporary files)
#     and prints a PASS/FAIL summary with figures. Exit 0 on PASS or skip, 1 on FAIL.
#
# Skips (exit 0, "skipped: …") when not root and without password-less sudo, when the packages
# cannot be installed, when the Debian mirror cannot be reached, or when dockerd cannot start here.
#
# Environment: GONGGU_SMOKE_HOUSEHOLDS (300), GONGGU_DEBIAN_MIRROR (http://deb.debian.org/debian),
# GONGGU_DOCKER_CACHE, GONGGU_SMOKE_DOCKER_HOST (use this daemon instead of starting one),
# GONGGU_SMOKE_KEEP=1 (keep the temporary folder for inspection), GONGGU_SMOKE_BUILD, GONGGU_SMOKE_BIN_DIR
# (see step 3 below). `smoke-test.sh --check-cache` exits 0 when the base tarball is cached.
set -uo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        keep=GONGGU_SMOKE_BUILD,GONGGU_SMOKE_BIN_DIR,GONGGU_SMOKE_HOUSEHOLDS,GONGGU_DEBIAN_MIRROR
        keep+=,GONGGU_DOCKER_CACHE,GONGGU_SMOKE_DOCKER_HOST,GONGGU_SMOKE_KEEP,PATH
        exec sudo -n --preserve-env="$keep" \
            bash "$repo/docker/smoke-test.sh" "$@"
    fi
    echo "skipped: the Docker smoke test needs root or password-less sudo (dockerd, debootstrap)"
    exit 0
fi

households="${GONGGU_SMOKE_HOUSEHOLDS:-300}"
seed=2025
mirror="${GONGGU_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
cache="${GONGGU_DOCKER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gonggu-docker}"
runtime_packages="libzmq5,libsqlite3-0,libcurl4,ca-certificates"
# The base tarball's name is keyed by its recipe.
arch="$(dpkg --print-architecture)"
recipe="debootstrap --variant=minbase --include=$runtime_packages bookworm $arch $mirror; cleaned v1"
tarball="$cache/debian-bookworm-minbase-$(printf '%s' "$recipe" | sha256sum | cut -c1-16).tar"
if [ "${1:-}" = "--check-cache" ]; then
    # Exit 0 when the base tarball is cached (a warm run), 1 when a run would debootstrap first.
    [ -s "$tarball" ] && echo "$tarball" && exit 0
    exit 1
fi
project="gonggu-smoke-$$"
image="gonggu-smoke:$$"
started=$(date +%s)
work="$(mktemp -d /tmp/gonggu-smoke.XXXXXX)"
chmod 0711 "$work"
docker_cli=/usr/bin/docker
dockerd_pid=""
compose_up=0
checks_passed=0
checks_failed=0
declare -a phase_names=() phase_seconds=() figures=() failures=()
phase_start=$started

log() { printf '[%4ss] %s\n' "$(($(date +%s) - started))" "$*"; }
phase() {
    local now
    now=$(date +%s)
    phase_names+=("$1")
    phase_seconds+=($((now - phase_start)))
    phase_start=$now
}
figure() { figures+=("$1"); }
check() {
    # check DESCRIPTION CONDITION-COMMAND…: records a named check.
    local what="$1"
    shift
    if "$@"; then
        checks_passed=$((checks_passed + 1))
        log "ok    $what"
    else
        checks_failed=$((checks_failed + 1))
        failures+=("$what")
        log "FAIL  $what"
    fi
}
compose() {
    # compose.yaml + compose.host.yaml, through the helper that Debian's docker-compose 1.x needs.
    COMPOSE_PROJECT_NAME="$project" bash "$repo/docker/compose-host.sh" "$@"
}

summary() {
    local i total
    total=$(($(date +%s) - started))
    echo
    if [ "$checks_failed" -eq 0 ]; then echo "== Docker smoke test: PASS =="
    else echo "== Docker smoke test: FAIL =="; fi
    for f in "${figures[@]+"${figures[@]}"}"; do echo "  $f"; done
    printf '  timings        :'
    for i in "${!phase_names[@]}"; do printf ' %s %ss;' "${phase_names[$i]}" "${phase_seconds[$i]}"; done
    printf ' total %ss\n' "$total"
    for f in "${failures[@]+"${failures[@]}"}"; do echo "  failed: $f"; done
    echo "  checks         : $checks_passed of $((checks_passed + checks_failed)) passed"
}

# Stops and removes everything this run made; idempotent (called at the end and on any exit).
torn_down=0
stop_everything() {
    [ "$torn_down" -eq 1 ] && return 0
    torn_down=1
    if [ "$compose_up" -eq 1 ]; then
        if [ "$checks_failed" -gt 0 ]; then
            log "container logs (last 30 lines each):"
            compose logs --no-color --tail=30 2>&1 | sed 's/^/    /'
        fi
        compose down -v --remove-orphans --timeout 30 >"$work/compose-down.log" 2>&1 \
            || log "docker-compose down failed: $(tail -1 "$work/compose-down.log")"
        left="$("$docker_cli" ps -aq --filter "label=com.docker.compose.project=$project" | wc -l)"
        volumes_left="$("$docker_cli" volume ls -q --filter "label=com.docker.compose.project=$project" | wc -l)"
        figure "teardown       : docker-compose down -v: $left containers and $volumes_left volumes left"
        compose_up=0
    fi
    if [ -n "${GONGGU_SMOKE_DOCKER_HOST:-}" ] && [ "${built_image:-0}" -eq 1 ]; then
        "$docker_cli" rmi -f "$image" ${base_image:+"$base_image"} >/dev/null 2>&1 || true
    fi
    if [ -n "$dockerd_pid" ]; then
        kill -TERM "$dockerd_pid" 2>/dev/null
        for _ in $(seq 1 60); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 0.5; done
        if kill -0 "$dockerd_pid" 2>/dev/null; then
            log "dockerd did not stop within 30 s; killing it"
            kill -KILL "$dockerd_pid" 2>/dev/null
        fi
        wait "$dockerd_pid" 2>/dev/null
        # Mounts a killed daemon may leave under the temporary folder.
        findmnt -rn -o TARGET 2>/dev/null | grep "^$work/" | sort -r | while read -r m; do umount -l "$m"; done
        figure "dockerd        : started for this run (pid $dockerd_pid) and stopped"
        dockerd_pid=""
    fi
    if [ "${GONGGU_SMOKE_KEEP:-0}" = "1" ]; then
        log "kept $work"
    else
        rm -rf "$work"
    fi
}
trap 'stop_everything' EXIT
trap 'abort=1; exit 1' INT TERM

skip() {
    echo "skipped: $*"
    exit 0
}
abort() {
    # A step the rest depends on failed: summary and exit 1.
    abort=1
    checks_failed=$((checks_failed + 1))
    failures+=("$1")
    log "FAIL  $1"
    stop_everything
    summary
    exit 1
}

# ---------------------------------------------------------------------------------------------
# 1. Packages
need=()
[ -x /usr/sbin/dockerd ] || need+=(docker.io)
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
/usr/bin/python3 -c 'import zmq' >/dev/null 2>&1 || need+=(python3-zmq)
# A static release build links Foundation's networking against libcurl's development symlink.
if [ "${GONGGU_SMOKE_BUILD:-release}" = release ] && [ -z "${GONGGU_SMOKE_BIN_DIR:-}" ]; then
    dpkg-query -W -f='${Status}' libcurl4-openssl-dev 2>/dev/null | grep -q "install ok installed" \
        || need+=(libcurl4-openssl-dev)
fi
if [ ${#need[@]} -gt 0 ]; then
    log "installing ${need[*]} (apt-get)"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${need[@]}"; } >"$work/apt.log" 2>&1; then
        tail -5 "$work/apt.log"
        skip "cannot install ${need[*]} with apt-get (no Debian mirror reachable?)"
    fi
fi
[ -x /usr/bin/docker ] || docker_cli="$(command -v docker)"
phase "packages"
# The stack runs on the host's network: its ports must be free.
ports_re=':(710[123]|711[12]|712[12]|713[123])$'
busy="$(ss -ltnH 2>/dev/null | awk '{print $4}' | grep -E "$ports_re" | tr '\n' ' ' || true)"
[ -z "$busy" ] || skip "Gonggu's ports are in use on this host ($busy): another deployment runs here"

# ---------------------------------------------------------------------------------------------
# 2. Base image tarball (debootstrap), cached by recipe
mkdir -p "$cache"
if [ -s "$tarball" ]; then
    log "base tarball cached: $tarball"
    figure "base image     : $(basename "$tarball") (cached; recipe: $recipe)"
else
    if ! /usr/bin/python3 - "$mirror" <<'EOF' >/dev/null 2>&1; then
import sys, urllib.request
urllib.request.urlopen(urllib.request.Request(sys.argv[1] + "/dists/bookworm/InRelease", method="HEAD"), timeout=20)
EOF
        skip "the Debian mirror $mirror cannot be reached (needed once to make the base image)"
    fi
    log "debootstrap --variant=minbase bookworm (+ $runtime_packages) from $mirror"
    rootfs="$work/rootfs"
    if ! debootstrap --variant=minbase --include="$runtime_packages" bookworm "$rootfs" "$mirror" \
        >"$work/debootstrap.log" 2>&1; then
        tail -5 "$work/debootstrap.log"
        if grep -qiE 'Failed getting release file|Couldn.t download|Temporary failure|Could not resolve' \
            "$work/debootstrap.log"; then
            skip "debootstrap could not download from $mirror"
        fi
        abort "debootstrap failed (see the lines above)"
    fi
    # What a slim image leaves out: package lists, downloaded packages, device nodes, logs.
    rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/apt/*.bin \
        "$rootfs"/var/log/* "$rootfs"/tmp/*
    tar --numeric-owner --xattrs -C "$rootfs" --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' \
        -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
    rm -rf "$rootfs"
    # Keep only this recipe's tarball.
    find "$cache" -maxdepth 1 -name 'debian-bookworm-minbase-*.tar' ! -name "$(basename "$tarball")" -delete
    figure "base image     : $(basename "$tarball") (made now; recipe: $recipe)"
fi
base_sha="$(sha256sum "$tarball" | cut -c1-12)"
base_image="gonggu-smoke-base:bookworm-$base_sha"
phase "base tarball"

# ---------------------------------------------------------------------------------------------
# 3. Host binaries: where the image's binaries come from (the Dockerfile's `host` target)
#    GONGGU_SMOKE_BIN_DIR=DIR   binaries already built (release or debug) in DIR
#    GONGGU_SMOKE_BUILD=release (default) `swift build -c release --static-swift-stdlib` in .build-docker,
#                               cached in $cache/bin-KEY, KEY a hash of the sources and the toolchain
#    GONGGU_SMOKE_BUILD=debug   the test suite's debug build (.build), linked against the toolchain's
#                               Swift runtime, whose libraries then go into the image beside them
export PATH="$PATH:/opt/swift/usr/bin"
products=(gonggu gonggu-intake gonggu-risk gonggu-verify gonggu-notify)
build_mode="${GONGGU_SMOKE_BUILD:-release}"
if [ -n "${GONGGU_SMOKE_BIN_DIR:-}" ]; then
    bin_dir="$(cd "$GONGGU_SMOKE_BIN_DIR" && pwd)" || abort "GONGGU_SMOKE_BIN_DIR $GONGGU_SMOKE_BIN_DIR is not a folder"
    figure "host binaries  : given in $bin_dir"
else
    command -v swift >/dev/null 2>&1 || abort "no Swift toolchain on PATH (the host variant builds on the host)"
    case "$build_mode" in
    release)
        src_key="$( { swift --version 2>&1; cd "$repo" && find Package.swift Sources Services -type f -print0 \
            | sort -z | xargs -0 sha256sum; } | sha256sum | cut -c1-16)"
        bin_dir="$cache/bin-$src_key"
        if [ -x "$bin_dir/gonggu-notify" ]; then
            log "release binaries cached: $bin_dir"
            figure "host binaries  : release, --static-swift-stdlib, cached (sources $src_key)"
        else
            log "swift build -c release --static-swift-stdlib (sources $src_key; takes minutes)"
            scratch="$repo/.build-docker"
            if ! (cd "$repo" && swift build -c release --static-swift-stdlib --scratch-path "$scratch" \
                >"$work/swift-build.log" 2>&1); then
                grep -E 'error:' "$work/swift-build.log" | head -20
                abort "swift build -c release --static-swift-stdlib failed"
            fi
            out="$(cd "$repo" && swift build -c release --static-swift-stdlib --scratch-path "$scratch" \
                --show-bin-path)"
            rm -rf "$bin_dir.tmp" && mkdir -p "$bin_dir.tmp"
            for p in "${products[@]}"; do install -m 0755 "$out/$p" "$bin_dir.tmp/$p" && strip "$bin_dir.tmp/$p"; done
            rm -rf "$bin_dir" && mv "$bin_dir.tmp" "$bin_dir"
            find "$cache" -maxdepth 1 -type d -name 'bin-*' ! -name "bin-$src_key" -exec rm -rf {} +
            figure "host binaries  : release, --static-swift-stdlib, built now (sources $src_key)"
        fi
        ;;
    debug)
        log "swift build (debug; up to date after the test suite)"
        if ! (cd "$repo" && swift build >"$work/swift-build.log" 2>&1); then
            grep -E 'error:' "$work/swift-build.log" | head -20
            abort "swift build (debug) failed"
        fi
        bin_dir="$(cd "$repo" && swift build --show-bin-path)"
        figure "host binaries  : debug build of the test suite, Swift runtime libraries copied beside them"
        ;;
    *) abort "GONGGU_SMOKE_BUILD must be release or debug, not $build_mode" ;;
    esac
fi
gonggu="$bin_dir/gonggu"
mkdir -p "$work/context/bin" "$work/context/Services"
# The default rule documents the image carries in /etc/gonggu/rules/.
cp -R "$repo/Services/rules" "$work/context/Services/rules"
for p in "${products[@]}"; do
    [ -x "$bin_dir/$p" ] || abort "$bin_dir/$p is missing"
    cp "$bin_dir/$p" "$work/context/bin/"
done
# Dynamically linked binaries find the toolchain's Swift runtime beside them (RUNPATH $ORIGIN).
swift_libs="$(dirname "$(dirname "$(readlink -f "$(command -v swift || echo /opt/swift/usr/bin/swift)")")")/lib/swift"
runtime_libs="$(for p in "${products[@]}"; do ldd "$bin_dir/$p"; done | awk '{print $3}' \
    | grep "^$swift_libs/" | sort -u)"
[ -z "$runtime_libs" ] || cp $runtime_libs "$work/context/bin/"
libs_count="$(printf '%s' "$runtime_libs" | grep -c . || true)"
figure "image contents : ${#products[@]} binaries, $libs_count Swift runtime libraries"
phase "host binaries"

# ---------------------------------------------------------------------------------------------
# 4. Docker daemon
if [ -n "${GONGGU_SMOKE_DOCKER_HOST:-}" ]; then
    export DOCKER_HOST="$GONGGU_SMOKE_DOCKER_HOST"
    "$docker_cli" version >/dev/null 2>&1 || abort "no Docker daemon answers at $DOCKER_HOST"
    log "using the Docker daemon at $DOCKER_HOST"
else
    mkdir -p "$work/docker"
    export DOCKER_HOST="unix://$work/docker/docker.sock"
    /usr/sbin/dockerd --data-root "$work/docker/root" --exec-root "$work/docker/exec" \
        --pidfile "$work/docker/dockerd.pid" -H "$DOCKER_HOST" \
        --bridge=none --iptables=false --ip6tables=false --ip-masq=false --userland-proxy=false \
        >"$work/docker/dockerd.log" 2>&1 &
    dockerd_pid=$!
    for _ in $(seq 1 120); do
        "$docker_cli" version >/dev/null 2>&1 && break
        kill -0 "$dockerd_pid" 2>/dev/null || break
        sleep 0.5
    done
    if ! "$docker_cli" version >/dev/null 2>&1; then
        tail -5 "$work/docker/dockerd.log"
        skip "dockerd does not start on this machine (see the lines above)"
    fi
    log "dockerd $("$docker_cli" version -f '{{.Server.Version}}') on $DOCKER_HOST (no bridge, no iptables)"
fi
export DOCKER_BUILDKIT=0 COMPOSE_DOCKER_CLI_BUILD=0
phase "dockerd"

# ---------------------------------------------------------------------------------------------
# 5. Images
"$docker_cli" import "$tarball" "$base_image" >/dev/null || abort "docker import of the base tarball failed"
log "imported $base_image"
built_image=1
if ! "$docker_cli" build --network none -f "$repo/docker/Dockerfile" --target host \
    --build-arg RUNTIME_IMAGE="$base_image" -t "$image" "$work/context" >"$work/docker-build.log" 2>&1; then
    tail -20 "$work/docker-build.log"
    abort "docker build (target host) failed"
fi
image_mb=$(( $("$docker_cli" image inspect -f '{{.Size}}' "$image") / 1000000 ))
base_mb=$(( $("$docker_cli" image inspect -f '{{.Size}}' "$base_image") / 1000000 ))
figure "build variant  : docker/Dockerfile --target host (binaries built on this host), RUNTIME_IMAGE=$base_image"
figure "image          : $image $image_mb MB (base $base_mb MB)"
log "built $image ($image_mb MB)"
phase "image build"

# ---------------------------------------------------------------------------------------------
# 6. Simulated province, deployment folder, stack
"$gonggu" simulate --households "$households" --seed "$seed" --out "$work/province" >"$work/simulate.log" \
    || abort "gonggu simulate failed"
facts="$(/usr/bin/python3 - "$work/province" <<'EOF'
import json, sys
d = sys.argv[1]
m = json.load(open(d + "/manifest.json"))
t = json.load(open(d + "/ground-truth.json"))
print("reference_date=%s" % m["referenceDate"])
print("files=(%s)" % " ".join("%s:%s" % (f["file"], f["kind"]) for f in m["files"]))
for k in ("read", "accepted", "duplicate", "rejected"):
    print("expected_%s=%d" % (k, sum(f[k] for f in t["files"])))
EOF
)" || abort "cannot read the simulated province's manifest and ground truth"
eval "$facts"
# Recipients: the province bureau and every county bureau that appears in the simulated data.
counties="$(tail -n +2 "$work/province/household.csv" | cut -d, -f2 | cut -c1-6 | sort -u)"
recipient_args=(--recipient "22-bureau,bureau,province,22,吉林省乡村振兴局")
for c in $counties; do recipient_args+=(--recipient "$c-bureau,bureau,county,$c,$c 乡村振兴局,22-bureau"); done
GONGGU_IMAGE="$image" bash "$repo/docker/init-deployment.sh" --image "$image" "${recipient_args[@]}" \
    "$work/deployment" >"$work/init.log" 2>&1 || { cat "$work/init.log"; abort "init-deployment.sh failed"; }
log "deployment folder: $(grep -c '"id"' "$work/deployment/config/recipients.json") recipients, keys for uid 10001"
# Control endpoints on TCP are CURVE servers: the host's gonggu and smoke_control.py use the operator key.
export GONGGU_OPERATOR_KEY_FILE="$work/deployment/operator-keys/operator.key"
for s in intake verify risk notify; do
    export "GONGGU_${s^^}_SERVER_PUBLIC_KEY_FILE=$work/deployment/operator-keys/link-$s.pub"
done
# The CLI's default is the local socket of a service on this host; the containers' control ports are
# published on 127.0.0.1 (compose.host.yaml), so the host's gonggu is pointed at them.
export GONGGU_INTAKE_CONTROL=tcp://127.0.0.1:7102 GONGGU_VERIFY_CONTROL=tcp://127.0.0.1:7122
export GONGGU_RISK_CONTROL=tcp://127.0.0.1:7112 GONGGU_NOTIFY_CONTROL=tcp://127.0.0.1:7132

export GONGGU_IMAGE="$image" GONGGU_DEPLOYMENT="$work/deployment"
docker-compose -f "$repo/docker/compose.yaml" config -q || abort "docker-compose config (compose.yaml) is invalid"
docker-compose -f "$repo/docker/compose.yaml" -f "$repo/docker/compose.host.yaml" config -q \
    || abort "docker-compose config (compose.yaml + compose.host.yaml) is invalid"
compose_up=1
compose up -d --no-build >"$work/compose-up.log" 2>&1 \
    || { cat "$work/compose-up.log"; abort "docker-compose up failed"; }
up_started=$(date +%s)
containers=()
for s in intake verify risk notify; do containers+=("$(compose ps -q "gonggu-$s")"); done
healthy_all() {
    [ "$("$docker_cli" inspect -f '{{.State.Health.Status}}' "${containers[@]}" 2>/dev/null | sort -u)" = healthy ]
}
for _ in $(seq 1 90); do healthy_all && break; sleep 1; done
check "all four containers report healthy ($(($(date +%s) - up_started)) s after up)" healthy_all
services=(intake verify risk notify)
probes=""
for i in "${!containers[@]}"; do
    probes+=" ${services[$i]} "
    probes+="$("$docker_cli" inspect -f '{{range .State.Health.Log}}{{.ExitCode}}{{end}}' "${containers[$i]}")"
done
figure "healthy after  : $(($(date +%s) - up_started)) s (health probe exit codes:$probes; interval 10 s)"
phase "stack up"

container_user_ok() {
    local c s facts
    for s in intake verify risk notify; do
        c="$(compose ps -q "gonggu-$s")"
        facts="$("$docker_cli" exec "$c" sh -c 'id -u; stat -c "%a %U" /var/lib/gonggu; \
            find /var/lib/gonggu -type f -perm /077 | wc -l; ls /var/lib/gonggu/*.log.sqlite' | tr '\n' ' ')"
        [ "$facts" = "10001 700 gonggu 0 /var/lib/gonggu/$s.log.sqlite " ] || { log "$s: $facts"; return 1; }
    done
}
check "services run as uid 10001; data folders 0700 gonggu; no file readable by others" container_user_ok
only_loopback() {
    # Every listening socket on the services' ports is on 127.0.0.1.
    local lines
    lines="$(ss -ltnH | awk '{print $4}' | grep -E "$ports_re")"
    [ "$(printf '%s\n' "$lines" | grep -c .)" -eq 10 ] && ! printf '%s\n' "$lines" | grep -vq '^127\.0\.0\.1:'
}
check "the ten endpoints listen on 127.0.0.1 only" only_loopback
phase "checks"

# ---------------------------------------------------------------------------------------------
# 7. Import from the host, tick, bureau feedback
ctl() { /usr/bin/python3 "$repo/docker/smoke_control.py" "$@"; }
# pj EXPR JSON…: prints a Python expression over JSON documents, the first as `a`, the second as `b`.
pj() {
    /usr/bin/python3 -c 'import json, sys
docs = [json.loads(x) for x in sys.argv[2:]] + [None, None]
print(eval(sys.argv[1], {"a": docs[0], "b": docs[1]}))' "$@"
}
read_total=0 accepted_total=0 duplicate_total=0 rejected_total=0
import_ok=1
for entry in "${files[@]}"; do
    f="${entry%%:*}" kind="${entry#*:}"
    line="$("$gonggu" import "$work/province/$f" --kind "$kind" --control tcp://127.0.0.1:7102 --allow-rejects --quiet \
        | grep '^imported ')" || { import_ok=0; log "import of $f failed"; continue; }
    read -r r a d j <<<"$(sed -E \
        's/.*read ([0-9]+), accepted ([0-9]+), duplicate ([0-9]+), rejected ([0-9]+).*/\1 \2 \3 \4/' <<<"$line")"
    read_total=$((read_total + r)) accepted_total=$((accepted_total + a))
    duplicate_total=$((duplicate_total + d)) rejected_total=$((rejected_total + j))
done
figure "import         : ${#files[@]} files, read $read_total = accepted $accepted_total \
+ duplicate $duplicate_total + rejected $rejected_total"
check "every file imported through intake's control endpoint" test "$import_ok" -eq 1
check "import counts equal the simulation's ground truth (read $expected_read, rejected $expected_rejected)" \
    test "$read_total/$accepted_total/$duplicate_total/$rejected_total" \
    = "$expected_read/$expected_accepted/$expected_duplicate/$expected_rejected"
ctl wait-idle --timeout 300 >"$work/idle1.json" || abort "the pipeline did not become idle after the import"
phase "import"
tick_ok=1
for s in verify risk notify; do
    "$gonggu" tick "$reference_date" --service "$s" >"$work/tick-$s.txt" 2>&1 \
        || { tick_ok=0; sed "s/^/    tick $s: /" "$work/tick-$s.txt" >&2; }
    ctl wait-idle --timeout 300 >"$work/idle-tick-$s.txt" 2>&1 \
        || { tick_ok=0; echo "    not idle after the tick to $s:" >&2; tail -n 5 "$work/idle-tick-$s.txt" >&2; }
done
check "assessment-date tick $reference_date taken by verify, risk and notify" test "$tick_ok" -eq 1

# The county bureau with the most waiting notifications connects from the host through port 7133.
bureaus=(); for c in $counties; do bureaus+=("$c-bureau"); done
pending_json="$(ctl pending "${bureaus[@]}")" || abort "PENDING failed"
read -r bureau bureau_pending <<<"$(pj '" ".join(map(str, max(sorted(a.items()), key=lambda kv: kv[1])))' \
    "$pending_json")"
total_pending="$(pj 'sum(a.values())' "$pending_json")"
keys="$work/deployment/recipient-keys"
"$gonggu" recipient --key "$keys/$bureau.key" --server-key "$keys/notify.pub" --endpoint tcp://127.0.0.1:7133 \
    --json --idle-seconds 3 >"$work/bureau.jsonl" 2>"$work/bureau.err"
received="$(grep -c '"type":"notification"' "$work/bureau.jsonl" || true)"
feedback="$(grep '"type":"notification"' "$work/bureau.jsonl" | grep -c '"eventType":"RiskFeedback"' || true)"
ctl wait-idle --timeout 120 >/dev/null
after_pending="$(pj "a['$bureau']" "$(ctl pending "$bureau")")"
figure "bureau         : $bureau received $received notifications ($feedback RiskFeedback) of $bureau_pending \
pending; $total_pending pending for all county bureaus; $(cat "$work/bureau.err")"
check "bureau $bureau received its risk feedback on the host through port 7133 ($received notifications)" \
    test "$received" -gt 0 -a "$received" -eq "$bureau_pending" -a "$feedback" -gt 0
check "every notification acknowledged: nothing pending for $bureau" test "$after_pending" = 0
phase "ticks + bureau"

# ---------------------------------------------------------------------------------------------
# 8. Restarts
digest_of() { pj "'%s %s' % (a['$2']['digest'], a['$2']['lastSeq'])" "$1"; }
before="$(ctl digests)" || abort "DIGEST failed"
risk_container="$(compose ps -q gonggu-risk)"
risk_pid="$("$docker_cli" inspect -f '{{.State.Pid}}' "$risk_container")"
kill -KILL "$risk_pid"
crash_at=$(date +%s)
restarted() {
    local count running
    read -r count running <<<"$("$docker_cli" inspect -f '{{.RestartCount}} {{.State.Running}}' "$risk_container")"
    [ "$count" -ge 1 ] && [ "$running" = true ]
}
for _ in $(seq 1 120); do restarted && break; sleep 0.5; done
check "gonggu-risk killed (SIGKILL) and restarted by Docker's restart policy" restarted
ctl wait-ready risk --timeout 120 && ctl wait-idle --timeout 120 >/dev/null
caught_up=$(($(date +%s) - crash_at))
after="$(ctl digests)" || abort "DIGEST after the restart failed"
read -r d1 s1 <<<"$(digest_of "$before" risk)"
read -r d2 s2 <<<"$(digest_of "$after" risk)"
figure "risk crash     : restarted and caught up in $caught_up s; \
digest ${d1:0:16}… seq $s1 → ${d2:0:16}… seq $s2"
check "gonggu-risk caught up: lag 0, same state digest and last seq as before the crash" test "$d1 $s1" = "$d2 $s2"
check "the other services' digests did not change" test \
    "$(pj 'all(a[s] == b[s] for s in ("intake", "verify", "notify"))' "$before" "$after")" = True

# The notifier is stopped while its upstreams move on (a month later: ticks to verify and risk), then
# started: it must catch up on everything it missed.
read -r _ notify_before <<<"$(digest_of "$after" notify)"
compose stop gonggu-notify >/dev/null 2>&1
later="$(date -u -d "$reference_date + 31 days" +%Y-%m-%d)"
"$gonggu" tick "$later" --service verify >/dev/null && "$gonggu" tick "$later" --service risk >/dev/null
moved="$(pj '"%s %s" % (a["verify"]["lastSeq"], a["risk"]["lastSeq"])' "$(ctl status)")"
compose start gonggu-notify >/dev/null 2>&1
start_at=$(date +%s)
ctl wait-ready notify --timeout 120 && ctl wait-idle --timeout 120 >"$work/idle2.json"
idle2=$?
notify_after="$(pj 'a["notify"]' "$(cat "$work/idle2.json")" 2>/dev/null || echo 0)"
cursors="$(pj '" ".join("%s=%d/%d" % (u["stream"], u["cursor"], u["latest"]) for u in a["notify"]["upstreams"])' \
    "$(ctl status)")"
figure "notify restart : stopped while verify/risk moved to seq $moved (tick $later); caught up in \
$(($(date +%s) - start_at)) s, log seq $notify_before → $notify_after, cursors $cursors"
check "gonggu-notify caught up after a stop (lag 0 on risk and verify, log moved on)" \
    test "$idle2" -eq 0 -a "$notify_after" -gt "$notify_before"
for _ in $(seq 1 60); do healthy_all && break; sleep 1; done
check "all four containers healthy at the end" healthy_all
phase "restarts"

# ---------------------------------------------------------------------------------------------
# 9. Teardown
stop_everything
phase "teardown"
summary
[ "$checks_failed" -eq 0 ]
