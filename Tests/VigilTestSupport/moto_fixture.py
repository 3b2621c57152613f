#!/usr/bin/env python3
"""Sets up and inspects S3 buckets and SQS queues on a moto server for Vigil's tests, with boto3,
as an operator's tooling would: Vigil itself never uses this.

Usage: moto_fixture.py ENDPOINT COMMAND ARGS...
  setup BUCKET QUEUE VISIBILITY   bucket, queue, and the bucket's ObjectCreated notifications to
                                  the queue; prints the queue URL
  put BUCKET KEY FILE             uploads FILE as KEY
  put-dir BUCKET DIR              uploads every file under DIR, keyed by its path below DIR, in
                                  sorted order (so notifications arrive in that order)
  send QUEUE_URL FILE             sends FILE's text as a message (SNS envelopes, EventBridge events)
  depth QUEUE_URL                 prints visible and in-flight message counts: "3 1"
"""
import os
import sys

import boto3


def client(service, endpoint):
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def main(argv):
    endpoint, command, args = argv[1], argv[2], argv[3:]
    s3, sqs = client("s3", endpoint), client("sqs", endpoint)
    if command == "setup":
        bucket, queue, visibility = args
        s3.create_bucket(Bucket=bucket)
        url = sqs.create_queue(QueueName=queue, Attributes={"VisibilityTimeout": visibility})["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={
            "QueueConfigurations": [{"QueueArn": arn, "Events": ["s3:ObjectCreated:*"]}]})
        print(url)
    elif command == "put":
        bucket, key, path = args
        with open(path, "rb") as body:
            s3.put_object(Bucket=bucket, Key=key, Body=body.read())
    elif command == "put-dir":
        bucket, directory = args
        paths = sorted(os.path.join(root, name) for root, _, names in os.walk(directory) for name in names)
        for path in paths:
            with open(path, "rb") as body:
                s3.put_object(Bucket=bucket, Key=os.path.relpath(path, directory), Body=body.read())
    elif command == "send":
        url, path = args
        with open(path, encoding="utf-8") as body:
            sqs.send_message(QueueUrl=url, MessageBody=body.read())
    elif command == "depth":
        (url,) = args
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[
            "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
        print(attributes["ApproximateNumberOfMessages"], attributes["ApproximateNumberOfMessagesNotVisible"])
    else:
        sys.exit(f"unknown command {command}")


if __name__ == "__main__":
    main(sys.argv)
