"""The differential parity sequence: one fixed run of boto3 calls (and an `aws s3 cp` / `aws s3
sync` round trip with the AWS CLI) against an S3 + SQS endpoint — `moto_server` or `rehearse
cloud serve` — printing one normalised JSON record per call, so two runs can be compared record
by record (Tests/WireTests/MotoParityTests.swift does).

Usage: wire-moto-differential.py URL WORKDIR

A record is {"label", "status", "error", "data"}: the call's label, its HTTP status, its error
code (null on success) and what boto3 parsed from the answer (headers, listings, bodies),
normalised: request ids, dates, owners, account ids and the endpoint are dropped or replaced by
fixed marks; version ids, upload ids, receipt handles and continuation tokens become ordinal marks
(`<version:2>`) in order of first appearance, and message ids a mark of the body they first came
with, so two servers that answer alike give equal records. Nothing in the sequence is random or
depends on the time of day. Calls whose answer moto does not model (docs/wire.md, "Differences
from moto") are left out of the sequence.
"""
import base64
import datetime
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

url, workdir = sys.argv[1].rstrip("/"), sys.argv[2]
os.makedirs(workdir, exist_ok=True)

# Path-style addressing, no retries, and checksums only where an operation requires one (both
# servers take the CRC32 that botocore then sends), so the requests are plain.
config = Config(signature_version="s3v4", retries={"max_attempts": 1}, s3={"addressing_style": "path"},
                request_checksum_calculation="when_required", response_checksum_validation="when_required",
                connect_timeout=5, read_timeout=20)
