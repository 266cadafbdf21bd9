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
  /lines?count=N&heartbeat_every=K&crlf=1&end=E
                 a newline-delimited JSON stream (chunked, Content-Type: application/json):
                 lines 1 to N, line i being {"data":{"id":"i","text":"T"}} where T is
                 "abc…" (letter j is chr(97 + j % 26)) of length (i * 7919) % 3000, plus 40000
                 when i is a multiple of 10; each line ends with \n, or \r\n with crlf=1; a
                 heartbeat \r\n follows every K-th line (K = 0, the default: none). The body is
                 cut into chunks of 1, 2, 3, 5, 8, 13, 64, 300, 4096, 17000, 1, 2, … bytes, so
                 lines and line ends are split across chunks, and every chunk's size line, data
                 and end go out in separate TCP writes (TCP_NODELAY). E says how it ends:
                   finish   (default) the last chunk: a normal end
                   partial  a chunk with the first half (len // 2 bytes) of line N+1, without
                            its line end, then the last chunk: a normal end mid-line
                   drop     a chunk announcing all of line N+1 and its line end, but only its
                            first half sent, then the connection closed mid-chunk
                   silent   nothing more: waits, sending nothing, until the client goes away
  /lines?status=NNN&error_bytes=B
                 status NNN with an API v2 error body, {"title", "detail", "type", "status"}
                 as JSON (Content-Type: application/problem+json); with B, "detail" is
                 padded with "." so the body is at least B bytes
  anything else  404
"""
import itertools
import json
import socket
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

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
        elif urlsplit(self.path).path == "/lines":
            query = {name: values[-1] for name, values in parse_qs(urlsplit(self.path).query).items()}
            try:
                self.stream_lines(query)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading: expected when it stops or cancels
            self.close_connection = True
        else:
            self.answer(404, b"not found")

    def stream_lines(self, query):
        status = int(query.get("status", "200"))
        if status != 200:
            titles = {401: "Unauthorized", 429: "Too Many Requests"}
            error = {"title": titles.get(status, f"Status {status}"), "type": "about:blank", "status": status,
                     "detail": titles.get(status, f"Status {status}")}
            error["detail"] += "." * max(0, int(query.get("error_bytes", "0")) - len(json.dumps(error)))
            self.answer(status, json.dumps(error).encode(), [("Content-Type", "application/problem+json")])
            return
        count = int(query.get("count", "0"))
        heartbeat_every = int(query.get("heartbeat_every", "0"))
        end_of_line = b"\r\n" if query.get("crlf") == "1" else b"\n"
        end = query.get("end", "finish")

        body = bytearray()
        for i in range(1, count + 1):
            body += stream_line(i) + end_of_line
            if heartbeat_every and i % heartbeat_every == 0:
                body += b"\r\n"
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("X-Connection", str(self.connection_serial))
        self.end_headers()
        sizes = itertools.cycle([1, 2, 3, 5, 8, 13, 64, 300, 4096, 17000])
        offset = 0
        while offset < len(body):
            piece = body[offset:offset + next(sizes)]
            offset += len(piece)
            self.write_chunk(piece)

        half = stream_line(count + 1)[:len(stream_line(count + 1)) // 2]
        if end == "finish":
            self.wfile.write(b"0\r\n\r\n")
        elif end == "partial":
            self.write_chunk(half)
            self.wfile.write(b"0\r\n\r\n")
        elif end == "drop":
            self.wfile.write(b"%x\r\n" % (len(stream_line(count + 1)) + len(end_of_line)))
            self.wfile.write(half)
            self.connection.shutdown(socket.SHUT_RDWR)
        elif end == "silent":
            self.rfile.read()  # returns when the client closes the connection

    def write_chunk(self, data):
        self.wfile.write(b"%x\r\n" % len(data))
        self.wfile.write(data)
        self.wfile.write(b"\r\n")

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = handle_any


def stream_line(i):
    """Line i of /lines, without its line end."""
    length = (i * 7919) % 3000 + (40000 if i % 10 == 0 else 0)
    text = "".join(chr(97 + j % 26) for j in range(length))
    return json.dumps({"data": {"id": str(i), "text": text}}, separators=(",", ":")).encode()


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
server.serve_forever()
