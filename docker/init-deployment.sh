#!/usr/bin/env bash
# Lays out the folder that docker/compose.yaml mounts read-only into the containers:
#
#   DIR/config/{intake,verify,risk,notify}.json     service configuration (copied from docker/config/)
#   DIR/config/recipients.json                      the notifier's recipient directory
#   DIR/keys/{intake,notify,notify-client}.key|.pub CURVE keys of the services: folder 0700, secret
#                                                   files 0600, owned by the containers' user 10001
#   DIR/keys/link-{intake,verify,risk,notify}.key   each service's key for the internal links (publish,
#                                                   replay, control over TCP with CURVE)
#   DIR/operator-keys/operator.key, link-*.pub      the operator's key (role admin) and the services'
#                                                   public keys, for gonggu/smoke tests on the host
#   DIR/recipient-keys/ID.key|.pub, notify.pub      keys to hand to each recipient (--recipient)
#
# usage: docker/init-deployment.sh [--image IMAGE | --gonggu PATH] [--directory FILE]
#                                  [--recipient 'ID,KIND,LEVEL,REGION,NAME[,ESCALATE_TO]']… DIR
#
#   --image IMAGE     run this script inside IMAGE, as root, with its gonggu CLI (default
#                     gonggu:0.1.0): needs only docker on the host
#   --gonggu PATH     use a gonggu CLI on this host instead (run as root: the keys are given to 10001)
#   --directory FILE  use this recipient directory document as DIR/config/recipients.json
#   --recipient SPEC  add a recipient to a new directory and make its key pair. KIND bureau|office,
#                     LEVEL county|city|province, REGION its 6/4/2-digit code, ESCALATE_TO the id of a
#                     recipient one level up. Bureaus receive over ZeroMQ (port 7133), offices as
#                     daily outbox files in the notifier's data volume.
#
# Idempotent: existing keys and files are kept (delete one to have it made anew).
set -euo pipefail

uid=10001
image="${GONGGU_IMAGE:-gonggu:0.1.0}"
gonggu=""
directory=""
recipients=()
args=("$@")

usage() { sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 64; }
while [ $# -gt 0 ]; do
    case "$1" in
        --image) image="$2"; shift 2 ;;
        --gonggu) gonggu="$2"; shift 2 ;;
        --directory) directory="$2"; shift 2 ;;
        --recipient) recipients+=("$2"); shift 2 ;;
        -h|--help) usage ;;
        -*) echo "init-deployment: unknown option $1" >&2; usage ;;
        *) break ;;
    esac
done
[ $# -eq 1 ] || usage
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$1"
dir="$(cd "$1" && pwd)"

if [ -z "$gonggu" ]; then
    # Run inside the image as root, with this folder and the deployment folder mounted at their
    # own paths; files meant for people (config, recipient keys) are given back to the caller.
    docker_cli="$(command -v docker || true)"
    [ -x /usr/bin/docker ] && docker_cli=/usr/bin/docker
    [ -n "$docker_cli" ] || { echo "init-deployment: docker not found; use --gonggu PATH" >&2; exit 69; }
    mounts=(-v "$here:$here:ro" -v "$dir:$dir")
    if [ -n "$directory" ]; then
        directory="$(cd "$(dirname "$directory")" && pwd)/$(basename "$directory")"
        mounts+=(-v "$directory:$directory:ro")
    fi
    rest=()
    skip=0
    for a in "${args[@]}"; do
        if [ $skip -eq 1 ]; then skip=0; continue; fi
        case "$a" in
            --image) skip=1 ;;
            --directory) skip=1 ;;
            *) rest+=("$a") ;;
        esac
    done
    rest=("${rest[@]:0:${#rest[@]}-1}")
    [ -n "$directory" ] && rest+=(--directory "$directory")
    exec "$docker_cli" run --rm --network none --user 0:0 "${mounts[@]}" \
        -e GONGGU_INIT_OWNER="$(id -u):$(id -g)" --entrypoint bash "$image" \
        "$here/init-deployment.sh" --gonggu /usr/local/bin/gonggu "${rest[@]+"${rest[@]}"}" "$dir"
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "init-deployment: run as root (or without --gonggu) so the keys can be given to uid $uid" >&2
    exit 77