session = dict(endpoint_url=url, aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1")
s3 = boto3.client("s3", config=config, **session)
sqs = boto3.client("sqs", config=config, **session)

class Record(list):
    """The records, with a note on standard error for each call slower than a second."""

    def append(self, record):
        global last
        now = time.monotonic()
        if now - last > 1:
            print(f"slow: {record['label']} took {now - last:.1f}s", file=sys.stderr)
        last = now
        super().append(record)


records = Record()
last = time.monotonic()


class Marks:
    """Ordinal marks for volatile ids, in order of first appearance, per kind."""

    def __init__(self):
        self.seen = {}

    def message(self, value, digest):
        table = self.seen.setdefault("message", {})
        if value not in table:
            same = sum(1 for known in table.values() if known.startswith(f"<message of {digest[:8]}"))
            table[value] = f"<message of {digest[:8]}" + (f" #{same + 1}>" if same else ">")
        return table[value]

    def restart(self, *kinds):
        """Starts counting `kinds` afresh (at a new part of the sequence, so that one extra id on
        either side does not shift every later mark)."""
        for kind in kinds:
            self.seen.pop(kind, None)

    def __call__(self, kind, value):
        if not value:
            return value
        table = self.seen.setdefault(kind, {})
        if value not in table:
            table[value] = len(table) + 1
        return f"<{kind}:{table[value]}>"


marks = Marks()
ENDPOINT_HOST = url.split("://", 1)[1]
# Fields whose values are ids chosen by the server: (kind of mark).
ID_FIELDS = {
    "VersionId": "version", "CopySourceVersionId": "version", "DeleteMarkerVersionId": "version",
    "NextVersionIdMarker": "version", "VersionIdMarker": "version",
    "UploadId": "upload",
    "ReceiptHandle": "receipt",
    "ContinuationToken": "token", "NextContinuationToken": "token",
    "NextToken": "token",
}
# Fields that only say when or who: replaced by a fixed mark when present.
VOLATILE_FIELDS = {"LastModified", "CreationDate", "Initiated", "Date", "Expires", "RequestId", "HostId",
                   "SentTimestamp", "ApproximateFirstReceiveTimestamp", "CreatedTimestamp", "LastModifiedTimestamp",
                   "SenderId", "SequenceNumber"}
# Owners, and the human-readable text of a batch entry's failure (its Code is compared).
DROPPED_FIELDS = {"ResponseMetadata", "Owner", "Initiator", "Message"}


def text(value):
    """Queue URLs and ARNs without the endpoint's address and the account id."""
    value = value.replace(url, "<endpoint>").replace(ENDPOINT_HOST, "<host>")
    for account in ("000000000000", "123456789012"):
        value = value.replace(account, "<account>")
    return value


def normalise(value, drop_versions=False, key=None):
    if isinstance(value, dict):
        out = {}
        for name, item in value.items():
            if name in DROPPED_FIELDS:
                continue
            if drop_versions and name in ("VersionId", "CopySourceVersionId"):
                continue
            out[name] = normalise(item, drop_versions, name)
        if isinstance(value.get("MessageId"), str):
            # A message id is marked by the MD5 of the body it first came with, so an extra id on
            # one side (a dead-lettered copy, a deduplicated send) shifts no other mark.
            digest = value.get("MD5OfMessageBody") or value.get("MD5OfBody") or "?"
            out["MessageId"] = marks.message(value["MessageId"], digest)
        return out
    if isinstance(value, list):
        if key == "QueueUrls":
            return sorted(text(item) for item in value)  # AWS leaves ListQueues' order unspecified
        return [normalise(item, drop_versions, key) for item in value]
    if isinstance(value, datetime.datetime):
        return "<time>"
    if isinstance(value, (bytes, bytearray)):
        return body(value)
    if key in VOLATILE_FIELDS:
        return "<" + key + ">"
    if key in ID_FIELDS and isinstance(value, str):
        return marks(ID_FIELDS[key], value)
    if key == "Location" and isinstance(value, str) and value.count("/") > 1:
        return location(value)
    if key == "RedrivePolicy" and isinstance(value, str):
        policy = json.loads(value)  # a JSON document as a string: compared as JSON, not as spelled
        policy["deadLetterTargetArn"] = text(policy.get("deadLetterTargetArn", ""))
        policy["maxReceiveCount"] = int(policy.get("maxReceiveCount", 0))
        return policy
    if isinstance(value, str):
        return text(value)
    return value


def location(value):
    """CompleteMultipartUpload's Location as the bucket and key it names: an absolute URL
    virtual-hosted (`http://BUCKET.s3.amazonaws.com/KEY`, moto) or path-style
    (`http://HOST/BUCKET/KEY`), whose host depends on where the server runs."""
    from urllib.parse import unquote, urlsplit
    parts = urlsplit(value)
    path = unquote(parts.path).lstrip("/")
    if parts.netloc.endswith(".amazonaws.com") and not parts.netloc.startswith("s3."):
        return "s3://" + parts.netloc.split(".s3.")[0] + "/" + path
    return ("s3://" if parts.netloc else "relative:") + path


def body(data):
    """Short bodies as text, long ones by size and MD5."""
    data = bytes(data)
    if len(data) <= 256:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    return {"bytes": len(data), "md5": hashlib.md5(data).hexdigest()}


def call(label, operation, drop_versions=False, keep=None, **arguments):
    """Runs one client call and records it; returns the raw answer (None on an error)."""
    try:
        answer = operation(**arguments)
    except ClientError as error:
        response = error.response
        records.append({"label": label, "status": response["ResponseMetadata"]["HTTPStatusCode"],
                        "error": response["Error"].get("Code"), "data": None})
        return None
    status = answer["ResponseMetadata"]["HTTPStatusCode"]
    if "Body" in answer:
        answer = dict(answer)
        answer["Body"] = answer["Body"].read()
    data = normalise({name: item for name, item in answer.items() if keep is None or name in keep}, drop_versions)
    records.append({"label": label, "status": status, "error": None, "data": data})
    return answer


def b64md5(data):
    return base64.b64encode(hashlib.md5(data).digest()).decode()


def http_date(moment):
    return moment.astimezone(datetime.timezone.utc).strftime("%a, %d %b %Y %H:%M:%S GMT")


# ---------------------------------------------------------------- S3: buckets
PLAIN, VERSIONED, CLI = "parity-plain", "parity-versioned", "parity-cli"
call("s3.list_buckets.empty", s3.list_buckets, keep={"Buckets"})
call("s3.create_bucket", s3.create_bucket, Bucket=PLAIN)
call("s3.create_bucket.again", s3.create_bucket, Bucket=PLAIN)
call("s3.create_bucket.name_too_short", s3.create_bucket, Bucket="ab")
call("s3.head_bucket", s3.head_bucket, Bucket=PLAIN, keep=set())
call("s3.head_bucket.missing", s3.head_bucket, Bucket="parity-missing")
call("s3.list_buckets", s3.list_buckets, keep={"Buckets"})
call("s3.get_bucket_location", s3.get_bucket_location, Bucket=PLAIN)

# ---------------------------------------------------------------- S3: writes
P = dict(drop_versions=True)  # the plain bucket is unversioned on moto: version ids are not compared there
doc = b"alpha beta gamma delta\n"
call("s3.put_object.metadata", s3.put_object, Bucket=PLAIN, Key="docs/a.txt", Body=doc, ContentType="text/plain",
     Metadata={"owner": "parity", "stage": "one"}, **P)
call("s3.put_object.content_md5", s3.put_object, Bucket=PLAIN, Key="docs/md5.txt", Body=b"checked", ContentMD5=b64md5(b"checked"), **P)
call("s3.put_object.bad_digest", s3.put_object, Bucket=PLAIN, Key="docs/md5.txt", Body=b"checked", ContentMD5=b64md5(b"other"), **P)
call("s3.put_object.if_none_match_exists", s3.put_object, Bucket=PLAIN, Key="docs/a.txt", Body=b"x", IfNoneMatch="*", **P)
call("s3.put_object.if_none_match_new", s3.put_object, Bucket=PLAIN, Key="docs/new.txt", Body=b"fresh", IfNoneMatch="*", **P)
etag_new = '"' + hashlib.md5(b"fresh").hexdigest() + '"'
call("s3.put_object.if_match", s3.put_object, Bucket=PLAIN, Key="docs/new.txt", Body=b"fresher", IfMatch=etag_new, **P)
call("s3.put_object.if_match_stale", s3.put_object, Bucket=PLAIN, Key="docs/new.txt", Body=b"stale", IfMatch=etag_new, **P)
call("s3.put_object.empty", s3.put_object, Bucket=PLAIN, Key="docs/empty.txt", Body=b"", **P)
call("s3.put_object.unicode_key", s3.put_object, Bucket=PLAIN, Key="docs/naïve file+1.txt", Body=b"odd key", **P)
call("s3.put_object.no_such_bucket", s3.put_object, Bucket="parity-missing", Key="k", Body=b"x", **P)

# ---------------------------------------------------------------- S3: reads
etag_doc = '"' + hashlib.md5(doc).hexdigest() + '"'
call("s3.get_object", s3.get_object, Bucket=PLAIN, Key="docs/a.txt", **P)
head = call("s3.head_object", s3.head_object, Bucket=PLAIN, Key="docs/a.txt", **P)
call("s3.get_object.range", s3.get_object, Bucket=PLAIN, Key="docs/a.txt", Range="bytes=0-4", **P)
call("s3.get_object.range_suffix", s3.get_object, Bucket=PLAIN, Key="docs/a.txt", Range="bytes=-6", **P)
call("s3.get_object.range_open", s3.get_object, Bucket=PLAIN, Key="docs/a.txt", Range="bytes=17-", **P)
call("s3.get_object.range_past_end", s3.get_object, Bucket=PLAIN, Key="docs/a.txt", Range="bytes=1000-2000", **P)
call("s3.get_object.if_match", s3.get_object, Bucket=PLAIN, Key="docs/a.txt", IfMatch=etag_doc, **P)
call("s3.get_object.if_match_fails", s3.get_object, Bucket=PLAIN, Key="docs/a.txt", IfMatch='"0123456789abcdef0123456789abcdef"', **P)
call("s3.get_object.if_none_match", s3.get_object, Bucket=PLAIN, Key="docs/a.txt", IfNoneMatch=etag_doc, **P)
call("s3.get_object.if_none_match_other", s3.get_object, Bucket=PLAIN, Key="docs/a.txt", IfNoneMatch='"0123456789abcdef0123456789abcdef"', **P)
modified = head["LastModified"] if head else datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)
call("s3.get_object.if_modified_since_then", s3.get_object, Bucket=PLAIN, Key="docs/a.txt", IfModifiedSince=modified, **P)
call("s3.get_object.if_modified_since_2000", s3.get_object, Bucket=PLAIN, Key="docs/a.txt",
     IfModifiedSince=datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc), **P)
