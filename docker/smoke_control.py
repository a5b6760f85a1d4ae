#!/usr/bin/python3
"""Control-socket helper of docker/smoke-test.sh (Python 3, Debian's python3-zmq).

Speaks the services' control protocol (DEALER -> ROUTER, frames [command, JSON body], reply
[status, JSON body, ...]) on the loopback endpoints of a one-host deployment.

usage: smoke_control.py call SERVICE COMMAND [BODY]       print the reply body; exit 1 unless OK
       smoke_control.py wait-ready SERVICE… [--timeout S] until each answers PING
       smoke_control.py wait-idle [--timeout S]           until every cursor equals its upstream's
                                                          last seq and the logs stopped moving;
                                                          prints {service: lastSeq}
       smoke_control.py digests                           {service: {digest, lastSeq}} (DIGEST)
       smoke_control.py status                            {service: STATUS body}
       smoke_control.py pending RECIPIENT…                {recipient: pending} (notifier PENDING)
"""
import json
import os
import sys
import time

import zmq

SERVICES = ["intake", "verify", "risk", "notify"]
UPSTREAMS = {"intake": [], "verify": ["intake"], "risk": ["intake", "verify"], "notify": ["risk", "verify", "intake"]}
CONTROL_PORTS = {"intake": 7102, "verify": 7122, "risk": 7112, "notify": 7132}
CONTEXT = zmq.Context()


def endpoint(service):
    return os.environ.get("GONGGU_%s_CONTROL" % service.upper(), "tcp://127.0.0.1:%d" % CONTROL_PORTS[service])


def key_fields(path):
    """`key = value` lines of a Gonggu key file (`gonggu keys new`)."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if "=" in line and not line.startswith("#"):
                k, v = line.split("=", 1)
                out[k.strip()] = v.strip()
    return out


def use_curve(socket, service):
    """TCP control endpoints are CURVE servers (docs/OPERATIONS.md section 12): connect with the operator's
    key (GONGGU_OPERATOR_KEY_FILE) and the service's public key (GONGGU_<SERVICE>_SERVER_PUBLIC_KEY_FILE)."""
    operator = os.environ.get("GONGGU_OPERATOR_KEY_FILE")
    server = os.environ.get("GONGGU_%s_SERVER_PUBLIC_KEY_FILE" % service.upper())
    if not endpoint(service).startswith("tcp://") or not operator or not server:
        return
    keys = key_fields(operator)
    socket.curve_publickey = keys["public"].encode()
    socket.curve_secretkey = keys["secret"].encode()
    socket.curve_serverkey = key_fields(server)["public"].encode()


def call(service, command, body=b"{}", timeout_ms=5000):
    """(status, parsed body) or None when the service does not answer in time."""
    s = CONTEXT.socket(zmq.DEALER)
    use_curve(s, service)
    s.setsockopt(zmq.LINGER, 0)
    s.setsockopt(zmq.RCVTIMEO, timeout_ms)
    s.setsockopt(zmq.SNDTIMEO, timeout_ms)
    try:
        s.connect(endpoint(service))
        s.send_multipart([command.encode(), body])
        parts = s.recv_multipart()
    except zmq.Again:
        return None
    finally:
        s.close()
    try:
        parsed = json.loads(parts[1].decode("utf-8")) if len(parts) > 1 and parts[1] else None
    except ValueError:
        parsed = parts[1].decode("utf-8", "replace")
    return parts[0].decode(), parsed


def statuses():
    out = {}
    for s in SERVICES:
        r = call(s, "STATUS", timeout_ms=2000)
        out[s] = r[1] if r and r[0] == "OK" else None
    return out


def idle_snapshot():
    """{service: lastSeq} when every follower is at its upstream's head, else None."""
    st = statuses()
    snap = {}
    for s in SERVICES:
        v = st[s]
        if v is None or "lastSeq" not in v:
            return None
        snap[s] = v["lastSeq"]
        ups = v.get("upstreams") or []
        if sorted(u.get("stream") for u in ups) != sorted(UPSTREAMS[s]):
            return None
        for u in ups:
            upstream = st.get(u.get("stream"))
            if upstream is None or u.get("cursor") != upstream.get("lastSeq") or u.get("lag", 0) != 0:
                return None
    return snap


def option(args, name, default):
    if name in args:
        i = args.index(name)
        value = args[i + 1]
        del args[i:i + 2]
        return value
    return default


def main(argv):
    if not argv:
        print(__doc__, file=sys.stderr)
        return 64
    command, args = argv[0], list(argv[1:])
    if command == "call":
        body = args[2].encode() if len(args) > 2 else b"{}"
        r = call(args[0], args[1], body)
        if r is None:
            print("no answer from %s" % endpoint(args[0]), file=sys.stderr)
            return 1
        print(json.dumps(r[1], ensure_ascii=False))
        return 0 if r[0] == "OK" else 1
    if command == "wait-ready":
        deadline = time.monotonic() + float(option(args, "--timeout", "120"))
        for s in args:
            while True:
                r = call(s, "PING", timeout_ms=500)
                if r and r[0] == "OK":
                    break
                if time.monotonic() > deadline:
                    print("%s did not answer PING on %s" % (s, endpoint(s)), file=sys.stderr)
                    return 1
                time.sleep(0.2)
        return 0
    if command == "wait-idle":
        deadline = time.monotonic() + float(option(args, "--timeout", "300"))
        while time.monotonic() < deadline:
            a = idle_snapshot()
            if a is not None:
                time.sleep(0.5)
                b = idle_snapshot()
                if a == b:
                    print(json.dumps(a))
                    return 0
            time.sleep(0.2)
        print("not idle: %s" % json.dumps(statuses(), ensure_ascii=False), file=sys.stderr)
        return 1
    if command == "digests":
        out = {}
        for s in SERVICES:
            r = call(s, "DIGEST", timeout_ms=30000)
            if r is None or r[0] != "OK":
                print("%s: no DIGEST (%r)" % (s, r), file=sys.stderr)
                return 1
            out[s] = r[1]
        print(json.dumps(out))
        return 0
    if command == "status":
        print(json.dumps(statuses(), ensure_ascii=False))
        return 0
    if command == "pending":
        out = {}
        for recipient in args:
            r = call("notify", "PENDING", json.dumps({"recipient": recipient}).encode())
            if r is None or r[0] != "OK":
                print("PENDING %s: %r" % (recipient, r), file=sys.stderr)
                return 1
            out[recipient] = r[1]["pending"]
        print(json.dumps(out))
        return 0
    print(__doc__, file=sys.stderr)
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
