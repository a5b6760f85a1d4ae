import GongguCore
import GongguIntake
import GongguRuntime
import GongguStore

extension IntakeContext {
    /// The context of records intake's edge takes in now (an import, a network submission, a workbook):
    /// received at the service's clock, record fingerprints hashed on the CPU's SHA-256 engine
    /// (`SHA256Engine.selectedCompressor`; every engine gives the same digest).
    static func receivedNow(kind: RecordKind, source: String, regionPolicy: RegionPolicy, importID: EventID) -> IntakeContext {
        var context = IntakeContext(
            kind: kind, source: source, regionPolicy: regionPolicy, importID: importID, receivedAt: ServiceHost.now())
        context.compressor = SHA256Engine.selectedCompressor
        return context
    }
}