call("s3.get_object.if_unmodified_since_2000", s3.get_object, Bucket=PLAIN, Key="docs/a.txt",
     IfUnmodifiedSince=datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc), **P)
call("s3.head_object.if_none_match", s3.head_object, Bucket=PLAIN, Key="docs/a.txt", IfNoneMatch=etag_doc, **P)
call("s3.head_object.if_match_fails", s3.head_object, Bucket=PLAIN, Key="docs/a.txt", IfMatch='"0123456789abcdef0123456789abcdef"', **P)
call("s3.head_object.if_modified_since_then", s3.head_object, Bucket=PLAIN, Key="docs/a.txt", IfModifiedSince=modified, **P)
call("s3.get_object.if_match_range", s3.get_object, Bucket=PLAIN, Key="docs/a.txt", IfMatch=etag_doc, Range="bytes=6-9", **P)
call("s3.get_object.empty", s3.get_object, Bucket=PLAIN, Key="docs/empty.txt", **P)
call("s3.get_object.unicode_key", s3.get_object, Bucket=PLAIN, Key="docs/naïve file+1.txt", **P)
call("s3.head_object.missing", s3.head_object, Bucket=PLAIN, Key="docs/missing.txt", **P)
call("s3.get_object.no_such_key", s3.get_object, Bucket=PLAIN, Key="docs/missing.txt", **P)
call("s3.get_object.no_such_bucket", s3.get_object, Bucket="parity-missing", Key="docs/a.txt", **P)

