#!/usr/bin/env python3
"""A small replicated key-value server that is wrong on purpose (Schism's example system).

It speaks http-kv (docs/client-protocol.md):
  GET  /kv/<key>                              -> 200 {"value": V}   (null: never written)
  PUT  /kv/<key>   {"value": V}               -> 200 {}
  POST /cas/<key>  {"expected": E, "value": V} -> 200 {} | 409 {"error": "compare failed"}
  GET  /health                                -> 200 {"node": ..., "mode": ...}
  503 means "surely not done"; any other error status means "may have been done".

Modes:
  unsafe  every node answers reads from its own copy and applies writes locally, then
          replicates them to its peers in the background (once, best effort): fast and
          available in a partition, and NOT linearizable (stale reads, lost writes).
  safe    every operation goes through one fixed leader (the first address of --cluster),
          which keeps the only copy and writes it to disk before answering: unavailable
          when the leader cannot be reached, but linearizable.

Standard library only. Usage:
  example_kv.py --node n1 --listen 10.0.0.1:7000 --cluster 10.0.0.1:7000,10.0.0.2:7000 \
                --mode unsafe --data /var/lib/schism/byo/example-kv/data
"""
import argparse
import http.client
import json
import os
import queue
import socket
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MISSING = object()


class Store:
    """The node's copy: a dict under a lock, saved to <data>/store.json when durable."""

    def __init__(self, data_dir, durable):
        self.lock = threading.Lock()
        self.path = os.path.join(data_dir, "store.json") if data_dir else None
        self.durable = durable and self.path is not None
        self.values = {}
        if self.path and os.path.exists(self.path):
            with open(self.path) as f:
                self.values = json.load(f)

    def save(self):
        if not self.durable:
            return
        tmp = self.path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(self.values, f)
        os.replace(tmp, self.path)

    def read(self, key):
        with self.lock:
            return self.values.get(key)

    def write(self, key, value):
        with self.lock:
            self.values[key] = value
            self.save()

    def cas(self, key, expected, value):
        with self.lock:
            if self.values.get(key) != expected:
                return False
            self.values[key] = value
            self.save()
            return True


class Node:
    def __init__(self, args):
        self.name = args.node
        self.mode = args.mode
        self.me = args.listen
        self.cluster = [a for a in args.cluster.split(",") if a]
        self.leader = self.cluster[0] if self.cluster else self.me
        self.peers = [a for a in self.cluster if a != self.me]
        self.store = Store(args.data, durable=(args.mode == "safe"))
        self.timeout = args.forward_timeout
        self.outbox = {p: queue.Queue(maxsize=10000) for p in self.peers}
        if self.mode == "unsafe":
            for peer in self.peers:
                threading.Thread(target=self.replicate_to, args=(peer,), daemon=True).start()

    # unsafe mode: asynchronous, best-effort replication
    def replicate(self, key, value):
        for q in self.outbox.values():
            try:
                q.put_nowait((key, value))
            except queue.Full:
                pass  # dropped: this server is wrong on purpose

    def replicate_to(self, peer):
        host, port = peer.rsplit(":", 1)
        conn = None
        while True:
            key, value = self.outbox[peer].get()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(host, int(port), timeout=0.5)
                body = json.dumps({"value": value})
                conn.request("PUT", "/replica/" + urllib.parse.quote(key, safe=""), body,
                             {"Content-Type": "application/json"})
                conn.getresponse().read()
            except OSError:
                conn = None  # the peer is unreachable: the update is lost for it

    # safe mode: forward to the leader
    def forward(self, method, path, body):
        """Returns (status, body bytes) from the leader; 503 when it surely did not get it."""
        host, port = self.leader.rsplit(":", 1)
        conn = http.client.HTTPConnection(host, int(port), timeout=self.timeout)
        try:
            conn.connect()
        except OSError as e:
            return 503, json.dumps({"error": "leader %s unreachable: %s" % (self.leader, e)}).encode()
        try:
            conn.request(method, path, body, {"Content-Type": "application/json"})
            response = conn.getresponse()
            return response.status, response.read()
        except OSError as e:
            return 504, json.dumps({"error": "no answer from leader %s: %s" % (self.leader, e)}).encode()
        finally:
            conn.close()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    node = None  # set in main

    def setup(self):
        super().setup()
        # Headers and body go out in two writes: without NODELAY, Nagle and delayed ACKs add ~40 ms.
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, fmt, *args):
        pass  # quiet: one line per request would swamp the log

    def reply(self, status, obj):
        body = obj if isinstance(obj, bytes) else json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def route(self, method):
        node = self.node
        parts = self.path.split("/", 2)
        if self.path == "/health":
            return self.reply(200, {"node": node.name, "mode": node.mode})
        if len(parts) != 3 or parts[1] not in ("kv", "cas", "replica"):
            return self.reply(404, {"error": "no such path: " + self.path})
        kind, key = parts[1], urllib.parse.unquote(parts[2])
        raw = self.body()
        if kind == "replica":
            node.store.write(key, json.loads(raw)["value"])
            return self.reply(200, {})
        if node.mode == "safe" and node.me != node.leader:
            status, answer = node.forward(method, self.path, raw or None)
            return self.reply(status, answer)
        if kind == "kv" and method == "GET":
            return self.reply(200, {"value": node.store.read(key)})
        request = json.loads(raw or b"{}")
        if kind == "kv" and method == "PUT":
            node.store.write(key, request.get("value"))
            if node.mode == "unsafe":
                node.replicate(key, request.get("value"))
            return self.reply(200, {})
        if kind == "cas" and method == "POST":
            if not node.store.cas(key, request.get("expected"), request.get("value")):
                return self.reply(409, {"error": "compare failed"})
            if node.mode == "unsafe":
                node.replicate(key, request.get("value"))
            return self.reply(200, {})
        return self.reply(405, {"error": "method not allowed"})

    def do_GET(self):
        self.route("GET")

    def do_PUT(self):
        self.route("PUT")

    def do_POST(self):
        self.route("POST")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--node", required=True, help="this node's name")
    parser.add_argument("--listen", required=True, help="address:port to listen on (also this node's name in --cluster)")
    parser.add_argument("--cluster", default="", help="every node's address:port, comma-separated; the first is the leader")
    parser.add_argument("--mode", choices=["unsafe", "safe"], default="unsafe")
    parser.add_argument("--data", default="", help="data folder (safe mode keeps store.json there)")
    parser.add_argument("--forward-timeout", type=float, default=0.5, help="seconds a follower waits for the leader")
    args = parser.parse_args()
    Handler.node = Node(args)
    host, port = args.listen.rsplit(":", 1)
    server = ThreadingHTTPServer((host, int(port)), Handler)
    server.daemon_threads = True
    print("example_kv: %s listening on %s, mode %s, leader %s" % (args.node, args.listen, args.mode, Handler.node.leader), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
