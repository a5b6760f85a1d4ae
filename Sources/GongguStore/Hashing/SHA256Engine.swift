import Foundation
import GongguCore
#if arch(x86_64)
import GongguSHANI
import _Builtin_intrinsics.intel.cpuid
#endif

/// Which SHA-256 compression function the log's hash chain uses, chosen once per process: the x86
/// SHA extensions (GongguSHANI) when the CPU has SHA and SSE4.1, else the Swift one in GongguCore.
/// Both compute the same function; `GONGGU_SHA256=software` forces the Swift one (tests, and
/// operators who would rather not trust the hardware path). Any other value but `auto` is refused
/// the same way: software, with the reason in `reason`.
public enum SHA256Engine: String, Sendable {
    /// SHA-NI (`sha256rnds2`, `sha256msg1/2`), x86-64 only.
    case hardware = "sha-ni"
    case software

    /// The environment variable that forces the software path.
    public static let environmentVariable = "GONGGU_SHA256"

    /// The engine of this process and why (read once: CPU flags and the environment).
    public static let selected: (engine: SHA256Engine, reason: String) = choose(
        environment: ProcessInfo.processInfo.environment[environmentVariable], cpuHasSHANI: cpuHasSHANI)

    /// A fresh hasher on the selected engine.
    @inline(__always)
    public static func hasher() -> SHA256 { SHA256(compressor: selectedCompressor) }

    /// A fresh hasher on `engine`; `.hardware` only when `hardwareAvailable` (else a precondition fails).
    public static func hasher(_ engine: SHA256Engine) -> SHA256 {
        switch engine {
        case .software: return SHA256()
        case .hardware:
            precondition(hardwareAvailable, "SHA256Engine.hardware on a CPU without SHA-NI and SSE4.1")
            return SHA256(compressor: hardwareCompressor)
        }
    }

    /// True when the CPU has SHA and SSE4.1 (and this is an x86-64 build), whatever the environment says.
    public static var hardwareAvailable: Bool { cpuHasSHANI }

    /// The choice: `override` is the environment variable's value (nil when unset).
    static func choose(environment override: String?, cpuHasSHANI: Bool) -> (engine: SHA256Engine, reason: String) {
        switch override {
        case nil, "", "auto":
            return cpuHasSHANI
                ? (.hardware, "CPU has SHA-NI and SSE4.1")
                : (.software, "CPU lacks SHA-NI or SSE4.1 (or not x86-64)")
        case "software":
            return (.software, "\(environmentVariable)=software")
        case let other?:
            return (.software, "\(environmentVariable)=\(other) is neither auto nor software: software")
        }
    }

    /// The compression function of the selected engine, for a `SHA256(compressor:)` made where the
    /// engine cannot be named (a fold's context handed in from its edge); nil is the Swift one.
    public static let selectedCompressor: SHA256.Compressor? =
        selected.engine == .hardware ? hardwareCompressor : nil

    #if arch(x86_64)
    private static let hardwareCompressor: SHA256.Compressor? = { state, data, blocks in
        sha256CompressSHANI(state, data, blocks)
    }

    /// CPUID leaf 7 (subleaf 0) EBX bit 29 (SHA) and leaf 1 ECX bit 19 (SSE4.1); the instructions also
    /// need SSSE3 (`pshufb`), which every SSE4.1 CPU has.
    private static let cpuHasSHANI: Bool = {
        var a: UInt32 = 0, b: UInt32 = 0, c: UInt32 = 0, d: UInt32 = 0
        guard __get_cpuid_count(7, 0, &a, &b, &c, &d) != 0 else { return false }
        let sha = b & (1 << 29) != 0
        guard __get_cpuid(1, &a, &b, &c, &d) != 0 else { return false }
        return sha && c & (1 << 19) != 0
    }()
    #else
    private static let hardwareCompressor: SHA256.Compressor? = nil
    private static let cpuHasSHANI = false
    #endif
}
