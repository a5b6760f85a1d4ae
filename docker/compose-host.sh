#!/usr/bin/env bash
# docker-compose on docker/compose.yaml + docker/compose.host.yaml for Debian's docker-compose 1.x:
# its Docker client refuses published ports under host networking ("host" network_mode is
# incompatible with port_bindings) and an override cannot remove a list entry, so this renders the
# two files into one, drops `ports` from the services on the host network (every endpoint is bound
# to 127.0.0.1 there, nothing to publish), and runs docker-compose on the result.
#
# usage: docker/compose-host.sh COMMAND [ARGS…]      e.g. up -d, ps, logs gonggu-risk, down
# The project name is $COMPOSE_PROJECT_NAME (default gonggu); the other variables are those of
# docker/compose.yaml (GONGGU_IMAGE, GONGGU_DEPLOYMENT, …).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
rendered="$(mktemp "${TMPDIR:-/tmp}/gonggu-compose.XXXXXX")"
trap 'rm -f "$rendered" "$rendered.raw"' EXIT
docker-compose -f "$here/compose.yaml" -f "$here/compose.host.yaml" config >"$rendered.raw"
/usr/bin/python3 - "$rendered.raw" "$rendered" <<'PY'
import sys
import yaml
with open(sys.argv[1], encoding="utf-8") as f:
    config = yaml.safe_load(f)
for service in config.get("services", {}).values():
    if service.get("network_mode") == "host":
        service.pop("ports", None)
with open(sys.argv[2], "w", encoding="utf-8") as f:
    yaml.safe_dump(config, f, allow_unicode=True, sort_keys=False)
PY
docker-compose -p "${COMPOSE_PROJECT_NAME:-gonggu}" -f "$rendered" "$@"
