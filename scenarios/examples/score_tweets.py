"""A daily scoring job written the way a team writes one for AWS, with boto3 and nothing of
Rehearsal's: it reads yesterday's tweets from S3, asks the online service for their sentiment,
writes the predictions back to S3 and announces the result on an SQS queue.

Under `rehearse run` (scenario exec-daily-scoring) the AWS_* variables point boto3 at the
scenario's sandbox, REHEARSAL_NOW is the virtual clock's time and REHEARSAL_SERVICE_API_URL is
the service the scenario started. Deployed, the same variables would name the real ones.

Settings (environment): BUCKET, INPUT_PREFIX, OUTPUT_PREFIX, QUEUE; optional DAY (YYYY-MM-DD,
default: the day before REHEARSAL_NOW).
"""
import csv
import datetime
import io
import json
import os
import sys
import time
import urllib.request

import boto3

started = time.monotonic()
bucket, queue = os.environ["BUCKET"], os.environ["QUEUE"]
now = datetime.datetime.fromisoformat(os.environ["REHEARSAL_NOW"].replace("Z", "+00:00"))
day = os.environ.get("DAY") or (now - datetime.timedelta(days=1)).date().isoformat()
source = f"{os.environ['INPUT_PREFIX']}{day}.csv"
target = f"{os.environ['OUTPUT_PREFIX']}{day}.jsonl"

s3 = boto3.client("s3")
sqs = boto3.client("sqs")
try:
    body = s3.get_object(Bucket=bucket, Key=source)["Body"].read().decode("utf-8")
except s3.exceptions.NoSuchKey:
    print(f"no input for {day}: s3://{bucket}/{source} does not exist", file=sys.stderr)
    sys.exit(1)
rows = list(csv.DictReader(io.StringIO(body)))

request = urllib.request.Request(
    os.environ["REHEARSAL_SERVICE_API_URL"] + "/predict",
    data=json.dumps({"texts": [row["text"] for row in rows]}).encode(),
    headers={"Content-Type": "application/json"},
)
with urllib.request.urlopen(request, timeout=30) as response:
    predictions = json.load(response)["predictions"]

lines = [
    json.dumps({"id": row["id"], "label": p["label"], "score": round(p["score"], 6)}, sort_keys=True)
    for row, p in zip(rows, predictions)
]
s3.put_object(Bucket=bucket, Key=target, Body=("\n".join(lines) + "\n").encode(), ContentType="application/x-ndjson")

labels = {}
for p in predictions:
    labels[p["label"]] = labels.get(p["label"], 0) + 1
queue_url = sqs.get_queue_url(QueueName=queue)["QueueUrl"]
message = {"day": day, "rows": len(rows), "labels": labels, "output": f"s3://{bucket}/{target}",
           "model_id": predictions[0]["model_id"] if predictions else None}
sent = sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(message, sort_keys=True),
                        MessageAttributes={"day": {"DataType": "String", "StringValue": day}})

print(f"scored {len(rows)} tweets of {day}: {json.dumps(labels, sort_keys=True)}")
print(f"wrote s3://{bucket}/{target}; announced as message {sent['MessageId']}")
print(f"took {time.monotonic() - started:.3f} s")
