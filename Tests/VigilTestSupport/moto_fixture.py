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

For the AWS alert sinks:
  sns-setup TOPIC QUEUE           a topic with a queue subscribed; prints "TOPIC_ARN QUEUE_URL"
  events-setup BUS QUEUE          a bus (unless "default") whose rule sends events of source
                                  "vigil" to a queue; prints "BUS_ARN QUEUE_URL"
  lambda-setup FUNCTION           a Python function (moto stores it; without docker it runs
                                  nothing); prints its ARN
  receive QUEUE_URL COUNT         receives until COUNT messages came (or 10 s passed) and prints
                                  their bodies as a JSON array
  drain QUEUE_URL                 receives until two receives in a row come back empty and prints
                                  every body as a JSON array (repeats included)
  findings                        prints Security Hub's findings (GetFindings, every page) as JSON
  record-start                    starts moto's request recorder (cleared first)
  recorded                        prints the recorded requests as a JSON array
"""
import io
import json
import os
import sys
import time
import urllib.request
import zipfile

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
    elif command == "sns-setup":
        topic, queue = args
        sns = client("sns", endpoint)
        arn = sns.create_topic(Name=topic)["TopicArn"]
        url = sqs.create_queue(QueueName=queue)["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=queue_arn)
        print(arn, url)
    elif command == "events-setup":
        bus, queue = args
        events = client("events", endpoint)
        if bus == "default":
            bus_arn = events.describe_event_bus(Name="default")["Arn"]
        else:
            bus_arn = events.create_event_bus(Name=bus)["EventBusArn"]
        url = sqs.create_queue(QueueName=queue)["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        events.put_rule(Name=queue + "-rule", EventBusName=bus, EventPattern=json.dumps({"source": ["vigil"]}))
        events.put_targets(Rule=queue + "-rule", EventBusName=bus, Targets=[{"Id": "queue", "Arn": queue_arn}])
        print(bus_arn, url)
    elif command == "lambda-setup":
        (name,) = args
        request = urllib.request.Request(endpoint + "/moto-api/config", method="POST",
                                         data=json.dumps({"lambda": {"use_docker": False}}).encode(),
                                         headers={"Content-Type": "application/json"})
        urllib.request.urlopen(request).read()
        iam = client("iam", endpoint)
        role = iam.create_role(RoleName=name + "-role", AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                                    "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
        code = io.BytesIO()
        with zipfile.ZipFile(code, "w") as archive:
            archive.writestr("handler.py", "def handle(event, context):\n    return event\n")
        arn = client("lambda", endpoint).create_function(
            FunctionName=name, Runtime="python3.11", Role=role, Handler="handler.handle",
            Code={"ZipFile": code.getvalue()})["FunctionArn"]
        print(arn)
    elif command == "receive":
        url, count = args[0], int(args[1])
        bodies, deadline = [], time.time() + 10
        while len(bodies) < count and time.time() < deadline:
            answer = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
            for message in answer.get("Messages", []):
                bodies.append(message["Body"])
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        print(json.dumps(bodies))
    elif command == "drain":
        (url,) = args
        bodies, empty = [], 0
        while empty < 2:
            messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
            empty = 0 if messages else empty + 1
            for message in messages:
                bodies.append(message["Body"])
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        print(json.dumps(bodies))
    elif command == "findings":
        hub = client("securityhub", endpoint)
        findings, token = [], None
        while True:
            page = hub.get_findings(**({"NextToken": token} if token else {}))
            findings += page["Findings"]
            token = page.get("NextToken")
            if not token:
                break
        print(json.dumps(findings))
    elif command == "record-start":
        for action in ("reset-recording", "start-recording"):
            urllib.request.urlopen(urllib.request.Request(endpoint + "/moto-api/recorder/" + action, method="POST")).read()
    elif command == "recorded":
        text = urllib.request.urlopen(endpoint + "/moto-api/recorder/download-recording").read().decode()
        print(json.dumps([json.loads(line) for line in text.splitlines() if line.strip()]))
    else:
        sys.exit(f"unknown command {command}")


if __name__ == "__main__":
    main(sys.argv)