# ---------------------------------------------------------------- S3: copies
call("s3.copy_object", s3.copy_object, Bucket=PLAIN, Key="copies/a.txt", CopySource={"Bucket": PLAIN, "Key": "docs/a.txt"}, **P)
call("s3.head_object.copy", s3.head_object, Bucket=PLAIN, Key="copies/a.txt", **P)
call("s3.copy_object.replace_metadata", s3.copy_object, Bucket=PLAIN, Key="copies/b.txt",
     CopySource={"Bucket": PLAIN, "Key": "docs/a.txt"}, MetadataDirective="REPLACE", ContentType="text/csv",
     Metadata={"stage": "two"}, **P)
call("s3.head_object.replaced", s3.head_object, Bucket=PLAIN, Key="copies/b.txt", **P)
call("s3.copy_object.onto_itself", s3.copy_object, Bucket=PLAIN, Key="docs/a.txt", CopySource={"Bucket": PLAIN, "Key": "docs/a.txt"}, **P)
call("s3.copy_object.no_such_source", s3.copy_object, Bucket=PLAIN, Key="copies/c.txt",
     CopySource={"Bucket": PLAIN, "Key": "docs/missing.txt"}, **P)

# ---------------------------------------------------------------- S3: listings
for key in ("logs/2024/01.txt", "logs/2024/02.txt", "logs/2025/01.txt", "logs/readme.txt", "top.txt"):
    call("s3.put_object." + key, s3.put_object, Bucket=PLAIN, Key=key, Body=key.encode(), **P)
call("s3.list_objects_v2", s3.list_objects_v2, Bucket=PLAIN)
call("s3.list_objects_v2.prefix", s3.list_objects_v2, Bucket=PLAIN, Prefix="logs/")
call("s3.list_objects_v2.delimiter", s3.list_objects_v2, Bucket=PLAIN, Prefix="logs/", Delimiter="/")
call("s3.list_objects_v2.root_delimiter", s3.list_objects_v2, Bucket=PLAIN, Delimiter="/")
first = call("s3.list_objects_v2.max_keys", s3.list_objects_v2, Bucket=PLAIN, Prefix="logs/", MaxKeys=2)
if first and first.get("NextContinuationToken"):
    call("s3.list_objects_v2.continuation", s3.list_objects_v2, Bucket=PLAIN, Prefix="logs/", MaxKeys=2,
         ContinuationToken=first["NextContinuationToken"])
else:
    records.append({"label": "s3.list_objects_v2.continuation", "status": None, "error": "no token", "data": None})
call("s3.list_objects_v2.delimiter_max_keys", s3.list_objects_v2, Bucket=PLAIN, Prefix="logs/", Delimiter="/", MaxKeys=1)
call("s3.list_objects_v2.start_after", s3.list_objects_v2, Bucket=PLAIN, Prefix="logs/", StartAfter="logs/2024/02.txt")
call("s3.list_objects_v2.max_keys_zero", s3.list_objects_v2, Bucket=PLAIN, MaxKeys=0)
call("s3.list_objects_v2.no_match", s3.list_objects_v2, Bucket=PLAIN, Prefix="nothing/")
call("s3.list_objects_v2.no_such_bucket", s3.list_objects_v2, Bucket="parity-missing")

# ---------------------------------------------------------------- S3: deletes
call("s3.delete_object", s3.delete_object, Bucket=PLAIN, Key="top.txt", **P)
call("s3.delete_object.missing", s3.delete_object, Bucket=PLAIN, Key="top.txt", **P)
call("s3.delete_objects", s3.delete_objects, Bucket=PLAIN,
     Delete={"Objects": [{"Key": "logs/2024/01.txt"}, {"Key": "logs/2024/02.txt"}, {"Key": "logs/none.txt"}]}, **P)
call("s3.delete_objects.one", s3.delete_objects, Bucket=PLAIN, Delete={"Objects": [{"Key": "logs/2025/01.txt"}]}, **P)
call("s3.list_objects_v2.after_deletes", s3.list_objects_v2, Bucket=PLAIN)
call("s3.delete_bucket.not_empty", s3.delete_bucket, Bucket=PLAIN)