fi
owner="${GONGGU_INIT_OWNER:-$(id -u):$(id -g)}"

# Service configuration.
mkdir -p "$dir/config"
for s in intake verify risk notify; do
    if [ ! -e "$dir/config/$s.json" ]; then
        install -m 0644 "$here/config/$s.json" "$dir/config/$s.json"
        echo "wrote config/$s.json"
    fi
done

# Service keys.
install -d -m 0700 "$dir/keys"
for name in intake notify notify-client link-intake link-verify link-risk link-notify operator; do
    # The operator's secret key leaves the services' folder (below): it is made only once.
    [ "$name" = operator ] && [ -e "$dir/operator-keys/operator.key" ] && continue
    if [ ! -e "$dir/keys/$name.key" ]; then
        "$gonggu" keys new "$name" --dir "$dir/keys" >/dev/null
        echo "created keys/$name.key and keys/$name.pub"
    fi
done
# The operator's key pair and the services' public keys, for the host (docs/OPERATIONS.md §12).
install -d -m 0700 "$dir/operator-keys"
if [ -e "$dir/keys/operator.key" ]; then
    install -m 0600 "$dir/keys/operator.key" "$dir/operator-keys/operator.key"
    rm -f "$dir/keys/operator.key"
fi
for f in operator.pub link-intake.pub link-verify.pub link-risk.pub link-notify.pub; do
    install -m 0644 "$dir/keys/$f" "$dir/operator-keys/$f"
done
chown -R "$uid:$uid" "$dir/keys"
chmod 0700 "$dir/keys"

# Recipient keys (for the recipients, not the containers) and the directory document.
install -d -m 0700 "$dir/recipient-keys"
install -m 0644 "$dir/keys/notify.pub" "$dir/recipient-keys/notify.pub"
json_string() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"; }
if [ -n "$directory" ]; then
    install -m 0644 "$directory" "$dir/config/recipients.json"
    echo "wrote config/recipients.json (from $directory)"
elif [ ! -e "$dir/config/recipients.json" ]; then
    entries=()
    for spec in "${recipients[@]+"${recipients[@]}"}"; do
        IFS=, read -r id kind level region name escalate <<<"$spec"
        if [ -z "$id" ] || [ -z "$kind" ] || [ -z "$level" ] || [ -z "$region" ] || [ -z "$name" ]; then
            echo "init-deployment: --recipient needs ID,KIND,LEVEL,REGION,NAME[,ESCALATE_TO]: $spec" >&2
            exit 64
        fi
        [ -e "$dir/recipient-keys/$id.key" ] || "$gonggu" keys new "$id" --dir "$dir/recipient-keys" >/dev/null
        public="$(sed -n 's/^public *= *//p' "$dir/recipient-keys/$id.pub")"
        channel=zmq
        [ "$kind" = office ] && channel=outbox
        entry="{\"id\": $(json_string "$id"), \"name\": $(json_string "$name"), \"kind\": $(json_string "$kind"),"
        entry+=" \"level\": $(json_string "$level"), \"region\": $(json_string "$region"),"
        entry+=" \"publicKey\": $(json_string "$public"),"
        [ -z "$escalate" ] || entry+=" \"escalateTo\": $(json_string "$escalate"),"
        entry+=" \"channels\": [{\"type\": \"$channel\"}], \"revoked\": false}"
        entries+=("$entry")
    done
    {
        printf '{\n    "version": "%s",\n    "escalation": { "afterDays": 7 },\n    "recipients": [' \
            "$(date -u +%Y%m%d%H%M%S)"
        sep=""
        for e in "${entries[@]+"${entries[@]}"}"; do printf '%s\n        %s' "$sep" "$e"; sep=","; done
        printf '\n    ]\n}\n'
    } >"$dir/config/recipients.json"
    chmod 0644 "$dir/config/recipients.json"
    echo "wrote config/recipients.json (${#entries[@]} recipients)"
fi
chown "$owner" "$dir" "$dir/config" "$dir/config/"*.json
chown -R "$owner" "$dir/recipient-keys" "$dir/operator-keys"
echo "deployment folder ready: $dir (keys owned by uid $uid)"
echo "hand recipient-keys/ID.key and recipient-keys/notify.pub to each recipient"
