#!/usr/bin/python3
"""An independent recipient client written from docs/PROTOCOL.md alone (Python 3, pyzmq).

usage: recipient_client.py KEYFILE NOTIFIER_PUBFILE ENDPOINT [--quiet SECONDS]
Prints one JSON line per notification received and acknowledges each; exits after QUIET seconds
without messages. Exit status 0; prints a final line {"received": N, "acknowledged": N}.
"""
import json
import sys

import zmq


def read_key_file(path):
    fields = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#") or "=" not in line:
                continue
            k, v = line.split("=", 1)
            fields[k.strip()] = v.strip()
    return fields


def main():
    key_file, server_file, endpoint = sys.argv[1:4]
    quiet = float(sys.argv[5]) if len(sys.argv) > 5 and sys.argv[4] == "--quiet" else 3.0
    me = read_key_file(key_file)
    server = read_key_file(server_file)["public"]
    ctx = zmq.Context()
    s = ctx.socket(zmq.DEALER)
    s.curve_publickey = me["public"].encode()
    s.curve_secretkey = me["secret"].encode()
    s.curve_serverkey = server.encode()
    s.setsockopt(zmq.LINGER, 2000)
    s.connect(endpoint)
    s.send(b'{"type":"hello"}')
    received = acknowledged = 0
    while s.poll(int(quiet * 1000)):
        message = json.loads(s.recv().decode("utf-8"))
        if message.get("type") != "notification":
            print(json.dumps(message, ensure_ascii=False), flush=True)
            continue
        received += 1
        print(json.dumps({"id": message["id"], "region": message["region"], "household": message["household"],
                          "eventType": message["eventType"], "title": message["title"]}, ensure_ascii=False),
              flush=True)
        s.send(json.dumps({"type": "ack", "id": message["id"]}).encode("utf-8"))
        acknowledged += 1
    print(json.dumps({"received": received, "acknowledged": acknowledged}), flush=True)
    s.close()
    ctx.term()


if __name__ == "__main__":
    main()
