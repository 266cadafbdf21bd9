#!/usr/bin/env python3
"""A tiny KServe V2 (Open Inference Protocol, REST) server, independent of Rehearsal.

It stands for "a service not written here": tests point the HTTP client and the harness
(`rehearse run --target NAME=URL`) at it. Standard library only.

Usage: python3 v2-echo-server.py [MODEL_NAME]   (model name defaults to "sentiment")
It listens on 127.0.0.1, port 0 (a free port), prints `listening on http://127.0.0.1:PORT`
(flushed) and serves until killed. HTTP/1.1 with keep-alive; every response has a length.

Endpoints:
  GET  /v2/health/live, /v2/health/ready           {"live": true} / {"ready": true}
  GET  /v2                                         server metadata
  GET  /v2/models/NAME[/versions/1]                model metadata (the only version is "1")
  GET  /v2/models/NAME[/versions/1]/ready          {"name": NAME, "ready": true}
  POST /v2/models/NAME[/versions/1]/infer          a BYTES input "text" of shape [n]
The "model" is deterministic: a text with more ":)" than ":(" is positive, with more ":(" it
is negative, otherwise neutral, each with fixed probabilities in the class order
negative, neutral, positive. Errors are {"error": "..."}: 400 for malformed JSON or a bad
input, 404 for an unknown route, model or version. JSON is written with sorted keys and no
spaces. Every response also carries `X-Connection: N`, the serial number of the connection
(1, 2, ...), so clients can see keep-alive at work.
"""
import itertools
import json
import re
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODEL = sys.argv[1] if len(sys.argv) > 1 else "sentiment"
LABELS = ["negative", "neutral", "positive"]
PROBABILITIES = {"negative": [0.8, 0.15, 0.05], "neutral": [0.1, 0.8, 0.1], "positive": [0.05, 0.15, 0.8]}
ROUTE = re.compile(r"^/v2/models/([^/]+)(?:/versions/([^/]+))?(/ready|/infer)?$")
connection_serials = itertools.count(1)


def classify(text):
    smiles, frowns = text.count(":)"), text.count(":(")
    return "positive" if smiles > frowns else "negative" if frowns > smiles else "neutral"


def infer(request):
    """The V2 response for a decoded request body, or raises ValueError naming the problem."""
    inputs = request.get("inputs") if isinstance(request, dict) else None
    if not isinstance(inputs, list) or len(inputs) != 1 or not isinstance(inputs[0], dict):
        raise ValueError("expected {\"inputs\": [one tensor]}")
    tensor = inputs[0]
    texts = tensor.get("data")
    if tensor.get("name") != "text" or tensor.get("datatype") != "BYTES":
        raise ValueError("input 0 must be named \"text\" with datatype BYTES")
    if not isinstance(texts, list) or tensor.get("shape") != [len(texts)]:
        raise ValueError("input 0 must have a data list whose length matches shape [n]")
    for index, text in enumerate(texts):
        if not isinstance(text, str):
            raise ValueError(f"input 0 element {index} is not a string")
    labels = [classify(text) for text in texts]
    response = {"model_name": MODEL, "model_version": "1", "outputs": [
        {"name": "label", "datatype": "BYTES", "shape": [len(labels)], "data": labels},
        {"name": "probabilities", "datatype": "FP64", "shape": [len(labels), 3],
         "data": [p for label in labels for p in PROBABILITIES[label]]},
        {"name": "score", "datatype": "FP64", "shape": [len(labels)],
         "data": [max(PROBABILITIES[label]) for label in labels]},
    ]}
    if "id" in request:
        response["id"] = request["id"]
    return response


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        self.connection_serial = next(connection_serials)

    def log_message(self, *args):
        pass

    def answer(self, status, body):
        data = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Connection", str(self.connection_serial))
        self.end_headers()
        self.wfile.write(data)

    def fail(self, status, message):
        self.answer(status, {"error": message})

    def route(self):
        """(kind, error): kind is "metadata", "ready" or "infer"; error is (status, message)."""
        match = ROUTE.match(self.path)
        if not match:
            return None, (404, f"no route {self.path}")
        name, version, action = match.groups()
        if name != MODEL:
            return None, (404, f"model {name} not found")
        if version not in (None, "1"):
            return None, (404, f"model {name} version {version} not found")
        return (action or "/metadata")[1:], None

    def do_GET(self):
        if self.path in ("/v2/health/live", "/v2/health/ready"):
            return self.answer(200, {self.path.rsplit("/", 1)[1]: True})
        if self.path == "/v2":
            return self.answer(200, {"name": "v2-echo-server", "version": "1", "extensions": []})
        kind, error = self.route()
        if error or kind == "infer":
            return self.fail(*(error or (404, f"use POST for {self.path}")))
        if kind == "ready":
            return self.answer(200, {"name": MODEL, "ready": True})
        self.answer(200, {"name": MODEL, "versions": ["1"], "platform": "python-fixture",
                          "inputs": [{"name": "text", "datatype": "BYTES", "shape": [-1]}],
                          "outputs": [{"name": "label", "datatype": "BYTES", "shape": [-1]},
                                      {"name": "probabilities", "datatype": "FP64", "shape": [-1, 3]},
                                      {"name": "score", "datatype": "FP64", "shape": [-1]}],
                          "parameters": {"labels": LABELS}})

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        kind, error = self.route()
        if error or kind != "infer":
            return self.fail(*(error or (404, f"no POST route {self.path}")))
        try:
            request = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as problem:
            return self.fail(400, f"malformed JSON: {problem}")
        try:
            self.answer(200, infer(request))
        except ValueError as problem:
            self.fail(400, str(problem))


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
server.serve_forever()
