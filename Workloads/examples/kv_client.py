#!/usr/bin/env python3
"""Schism's example stdio client (docs/client-protocol.md): register operations over http-kv.

Schism starts one of these per worker and writes one JSON request per line on its stdin:
  {"id": 7, "f": "read",  "key": "k3", "value": null}
  {"id": 8, "f": "write", "key": "k3", "value": 4}
  {"id": 9, "f": "cas",   "key": "k3", "value": [4, 2]}
and reads one JSON answer per line on its stdout, in order:
  {"id": 7, "type": "ok", "value": 4}         the operation took effect (a read: the value read)
  {"id": 8, "type": "fail", "error": "..."}   it surely did NOT take effect
  {"id": 9, "type": "info", "error": "..."}   it may or may not have taken effect
Anything else on stdout breaks the protocol: print diagnostics to stderr.

Usage: kv_client.py --url http://10.0.0.1:7000 --timeout 1.0
       kv_client.py --memory        (answers from a dict in this process: measures the adapter)
Standard library only.
"""
import argparse
import http.client
import json
import socket
import sys
import urllib.parse


class HTTPKV:
    """http-kv over one kept-alive connection."""

    def __init__(self, url, timeout):
        parsed = urllib.parse.urlsplit(url)
        self.host, self.port, self.timeout = parsed.hostname, parsed.port or 80, timeout
        self.conn = None

    def call(self, method, path, body):
        """(status, decoded body) or raises: ConnectionRefusedError = never sent."""
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.conn.connect()  # a failure here means the request was never sent
        try:
            payload = None if body is None else json.dumps(body)
            self.conn.request(method, path, payload, {"Content-Type": "application/json"})
            response = self.conn.getresponse()
            data = response.read()
        except Exception:
            self.conn.close()
            self.conn = None
            raise
        return response.status, (json.loads(data) if data else {})

    def invoke(self, f, key, value):
        path_key = urllib.parse.quote(key, safe="")
        try:
            if f == "read":
                status, body = self.call("GET", "/kv/" + path_key, None)
            elif f == "write":
                status, body = self.call("PUT", "/kv/" + path_key, {"value": value})
            elif f == "cas":
                status, body = self.call("POST", "/cas/" + path_key, {"expected": value[0], "value": value[1]})
            else:
                return {"type": "fail", "error": "unsupported operation " + f}
        except (ConnectionRefusedError, socket.gaierror) as e:
            self.conn = None
            return {"type": "fail", "error": "not sent: %s" % e}
        except (socket.timeout, TimeoutError):
            return {"type": "fail" if f == "read" else "info", "error": "timeout after %ss" % self.timeout}
        except OSError as e:  # reset or closed after sending: the outcome is unknown
            return {"type": "fail" if f == "read" else "info", "error": "%s: %s" % (type(e).__name__, e)}
        if status == 200:
            return {"type": "ok", "value": body.get("value")} if f == "read" else {"type": "ok"}
        error = "HTTP %d: %s" % (status, body.get("error", ""))
        if f == "read" or status in (409, 503):
            return {"type": "fail", "error": error}
        return {"type": "info", "error": error}


class Memory:
    """A register per key in this process: linearizable, and no network at all."""

    def __init__(self):
        self.values = {}

    def invoke(self, f, key, value):
        if f == "read":
            return {"type": "ok", "value": self.values.get(key)}
        if f == "write":
            self.values[key] = value
            return {"type": "ok"}
        if f == "cas":
            if self.values.get(key) != value[0]:
                return {"type": "fail", "error": "compare failed"}
            self.values[key] = value[1]
            return {"type": "ok"}
        return {"type": "fail", "error": "unsupported operation " + f}


def main():
    parser = argparse.ArgumentParser(description="Schism stdio client for http-kv servers")
    parser.add_argument("--url", help="the node's server, e.g. http://10.0.0.1:7000")
    parser.add_argument("--timeout", type=float, default=1.0, help="seconds per request")
    parser.add_argument("--memory", action="store_true", help="no server: a dict in this process")
    args = parser.parse_args()
    if not args.memory and not args.url:
        parser.error("give --url or --memory")
    backend = Memory() if args.memory else HTTPKV(args.url, args.timeout)
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        answer = backend.invoke(request["f"], request.get("key"), request.get("value"))
        answer["id"] = request.get("id")
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
