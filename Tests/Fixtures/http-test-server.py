#!/usr/bin/env python3
"""An HTTP/1.1 server for the HTTP client's tests: it shows what it received and misbehaves on
request. Standard library only.

Usage: python3 http-test-server.py
It listens on 127.0.0.1, port 0 (a free port), prints `listening on http://127.0.0.1:PORT`
(flushed) and serves until killed, keeping connections alive. Every answer carries
`X-Connection: N`, the serial number of the connection it came on (1, 2, ...), and
`X-Method`, the request's method.

Paths (any method):
  /echo          200; the body is the request body, byte for byte, with the request's
                 Content-Type (if any)
  /headers       200; the body is the request's header lines as received, one per line
  /status/NNN    status NNN with body "status NNN", and the headers X-Order: first,
                 X-Other: middle, X-Order: second (in that order)
  /never         reads the request, then never answers (until the client goes away)
  /close         reads the request, then closes the connection without answering
  anything else  404
"""
import itertools
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

connection_serials = itertools.count(1)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        self.connection_serial = next(connection_serials)

    def log_message(self, *args):
        pass

    def answer(self, status, body, headers=()):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Connection", str(self.connection_serial))
        self.send_header("X-Method", self.command)
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def handle_any(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path == "/echo":
            content_type = self.headers.get("Content-Type")
            self.answer(200, body, [("Content-Type", content_type)] if content_type is not None else [])
        elif self.path == "/headers":
            lines = "".join(f"{name}: {value}\n" for name, value in self.headers.items())
            self.answer(200, lines.encode("latin-1"))
        elif self.path.startswith("/status/") and self.path[8:].isdigit():
            status = int(self.path[8:])
            self.answer(status, f"status {status}".encode(),
                        [("X-Order", "first"), ("X-Other", "middle"), ("X-Order", "second")])
        elif self.path == "/never":
            self.rfile.read()  # returns when the client closes the connection
            self.close_connection = True
        elif self.path == "/close":
            self.close_connection = True
        else:
            self.answer(404, b"not found")

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = handle_any


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
server.serve_forever()
