import GongguCore
import GongguEvents

/// The notifier's state in a snapshot (`SnapshotFold`): the directory in force (its document), the
/// hashes of those activated, the notification table in creation order (each record with its slots in
/// the count tables and, while unacknowledged, its full `NotificationCreated`), the reply index, the
/// households' regions, the decision keys, both count tables in slot order, the clock, the last sweep
/// and the anomaly counts. Every field the fold keeps is written.
extension NotifyFold: SnapshotFold {
    public func writeSnapshot(to w: inout JSONWriter) {
        w.beginObject()
        if let directory { w.field("directory", directory.text) }
        w.field("directoryHashes", directoryHashes)
        w.field("clockDay", Int(clockDay))
        w.field("sweptDay", Int(sweptDay))
        w.key("anomalies")
        w.beginArray()
        for v in anomalies.all { w.int(v) }
        w.endArray()
        w.rows("records", 0..<Int32(table.count)) { w, row in
            let r = table[row]
            r.writeSharedFields(to: &w, absent: .null)
            if let n = r.open { w.raw(n.notification.jsonBytes) } else { w.null() }
            if let result = r.result { w.string(result) } else { w.null() }
            w.int(Int(r.recipientSlot))
            w.int(Int(r.regionSlot))
        }
        w.rows("replyIndex", replyIndex.sortedText) { w, entry in
            w.string(entry.reference)
            w.string(entry.notification)
        }
        w.rows("householdRegions", householdRegions.sorted(by: { $0.key < $1.key })) { w, entry in
            w.string(entry.key)
            w.string(entry.value)
        }
        w.field("decisionKeys", decisionKeys.sorted())
        for (name, counts) in [("byRecipient", byRecipient), ("byRegion", byRegion)] {
            w.rows(name, counts.names.enumerated()) { w, entry in
                w.string(entry.element)
                counts.counts[entry.offset].write(to: &w)
            }
        }
        w.endObject()
    }

    public init(snapshot r: inout JSONReader) throws {
        self.init()
        func key(_ text: String) throws -> NotificationKey {
            guard let k = NotificationKey(text) else { throw SnapshotStateError("notification id \(text)") }
            return k
        }
        func counts(_ r: inout JSONReader) throws -> CountsTable {
            var names: [String] = []
            var values: [NotifyCounts] = []
            try r.readArray { r in
                try r.readRow(count: 2) { r, n in
                    if n == 0 {
                        names.append(try r.readString())
                    } else {
                        var v: [Int] = []
                        try r.readArray { v.append(try $0.readInt()) }
                        guard v.count == 9 else { throw SnapshotStateError("counts") }
                        var c = NotifyCounts()
                        (c.created, c.delivered, c.acknowledged, c.escalated) = (v[0], v[1], v[2], v[3])
                        (c.ackDaysTotal, c.ackDaysMax, c.ackMillisTotal, c.ackMillisCount) = (v[4], v[5], Int64(v[6]), v[7])
                        c.withdrawn = v[8]
                        values.append(c)
                    }
                }
            }
            guard Set(names).count == names.count else { throw SnapshotStateError("counts: a name twice") }
            return CountsTable(names: names, counts: values)
        }
        var directoryText: String?
        try r.readObject { r, k in
            switch k {
            case "directory": directoryText = try r.readString()
            case "directoryHashes": directoryHashes = try r.readStringArray()
            case "clockDay": clockDay = try r.readInt32()
            case "sweptDay": sweptDay = try r.readInt32()
            case "anomalies":
                var v: [Int] = []
                try r.readArray { v.append(try $0.readInt()) }
                guard v.count == 14 else { throw SnapshotStateError("anomalies") }
                var a = NotifyAnomalies()
                (a.unrouted, a.malformedSources, a.duplicateNotifications, a.unknownAcknowledgements) = (v[0], v[1], v[2], v[3])
                (a.foreignAcknowledgements, a.revokedAcknowledgements, a.duplicateAcknowledgements) = (v[4], v[5], v[6])
                (a.strayDeliveries, a.invalidDirectories, a.unescalatable, a.refusedDecisions) = (v[7], v[8], v[9], v[10])
                (a.malformedInputs, a.refusedReceipts, a.duplicateReceipts) = (v[11], v[12], v[13])
                anomalies = a
            case "records":
                try r.readArray { r in
                    var rec = NotificationRecord(
                        key: NotificationKey(.zero), recipient: "", isEscalation: false, sourceEventID: "", sourceType: "",
                        region: "", householdID: "", createdDay: 0, replyTarget: "")
                    try r.readRow(count: 19) { r, n in
                        switch n {
                        case 0: rec.key = try key(try r.readString())
                        case 1: rec.recipient = try r.readString()
                        case 2: rec.isEscalation = try r.readBool()
                        case 3: rec.sourceEventID = try r.readString()
                        case 4: rec.sourceType = try r.readString()
                        case 5: rec.region = try r.readString()
                        case 6: rec.householdID = try r.readString()
                        case 7: rec.createdDay = try r.readInt32()
                        case 8: rec.deliveries = try r.readInt()
                        case 9: rec.firstDeliveredAt = try r.readNullIfPresent() ? nil : Timestamp(try r.readInt())
                        case 10: rec.acknowledgedDay = try r.readNullIfPresent() ? nil : try r.readInt32()
                        case 11: rec.escalated = try r.readBool()
                        case 12: rec.escalation = try r.readNullIfPresent() ? nil : try key(try r.readString())
                        case 13: rec.withdrawnDay = try r.readNullIfPresent() ? nil : try r.readInt32()
                        case 14: rec.replyTarget = try r.readString()
                        case 15: rec.open = try r.readNullIfPresent() ? nil : OpenNotification(try NotificationCreated(json: &r))
                        case 16: rec.result = try r.readNullIfPresent() ? nil : try r.readString()
                        case 17: rec.recipientSlot = try r.readInt32()
                        default: rec.regionSlot = try r.readInt32()
                        }
                    }
                    guard table.row(of: rec.key) == nil else { throw SnapshotStateError("notification twice") }
                    table.append(rec)
                }
            case "replyIndex":
                try r.readArray { r in
                    var reference = ""
                    try r.readRow(count: 2) { r, n in
                        if n == 0 { reference = try r.readString() } else { replyIndex.noteFirst(reference, try key(try r.readString())) }
                    }
                }
            case "householdRegions":
                try r.readArray { r in
                    var household = ""
                    try r.readRow(count: 2) { r, n in
                        if n == 0 { household = try r.readString() } else { householdRegions[household] = try r.readString() }
                    }
                }
            case "decisionKeys": decisionKeys = Set(try r.readStringArray())
            case "byRecipient": byRecipient = try counts(&r)
            case "byRegion": byRegion = try counts(&r)
            default: try r.skipValue()
            }
        }
        if let directoryText {
            let d = try RecipientDirectory(text: directoryText)
            guard d.sha256 == directoryHashes.last else { throw SnapshotStateError("directory is not the last activated") }
            directory = d
        }
        for row in 0..<Int32(table.count) {
            let rec = table[row]
            guard rec.recipientSlot >= -1, Int(rec.recipientSlot) < byRecipient.names.count, rec.regionSlot >= -1,
                Int(rec.regionSlot) < byRegion.names.count
            else { throw SnapshotStateError("notification slots") }
        }
    }
}
