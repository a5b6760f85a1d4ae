import GongguCore

extension NotifyFold {
    /// SHA-256 (hex) over a canonical dump of the whole state: keys sorted, every field written, so
    /// equal states give equal digests whatever the dictionaries' iteration order.
    ///
    /// `NotificationRecord.ordinal` is left out (`nextOrdinal`, the count, stays): it numbers
    /// notifications in arrival order across two upstreams (risk monitor and benefit verifier), whose
    /// merge timing decides, and even the risk monitor's own order of decisions depends on how its two
    /// upstreams were merged. The ordinal only orders pending lists and the escalations of one sweep;
    /// what is created, delivered, acknowledged and escalated is all in the digest.
    public func stateDigest() -> String {
        var w = JSONWriter(capacity: 4096 + table.count * 160)
        w.beginObject()
        w.field("directories", directoryHashes)
        w.field("clockDay", Int(clockDay))
        w.field("sweptDay", Int(sweptDay))
        w.field("nextOrdinal", nextOrdinal)
        w.key("anomalies")
        w.beginArray()
        for v in anomalies.all { w.int(v) }
        w.endArray()
        // Keys sort as their ids' text does (NotificationKey).
        let byKey = table.rowsByKey
        w.rows("records", byKey) { w, row in
            let r = table[row]
            r.writeSharedFields(to: &w, absent: .placeholder)
            if let result = r.result { w.string(result) }
        }
        w.key("open")
        w.beginArray()
        for row in byKey { if let n = table[row].open { w.raw(n.notification.jsonBytes) } }
        w.endArray()
        w.key("replyIndex")
        w.beginArray()
        for (reference, notification) in replyIndex.sortedText {
            w.string(reference)
            w.string(notification)
        }
        w.endArray()
        writeSorted(householdRegions, "householdRegions", &w)
        w.field("decisions", decisionKeys.sorted())
        for (name, table) in [("byRecipient", byRecipient), ("byRegion", byRegion)] {
            w.key(name)
            w.beginArray()
            for (key, counts) in table.sorted {
                w.string(key)
                counts.write(to: &w)
            }
            w.endArray()
        }
        w.endObject()
        return SHA256.hash(w.bytes).hexString
    }

    private func writeSorted(_ map: [String: String], _ name: String, _ w: inout JSONWriter) {
        w.key(name)
        w.beginArray()
        for key in map.keys.sorted() {
            w.string(key)
            w.string(map[key]!)
        }
        w.endArray()
    }
}
