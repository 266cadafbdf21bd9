"""Flask peer of bench/online-peers: VADER behind `POST /v2/models/sentiment/infer` (KServe V2).

Run by the bench under gunicorn with 2 sync workers:
`gunicorn -w 2 -b 127.0.0.1:0 flask_app:app` (gunicorn logs the port it bound).
`GET /v2/health/ready` answers 200; a malformed body gets 400 `{"error": ...}`.
"""
from flask import Flask, jsonify, request

import vader_v2

app = Flask(__name__)


@app.post("/v2/models/sentiment/infer")
def infer():
    body = request.get_json(silent=True)
    if body is None:
        return jsonify(error="the body is not JSON"), 400
    try:
        return jsonify(vader_v2.infer(body))
    except vader_v2.BadRequest as error:
        return jsonify(error=str(error)), 400


@app.get("/v2/health/ready")
def ready():
    return "", 200