# ---------------------------------------------------------------- S3: multipart
MIB = 1024 * 1024
part_one = bytes(range(256)) * (5 * MIB // 256)
part_two = bytes(reversed(range(256))) * (5 * MIB // 256)
part_three = b"the last part may be small\n"
upload = call("s3.create_multipart_upload", s3.create_multipart_upload, Bucket=PLAIN, Key="big/file.bin",
              ContentType="application/octet-stream", Metadata={"kind": "multipart"}, **P)
upload_id = upload["UploadId"] if upload else "none"
part = dict(Bucket=PLAIN, Key="big/file.bin", UploadId=upload_id)
uploaded = [call(f"s3.upload_part.{number}", s3.upload_part, PartNumber=number, Body=data, **part, **P)
            for number, data in ((1, part_one), (2, part_two), (3, part_three))]
etags = [(answer or {}).get("ETag", '"none"') for answer in uploaded]
call("s3.list_parts", s3.list_parts, **part, **P)
call("s3.list_parts.max_parts", s3.list_parts, MaxParts=2, **part, **P)
call("s3.complete_multipart_upload", s3.complete_multipart_upload, **part, **P,
     MultipartUpload={"Parts": [{"PartNumber": number, "ETag": etag} for number, etag in zip((1, 2, 3), etags)]})
call("s3.head_object.multipart", s3.head_object, Bucket=PLAIN, Key="big/file.bin", **P)
call("s3.get_object.multipart_range", s3.get_object, Bucket=PLAIN, Key="big/file.bin",
     Range=f"bytes={5 * MIB - 4}-{5 * MIB + 3}", **P)
call("s3.get_object.multipart_tail", s3.get_object, Bucket=PLAIN, Key="big/file.bin", Range="bytes=-27", **P)
call("s3.list_parts.completed", s3.list_parts, **part, **P)
small = call("s3.create_multipart_upload.small", s3.create_multipart_upload, Bucket=PLAIN, Key="big/small.bin", **P)
small_part = dict(Bucket=PLAIN, Key="big/small.bin", UploadId=small["UploadId"] if small else "none")
small_one = call("s3.upload_part.small_1", s3.upload_part, PartNumber=1, Body=b"tiny one", **small_part, **P)
small_two = call("s3.upload_part.small_2", s3.upload_part, PartNumber=2, Body=b"tiny two", **small_part, **P)
call("s3.complete_multipart_upload.entity_too_small", s3.complete_multipart_upload, **small_part, **P,
     MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": (small_one or {}).get("ETag", '"none"')},
                                {"PartNumber": 2, "ETag": (small_two or {}).get("ETag", '"none"')}]})
call("s3.abort_multipart_upload", s3.abort_multipart_upload, **small_part, **P)
call("s3.list_parts.aborted", s3.list_parts, **small_part, **P)

# ---------------------------------------------------------------- S3: versions
call("s3.create_bucket.versioned", s3.create_bucket, Bucket=VERSIONED)
call("s3.put_bucket_versioning", s3.put_bucket_versioning, Bucket=VERSIONED, VersioningConfiguration={"Status": "Enabled"})
call("s3.get_bucket_versioning", s3.get_bucket_versioning, Bucket=VERSIONED)
v1 = call("s3.put_object.version_1", s3.put_object, Bucket=VERSIONED, Key="doc.txt", Body=b"first version\n")
call("s3.put_object.version_2", s3.put_object, Bucket=VERSIONED, Key="doc.txt", Body=b"second version\n")
call("s3.put_object.other_key", s3.put_object, Bucket=VERSIONED, Key="other.txt", Body=b"other\n")
call("s3.get_object.latest", s3.get_object, Bucket=VERSIONED, Key="doc.txt")
first_version = (v1 or {}).get("VersionId", "1")
call("s3.get_object.version_id", s3.get_object, Bucket=VERSIONED, Key="doc.txt", VersionId=first_version)
call("s3.head_object.version_id", s3.head_object, Bucket=VERSIONED, Key="doc.txt", VersionId=first_version)
call("s3.list_object_versions", s3.list_object_versions, Bucket=VERSIONED)
call("s3.copy_object.from_version", s3.copy_object, Bucket=VERSIONED, Key="restored.txt",
     CopySource={"Bucket": VERSIONED, "Key": "doc.txt", "VersionId": first_version})
call("s3.get_object.restored", s3.get_object, Bucket=VERSIONED, Key="restored.txt")

# ---------------------------------------------------------------- S3: emptying and deleting the plain bucket
listing = s3.list_objects_v2(Bucket=PLAIN).get("Contents", [])
call("s3.delete_objects.all", s3.delete_objects, Bucket=PLAIN,
     Delete={"Objects": [{"Key": item["Key"]} for item in listing]}, **P)
