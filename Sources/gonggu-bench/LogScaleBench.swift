import Foundation
import GongguCore
import GongguStore

/// `gonggu-bench log-scale`: appends a province-sized stream of fact events into two logs, one without
/// secondary indexes (the sidecar index, docs/LOG_INDEX.md) and one given the blocked indexes every log had
/// before it (`events_id_block`, `events_subject_block`, `events_person_key_block`), and
/// prints the append rate per segment of the stream, so that the cost of random-order index keys as
/// the log grows shows in one run. Subjects are scattered over `households` households, as when a
/// province's files each walk all households again. Then times lookups by id and by subject in both.
enum LogScaleBench {
    static func run(events: Int, batch: Int, households: Int, segments: Int, directory: String) throws -> [BenchRow] {
        var rows: [BenchRow] = []
        for layout in ["sidecar", "blocked"] {
            let path = "\(directory)/scale-\(layout).sqlite"
            StoreBenchData.remove(path)
            defer { StoreBenchData.remove(path) }
            let log = try EventLog(path: path, stream: "bench-scale", synchronous: .full)
            if layout == "blocked" { try addBlockedIndexes(log) }
            let segment = max(1, events / segments)
            var segmentStart = DispatchTime.now().uptimeNanoseconds
            var sampleIDs: [EventID] = []
            var i = 0
            while i < events {
                let n = min(batch, events - i)
                let chunk = scattered(i..<(i + n), households: households)
                try log.append(chunk, recordedAt: 1_767_225_600_000)
                sampleIDs.append(chunk[n / 2].id)
                i += n
                if i % segment == 0 || i == events {
                    let done = i % segment == 0 ? segment : i % segment
                    let rate = Double(done) / Double(DispatchTime.now().uptimeNanoseconds - segmentStart) * 1e9
                    rows.append(BenchRow(
                        name: "\(layout): append events \(i - done + 1)–\(i)", value: rate, unit: "events/s",
                        note: "batches of \(batch), synchronous=FULL"))
                    segmentStart = DispatchTime.now().uptimeNanoseconds
                }
            }
            // Look-ups through the sidecar index (both files: the blocked one's indexes are not read).
            try log.updateIndex()
            let reader = try EventLog(path: path, stream: nil, readOnly: true)
            var start = DispatchTime.now().uptimeNanoseconds
            for id in sampleIDs.prefix(100) {
                guard try reader.event(id: id) != nil else { throw StoreBenchError("lost \(id)") }
            }
            let byID = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 / Double(min(100, sampleIDs.count))
            start = DispatchTime.now().uptimeNanoseconds
            var found = 0
            for h in 0..<100 { found += try reader.events(subject: household(h * 7919 % households)).count }
            let bySubject = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 / 100
            rows.append(BenchRow(
                name: "\(layout): event(id:)", value: byID, unit: "ms",
                note: "mean of \(min(100, sampleIDs.count)) ids spread over the log"))
            rows.append(BenchRow(
                name: "\(layout): events(subject:)", value: bySubject, unit: "ms",
                note: "mean of 100 households, \(found / 100) events each on average"))
        }
        return rows
    }

    /// Gives the open writer's log the blocked secondary indexes every log had before the sidecar index (its
    /// appends then pay for them on the commit path, as the old write path did).
    static func addBlockedIndexes(_ log: EventLog, shift: Int = 17) throws {
        try log.withDatabase { db in
            try db.execute("""
                CREATE UNIQUE INDEX events_id_block ON events(seq >> \(shift), id);
                CREATE INDEX events_subject_block ON events(seq >> \(shift), subject, seq);
                CREATE INDEX events_person_key_block ON events(seq >> \(shift), person, seq) WHERE person IS NOT NULL;
                """)
        }
    }

    static func household(_ h: Int) -> String { "HH\(220_000_000 + h)" }

    /// The bench's fact events `range`, each about one of `households` households in scattered order.
    static func scattered(_ range: Range<Int>, households: Int) -> [Event] {
        var out = StoreBenchData.events(range: range)
        for k in out.indices {
            let h = (range.lowerBound + k) &* 2_654_435_761 % households
            out[k].subject = household(h)
        }
        return out
    }
}
