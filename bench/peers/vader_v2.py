"""VADER behind the KServe V2 infer shape: the model shared by the Python peers of bench/online-peers.

`infer(body)` takes a parsed V2 infer request whose first input is a BYTES tensor of texts
(`{"id": ..., "inputs": [{"name": "text", "datatype": "BYTES", "shape": [n], "data": [...]}]}`)
and returns the V2 response `rehearse serve` gives: outputs `label` (BYTES), `probabilities`
(FP64 [n, 3], VADER's neg/neu/pos proportions in the class order negative, neutral, positive)
and `score` (FP64, VADER's compound score). The label follows VADER's usual rule: compound
>= 0.05 positive, <= -0.05 negative, else neutral. A malformed request raises `BadRequest`.
"""
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

ANALYZER = SentimentIntensityAnalyzer()
MODEL_NAME = "sentiment"
MODEL_VERSION = "vader-3.3.2"


class BadRequest(ValueError):
    """The request is not a V2 infer request with a BYTES tensor of texts."""


def infer(body):
    try:
        tensor = body["inputs"][0]
        texts = tensor["data"]
    except (KeyError, IndexError, TypeError) as error:
        raise BadRequest(f"expected inputs[0].data, a list of texts: {error!r}")
    if tensor.get("datatype") != "BYTES" or not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        raise BadRequest("inputs[0] must be a BYTES tensor of texts")
    labels, probabilities, scores = [], [], []
    for text in texts:
        polarity = ANALYZER.polarity_scores(text)
        compound = polarity["compound"]
        labels.append("positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral")
        probabilities += [polarity["neg"], polarity["neu"], polarity["pos"]]
        scores.append(compound)
    count = len(texts)
    return {
        "id": body.get("id", ""),
        "model_name": MODEL_NAME,
        "model_version": MODEL_VERSION,
        "outputs": [
            {"name": "label", "datatype": "BYTES", "shape": [count], "data": labels},
            {"name": "probabilities", "datatype": "FP64", "shape": [count, 3], "data": probabilities},
            {"name": "score", "datatype": "FP64", "shape": [count], "data": scores},
        ],
    }