call("s3.delete_bucket", s3.delete_bucket, Bucket=PLAIN)
call("s3.head_bucket.deleted", s3.head_bucket, Bucket=PLAIN)
call("s3.delete_bucket.no_such_bucket", s3.delete_bucket, Bucket=PLAIN)

# ---------------------------------------------------------------- AWS CLI: cp and sync round trip
call("s3.create_bucket.cli", s3.create_bucket, Bucket=CLI)
local = os.path.join(workdir, "local")
back = os.path.join(workdir, "back")
for folder in (local, back):
    shutil.rmtree(folder, ignore_errors=True)
files = {"a.txt": b"first file\n", "sub/b.txt": b"second file\n", "sub/deeper/c.csv": b"id,label\n1,positive\n"}
for name, content in files.items():
    os.makedirs(os.path.dirname(os.path.join(local, name)), exist_ok=True)
    with open(os.path.join(local, name), "wb") as handle:
        handle.write(content)
cli_config = os.path.join(workdir, "aws-config")
with open(cli_config, "w") as handle:
    handle.write("[default]\nregion = us-east-1\ns3 =\n    addressing_style = path\n")
environment = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
environment.update(AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1",
                   AWS_ENDPOINT_URL=url, AWS_CONFIG_FILE=cli_config, AWS_SHARED_CREDENTIALS_FILE=os.devnull,
                   AWS_EC2_METADATA_DISABLED="true", AWS_REQUEST_CHECKSUM_CALCULATION="when_required",
                   AWS_RESPONSE_CHECKSUM_VALIDATION="when_required", AWS_MAX_ATTEMPTS="1", AWS_PAGER="")


def aws(label, *arguments):
    """Runs the AWS CLI (the awscli module of this python, else `aws` on PATH) and records its exit
    status and its output lines, sorted (transfers run in parallel), without the work dir."""
    try:
        import awscli  # noqa: F401
        command = [sys.executable, "-m", "awscli"]
    except ImportError:
        command = ["aws"]
    done = subprocess.run(command + list(arguments) + ["--no-progress"], env=environment, capture_output=True, text=True,
                          timeout=60, cwd=workdir)
    lines = sorted(line.strip().replace(workdir, "<work>") for line in done.stdout.splitlines() if line.strip())
    records.append({"label": label, "status": done.returncode, "error": None if done.returncode == 0 else done.stderr.strip()[-300:],
                    "data": {"output": lines}})


def tree(folder):
    found = {}
    for parent, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(parent, name)
            with open(path, "rb") as handle:
                found[os.path.relpath(path, folder)] = body(handle.read())
    return dict(sorted(found.items()))


aws("cli.s3_cp.upload", "s3", "cp", os.path.join(local, "a.txt"), f"s3://{CLI}/single/a.txt")
aws("cli.s3_sync.upload", "s3", "sync", local, f"s3://{CLI}/synced")
call("s3.list_objects_v2.cli", s3.list_objects_v2, Bucket=CLI)
aws("cli.s3_sync.unchanged", "s3", "sync", local, f"s3://{CLI}/synced")
aws("cli.s3_sync.download", "s3", "sync", f"s3://{CLI}/synced", back)
aws("cli.s3_cp.download", "s3", "cp", f"s3://{CLI}/single/a.txt", os.path.join(back, "single.txt"))
same = tree(back)
records.append({"label": "cli.round_trip", "status": None, "error": None,
                "data": {"files": same, "synced_back_equal": {k: v for k, v in same.items() if k != "single.txt"} == tree(local)}})

# ---------------------------------------------------------------- SQS: queues
call("sqs.list_queues.empty", sqs.list_queues)
jobs = (call("sqs.create_queue", sqs.create_queue, QueueName="parity-jobs") or {}).get("QueueUrl", url + "/0/parity-jobs")
dlq = (call("sqs.create_queue.dead_letters", sqs.create_queue, QueueName="parity-dead-letters") or {}).get("QueueUrl", url + "/0/dl")
call("sqs.create_queue.again", sqs.create_queue, QueueName="parity-jobs")
call("sqs.create_queue.different_attributes", sqs.create_queue, QueueName="parity-jobs", Attributes={"VisibilityTimeout": "99"})
call("sqs.create_queue.bad_name", sqs.create_queue, QueueName="parity jobs!")
call("sqs.get_queue_url", sqs.get_queue_url, QueueName="parity-jobs")
call("sqs.get_queue_url.missing", sqs.get_queue_url, QueueName="parity-missing")
call("sqs.list_queues.prefix", sqs.list_queues, QueueNamePrefix="parity-j")
call("sqs.list_queues", sqs.list_queues)
call("sqs.get_queue_attributes.unknown_name", sqs.get_queue_attributes, QueueUrl=jobs, AttributeNames=["NoSuchAttribute"])
call("sqs.get_queue_attributes.defaults", sqs.get_queue_attributes, QueueUrl=jobs,
     AttributeNames=["VisibilityTimeout", "MaximumMessageSize", "MessageRetentionPeriod", "DelaySeconds",
                     "ReceiveMessageWaitTimeSeconds", "QueueArn", "ApproximateNumberOfMessages"])
