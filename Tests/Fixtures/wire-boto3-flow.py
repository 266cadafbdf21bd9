"""Drives `rehearse cloud serve` with boto3, as a user's own code would, and prints one JSON
object of what it saw. Usage: wire-boto3-flow.py URL WORKDIR"""
import json
import os
import sys
import urllib.request

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

url, workdir = sys.argv[1], sys.argv[2]
session = dict(endpoint_url=url, aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1")
s3 = boto3.client("s3", config=Config(signature_version="s3v4", retries={"max_attempts": 1}), **session)
sqs = boto3.client("sqs", config=Config(retries={"max_attempts": 1}), **session)
seen = {}

s3.create_bucket(Bucket="data")
s3.put_object(Bucket="data", Key="tweets/day 1.csv", Body=b"id,text\n1,good\n", Metadata={"source": "flow"})
seen["get"] = s3.get_object(Bucket="data", Key="tweets/day 1.csv")["Body"].read().decode()
seen["keys"] = [o["Key"] for o in s3.list_objects_v2(Bucket="data", Prefix="tweets/")["Contents"]]
big = os.path.join(workdir, "big.bin")
with open(big, "wb") as handle:
    handle.write(bytes(range(256)) * (9 * 1024 * 1024 // 256))  # 9 MiB: upload_file goes multipart
s3.upload_file(big, "data", "big.bin")
seen["big_etag"] = s3.head_object(Bucket="data", Key="big.bin")["ETag"]
copy = os.path.join(workdir, "copy.bin")
s3.download_file("data", "big.bin", copy)
seen["big_round_trip"] = open(big, "rb").read() == open(copy, "rb").read()
presigned = s3.generate_presigned_url("get_object", Params={"Bucket": "data", "Key": "tweets/day 1.csv"}, ExpiresIn=60)
seen["presigned"] = urllib.request.urlopen(presigned).read().decode()
try:
    s3.get_object(Bucket="data", Key="missing")
except ClientError as error:
    seen["missing"] = [error.response["Error"]["Code"], error.response["ResponseMetadata"]["HTTPStatusCode"]]
wrong = boto3.client("s3", endpoint_url=url, aws_access_key_id="test", aws_secret_access_key="wrong", region_name="us-east-1")
try:
    wrong.list_buckets()
except ClientError as error:
    seen["wrong_secret"] = error.response["Error"]["Code"]

queue = sqs.create_queue(QueueName="done")["QueueUrl"]
sqs.send_message(QueueUrl=queue, MessageBody=json.dumps({"rows": 1}),
                 MessageAttributes={"job": {"DataType": "String", "StringValue": "score"}})
messages = sqs.receive_message(QueueUrl=queue, MessageAttributeNames=["All"], WaitTimeSeconds=1)["Messages"]
seen["message"] = [messages[0]["Body"], messages[0]["MessageAttributes"]["job"]["StringValue"]]
sqs.delete_message(QueueUrl=queue, ReceiptHandle=messages[0]["ReceiptHandle"])
try:
    sqs.get_queue_url(QueueName="nope")
except ClientError as error:
    seen["missing_queue"] = error.response["Error"]["Code"]

advance = urllib.request.Request(url + "/_rehearsal/clock", data=b'{"advance_seconds": 3600}', method="POST")
seen["clock"] = json.loads(urllib.request.urlopen(advance).read())["now"]
print(json.dumps(seen, sort_keys=True))
