import Foundation
import GongguCore
import GongguEvents
import GongguIntake
import GongguSimulation

/// The province of `gonggu-bench pipeline` written to `<directory>/province` for the in-process memory
/// benches: its files with their kinds, the reference date, the time the files count as received, and
/// the reference date's tick.
struct BenchProvince {
    let path: String
    let referenceDate: String
    let received: Int64
    let files: [(file: String, kind: RecordKind)]
    let tick: Event

    init(households: Int, seed: UInt64, directory: String) throws {
        path = "\(directory)/province"
        _ = try Simulator(households: households, seed: seed).write(to: path)
        let manifest = try JSONValue.parse([UInt8](FileManager.default.contents(atPath: "\(path)/manifest.json") ?? Data()))
        referenceDate = manifest["referenceDate"]?.stringValue ?? Simulator.referenceDate
        received = BusinessCalendar.timestamp(ofDay: BusinessCalendar.dayNumber(referenceDate)!)
        files = (manifest["files"]?.arrayValue ?? []).compactMap { entry in
            guard let file = entry["file"]?.stringValue, let kind = entry["kind"]?.stringValue.flatMap({ RecordKind(rawValue: $0) })
            else { return nil }
            return (file, kind)
        }
        tick = Event(
            ClockTicked(date: referenceDate), id: EventID.derived("simulation|tick|\(referenceDate)"),
            subject: "simulation", region: "22", occurredAt: received)
    }

    /// A reader of one of the files, as intake reads it.
    func reader(_ file: String, _ kind: RecordKind) throws -> IntakeReader {
        let context = IntakeContext(
            kind: kind, source: file, importID: EventID.derived("simulation|import|\(file)"), receivedAt: received)
        return try IntakeReader(path: "\(path)/\(file)", context: context)
    }
}