call("sqs.set_queue_attributes.visibility", sqs.set_queue_attributes, QueueUrl=jobs, Attributes={"VisibilityTimeout": "45"})
call("sqs.get_queue_attributes.visibility", sqs.get_queue_attributes, QueueUrl=jobs, AttributeNames=["VisibilityTimeout"])

# ---------------------------------------------------------------- SQS: messages
attributes = {"job": {"DataType": "String", "StringValue": "score"}, "rows": {"DataType": "Number", "StringValue": "42"},
              "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01binary"}}
call("sqs.send_message.attributes", sqs.send_message, QueueUrl=jobs, MessageBody='{"rows": 42}', MessageAttributes=attributes)
call("sqs.send_message", sqs.send_message, QueueUrl=jobs, MessageBody="plain message")
call("sqs.send_message_batch", sqs.send_message_batch, QueueUrl=jobs, Entries=[
    {"Id": "one", "MessageBody": "batch one"}, {"Id": "two", "MessageBody": "batch two",
                                                  "MessageAttributes": {"n": {"DataType": "String", "StringValue": "2"}}},
    {"Id": "three", "MessageBody": "batch three"}])
call("sqs.send_message_batch.repeated_ids", sqs.send_message_batch, QueueUrl=jobs, Entries=[
    {"Id": "same", "MessageBody": "a"}, {"Id": "same", "MessageBody": "b"}])
call("sqs.send_message_batch.empty", sqs.send_message_batch, QueueUrl=jobs, Entries=[])
call("sqs.send_message.no_such_queue", sqs.send_message, QueueUrl=jobs.replace("parity-jobs", "parity-missing"), MessageBody="x")
COUNTS = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
call("sqs.get_queue_attributes.counts_sent", sqs.get_queue_attributes, QueueUrl=jobs, AttributeNames=COUNTS)
received = call("sqs.receive_message.two", sqs.receive_message, QueueUrl=jobs, MaxNumberOfMessages=2, VisibilityTimeout=60,
                WaitTimeSeconds=0, MessageAttributeNames=["All"], AttributeNames=["ApproximateReceiveCount"])
messages = (received or {}).get("Messages", [])
call("sqs.get_queue_attributes.counts_received", sqs.get_queue_attributes, QueueUrl=jobs, AttributeNames=COUNTS)
if messages:
    call("sqs.change_message_visibility", sqs.change_message_visibility, QueueUrl=jobs,
         ReceiptHandle=messages[0]["ReceiptHandle"], VisibilityTimeout=0)
call("sqs.get_queue_attributes.counts_changed", sqs.get_queue_attributes, QueueUrl=jobs, AttributeNames=COUNTS)
if len(messages) > 1:
    call("sqs.delete_message", sqs.delete_message, QueueUrl=jobs, ReceiptHandle=messages[1]["ReceiptHandle"])
call("sqs.delete_message.invalid_handle", sqs.delete_message, QueueUrl=jobs, ReceiptHandle="not-a-receipt-handle")
call("sqs.receive_message.too_many", sqs.receive_message, QueueUrl=jobs, MaxNumberOfMessages=11)
rest = call("sqs.receive_message.rest", sqs.receive_message, QueueUrl=jobs, MaxNumberOfMessages=10, WaitTimeSeconds=0,
            AttributeNames=["ApproximateReceiveCount"])
rest_messages = (rest or {}).get("Messages", [])
call("sqs.change_message_visibility_batch", sqs.change_message_visibility_batch, QueueUrl=jobs,
     Entries=[{"Id": f"m{index}", "ReceiptHandle": message["ReceiptHandle"], "VisibilityTimeout": 120}
              for index, message in enumerate(rest_messages[:2])] + [{"Id": "bad", "ReceiptHandle": "not-a-receipt-handle",
                                                                       "VisibilityTimeout": 120}])
