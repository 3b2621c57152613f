import VigilJSON

/// Handing records on: every form's reader ends here with an object, or a flow log line, that it
/// has found; the object is validated strictly, classified by its keys and handed to the visitor
/// as what it is, or unwrapped when it carries other records.
extension LogFileReader {
    /// Validates one object and hands it on as what it is, unwrapping containers held in memory.
    /// `container`: the array of records it is an element of, when that says what it is.
    /// `isEncoded`: the object's bytes are not the input's (a message in a base64 payload), so a
    /// problem in it is reported at `decodedOffset` rather than at an offset within it.
    /// `isValidated`: `readValue` has validated it already, into `memberIndex`.
    func handleObject<Visitor: RecordVisitor>(_ object: UnsafeRawBufferPointer, decodedOffset: Int,
                                              container: RecordContainer? = nil,
                                              isEncoded: Bool = false, isValidated: Bool = false,
                                              into visitor: inout Visitor) {
        do {
            if !isValidated {
                try JSONValidator.validate(object, maximumDepth: limits.maximumDepth, members: memberIndex)
            }
        } catch {
            visitor.report(InputProblem(error.kind == .tooDeep ? .tooDeep : .malformedRecord, path: path,
                                        offset: decodedOffset + (isEncoded ? 0 : error.offset), record: ordinal,
                                        reason: error.message))
            ordinal += 1
            return
        }
        // The elements of a CloudTrail log file are CloudTrail records; looking at their keys
        // again would only cost time. Other containers' elements are looked at one by one.
        if let kind = container?.elementKind {
            visit(kind, object, decodedOffset: decodedOffset, into: &visitor)
            return
        }
        switch RecordClassifier.classify(object) {
        case .cloudTrail:
            visit(.cloudTrail, object, decodedOffset: decodedOffset, into: &visitor)
        case .guardDutyFinding:
            visit(.guardDutyFinding, object, decodedOffset: decodedOffset, into: &visitor)
        case .securityHubFinding:
            visit(.securityHubFinding, object, decodedOffset: decodedOffset, into: &visitor)
        case .eventBridgeEvent:
            visit(.eventBridgeEvent, object, decodedOffset: decodedOffset, into: &visitor)
        case .cloudTrailDigest:
            visitor.skip(.cloudTrailDigest)
        case .config:
            visit(.config, object, decodedOffset: decodedOffset, into: &visitor)
        case .configDeliveryNotice:
            visitor.skip(.configDeliveryNotice)
        case .snsNotification(let message):
            handleSNSNotification(object, message: message, decodedOffset: decodedOffset, into: &visitor)
        case .container(let elements):
            handleArrayInMemory(object, elements: elements, decodedOffset: decodedOffset, into: &visitor)
        case .lookupEventsEntry(let cloudTrailEvent):
            handleEmbeddedRecord(object, string: cloudTrailEvent, decodedOffset: decodedOffset, into: &visitor)
        case .cloudWatchLogsWrapper(let awslogs):
            handleCloudWatchLogsWrapper(object, awslogs: awslogs, decodedOffset: decodedOffset, into: &visitor)
        case .cloudWatchLogsPayload:
            handleCloudWatchLogsPayload(object, decodedOffset: decodedOffset, into: &visitor)
        case .unknown:
            visitor.report(InputProblem(.unrecognizedRecord, path: path, offset: decodedOffset, record: ordinal,
                                        reason: "Not a record Vigil reads (CloudTrail, GuardDuty or Security Hub finding, AWS Config item or notification, EventBridge event)"))
            ordinal += 1
        }
    }

    func visit<Visitor: RecordVisitor>(_ kind: LogRecord.Kind, _ bytes: UnsafeRawBufferPointer,
                                       decodedOffset: Int, flowFormat: FlowLogFormat? = nil,
                                       ownerAccount: String? = nil, into visitor: inout Visitor) {
        // Only a JSON record was just validated into the member index (a flow line has none).
        visitor.visit(LogRecord(kind: kind, bytes: bytes, ordinal: ordinal, decodedOffset: decodedOffset,
                                flowFormat: flowFormat, ownerAccount: ownerAccount,
                                members: kind == .flowLog ? nil : memberIndex))
        ordinal += 1
    }

    /// Reports a problem with the record at `offset` (a decoded offset) and counts the record.
    func reportRecordProblem<Visitor: RecordVisitor>(_ kind: InputProblem.Kind, offset: Int, reason: String,
                                                     into visitor: inout Visitor) {
        visitor.report(InputProblem(kind, path: path, offset: offset, record: ordinal, reason: reason))
        ordinal += 1
    }

    /// The elements of a container array inside an object already in memory (and validated).
    private func handleArrayInMemory<Visitor: RecordVisitor>(_ object: UnsafeRawBufferPointer, elements: Range<Int>,
                                                             decodedOffset: Int, into visitor: inout Visitor) {
        JSONBytes.forEachElement(in: object, arrayAt: elements.lowerBound) { element in
            let elementBytes = UnsafeRawBufferPointer(rebasing: object[element])
            if object[element.lowerBound] == UInt8(ascii: "{") {
                handleObject(elementBytes, decodedOffset: decodedOffset + element.lowerBound, into: &visitor)
            } else {
                reportRecordProblem(.unrecognizedRecord, offset: decodedOffset + element.lowerBound,
                                    reason: "An element of the array of records is not a JSON object", into: &visitor)
            }
        }
    }
}
