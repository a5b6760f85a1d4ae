#!/usr/bin/python3
"""An independent recipient client written from docs/PROTOCOL.md alone (Python 3, pyzmq).

usage: recipient_client.py KEYFILE NOTIFIER_PUBFILE ENDPOINT [--quiet SECONDS]
Prints one JSON line per notification received and acknowledges each: the first alone
({"type":"ack","id"}), later ones together, all that one read brought in one {"type":"ack","ids"}.
Exits after QUIET seconds without messages. Exit status 0; prints a final line
{"received": N, "acknowledged": N, "ackMessages": {"id": 1, "ids": M}}.
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
    ack_messages = {"id": 0, "ids": 0}
    while s.poll(int(quiet * 1000)):
        ids = []
        # Everything already waiting is one read: acknowledged together below.
        while s.poll(0):
            message = json.loads(s.recv().decode("utf-8"))
            if message.get("type") != "notification":
                print(json.dumps(message, ensure_ascii=False), flush=True)
                continue
            received += 1
            print(json.dumps({"id": message["id"], "region": message["region"], "household": message["household"],
                              "eventType": message["eventType"], "title": message["title"]}, ensure_ascii=False),
                  flush=True)
            ids.append(message["id"])
        if ids and ack_messages["id"] == 0:
            s.send(json.dumps({"type": "ack", "id": ids.pop(0)}).encode("utf-8"))
            ack_messages["id"] += 1
            acknowledged += 1
        for start in range(0, len(ids), 400):
            s.send(json.dumps({"type": "ack", "ids": ids[start:start + 400]}).encode("utf-8"))
            ack_messages["ids"] += 1
            acknowledged += len(ids[start:start + 400])
    print(json.dumps({"received": received, "acknowledged": acknowledged, "ackMessages": ack_messages}), flush=True)
    s.close()
    ctx.term()


if __name__ == "__main__":
    main()