call("sqs.delete_message_batch", sqs.delete_message_batch, QueueUrl=jobs,
     Entries=[{"Id": f"m{index}", "ReceiptHandle": message["ReceiptHandle"]} for index, message in enumerate(rest_messages[:2])]
     + [{"Id": "bad", "ReceiptHandle": "not-a-receipt-handle"}])
call("sqs.get_queue_attributes.counts_deleted", sqs.get_queue_attributes, QueueUrl=jobs, AttributeNames=COUNTS)
call("sqs.receive_message.empty", sqs.receive_message, QueueUrl=jobs, WaitTimeSeconds=0)
call("sqs.purge_queue", sqs.purge_queue, QueueUrl=jobs)
call("sqs.get_queue_attributes.counts_purged", sqs.get_queue_attributes, QueueUrl=jobs, AttributeNames=COUNTS)

# ---------------------------------------------------------------- SQS: dead letters
marks.restart("receipt")
dlq_arn = (sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"]).get("Attributes") or {}).get("QueueArn", "")
policy = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "1"})
call("sqs.set_queue_attributes.redrive_policy", sqs.set_queue_attributes, QueueUrl=jobs, Attributes={"RedrivePolicy": policy})
call("sqs.get_queue_attributes.redrive_policy", sqs.get_queue_attributes, QueueUrl=jobs, AttributeNames=["RedrivePolicy"])
call("sqs.send_message.to_fail", sqs.send_message, QueueUrl=jobs, MessageBody="cannot be processed")
failing = call("sqs.receive_message.first_attempt", sqs.receive_message, QueueUrl=jobs, WaitTimeSeconds=0,
               AttributeNames=["ApproximateReceiveCount"])
for message in (failing or {}).get("Messages", []):
    call("sqs.change_message_visibility.give_back", sqs.change_message_visibility, QueueUrl=jobs,
         ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0)
call("sqs.receive_message.after_max_receives", sqs.receive_message, QueueUrl=jobs, WaitTimeSeconds=0)
call("sqs.receive_message.dead_letter", sqs.receive_message, QueueUrl=dlq, WaitTimeSeconds=0, AttributeNames=["ApproximateReceiveCount"])

# ---------------------------------------------------------------- SQS: FIFO
marks.restart("receipt")
orders = (call("sqs.create_queue.fifo", sqs.create_queue, QueueName="parity-orders.fifo", Attributes={"FifoQueue": "true"})
          or {}).get("QueueUrl", url + "/0/parity-orders.fifo")
call("sqs.get_queue_attributes.fifo", sqs.get_queue_attributes, QueueUrl=orders, AttributeNames=["FifoQueue", "ContentBasedDeduplication"])
call("sqs.send_message.fifo", sqs.send_message, QueueUrl=orders, MessageBody="order 1", MessageGroupId="customer-a",
     MessageDeduplicationId="order-1")
call("sqs.send_message.fifo_duplicate", sqs.send_message, QueueUrl=orders, MessageBody="order 1 again", MessageGroupId="customer-a",
     MessageDeduplicationId="order-1")
call("sqs.send_message.fifo_second", sqs.send_message, QueueUrl=orders, MessageBody="order 2", MessageGroupId="customer-b",
     MessageDeduplicationId="order-2")
call("sqs.send_message.fifo_no_group", sqs.send_message, QueueUrl=orders, MessageBody="order 3", MessageDeduplicationId="order-3")
call("sqs.send_message.fifo_no_deduplication_id", sqs.send_message, QueueUrl=orders, MessageBody="order 4", MessageGroupId="customer-a")
call("sqs.get_queue_attributes.fifo_counts", sqs.get_queue_attributes, QueueUrl=orders, AttributeNames=COUNTS)
call("sqs.receive_message.fifo", sqs.receive_message, QueueUrl=orders, MaxNumberOfMessages=10, WaitTimeSeconds=0,
     AttributeNames=["MessageGroupId"])

# ---------------------------------------------------------------- SQS: deleting queues
call("sqs.delete_queue", sqs.delete_queue, QueueUrl=orders)
call("sqs.get_queue_url.deleted", sqs.get_queue_url, QueueName="parity-orders.fifo")
call("sqs.get_queue_attributes.deleted", sqs.get_queue_attributes, QueueUrl=orders, AttributeNames=["All"])
call("sqs.receive_message.deleted", sqs.receive_message, QueueUrl=orders, WaitTimeSeconds=0)
call("sqs.purge_queue.deleted", sqs.purge_queue, QueueUrl=orders)
call("sqs.list_queues.end", sqs.list_queues)
call("s3.list_buckets.end", s3.list_buckets, keep={"Buckets"})


for record in records:
    print(json.dumps(record, sort_keys=True))
