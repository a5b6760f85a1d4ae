/// One field of a CSV file as RFC 4180 writes it: as it is, or in double quotes with each quote doubled
/// when it holds a comma, a quote or a line break. The report's tables and the simulator's record files
/// both write their fields through it.
public enum CSVField {
    /// Appends `field` (UTF-8 bytes) to `out`, quoted when it must be.
    @inlinable
    public static func append<C: Collection>(_ field: C, to out: inout [UInt8]) where C.Element == UInt8 {
        guard field.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
            out.append(contentsOf: field)
            return
        }
        out.append(0x22)
        for b in field {
            if b == 0x22 { out.append(0x22) }
            out.append(b)
        }
        out.append(0x22)
    }
}
