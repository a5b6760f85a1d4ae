// Written out by a script: the standard SHA-NI block loop (Intel, "New Instructions Supporting the
// Secure Hash Algorithm on Intel Architecture Processors", 2013). Group g (rounds 4g…4g+3): the
// message words m[g mod 4] (loaded and byte-swapped for g < 4) plus K[4g…4g+3] feed two `sha256rnds2`
// (two rounds each, the second on the high half); for g in 3…14 the next words are finished with
// `alignr` + `add` + `sha256msg2`, for g in 1…12 the previous ones started with `sha256msg1`.
// `_mm_shuffle_epi32`, `_mm_alignr_epi8` and `_mm_blend_epi16` are macros in clang's headers and do
// not import: the high half goes to `rnds2` through `_mm_unpackhi_epi64`, `alignr4` is a lane move
// LLVM compiles to `palignr`, and the one-off state permutation (ABEF/CDGH) is done on the words.
#if arch(x86_64)
import _Builtin_intrinsics.intel

/// The SHA-256 compression function on the x86 SHA extensions: processes `blocks` consecutive 64-byte
/// blocks at `data` into the eight state words H0…H7 at `state` (host order, as `SHA256` keeps them).
///
/// Call it only on a CPU with SHA and SSE4.1 (CPUID leaf 7 EBX bit 29, leaf 1 ECX bit 19): this whole
/// module is compiled for those instructions, so nothing else lives here. GongguStore's
/// `SHA256Engine` checks the CPU once and hands this function to `SHA256` only when it may run.
public func sha256CompressSHANI(_ state: UnsafeMutablePointer<UInt32>, _ data: UnsafeRawPointer, _ blocks: Int) {
    // pshufb mask: each 32-bit word big-endian → host order.
    let mask = _mm_set_epi64x(0x0c0d_0e0f_0809_0a0b, 0x0405_0607_0001_0203)
    // The instructions keep the state as ABEF and CDGH (lanes low to high: F E B A, H G D C).
    var state0 = vector(state[5], state[4], state[1], state[0])
    var state1 = vector(state[7], state[6], state[3], state[2])
    var p = data
    for _ in 0..<blocks {
        let abef = state0, cdgh = state1
        var msg: __m128i
        var m0: __m128i, m1: __m128i, m2: __m128i, m3: __m128i
        // Rounds 0…3
        m0 = _mm_shuffle_epi8(p.loadUnaligned(fromByteOffset: 0, as: __m128i.self), mask)
        msg = _mm_add_epi32(m0, _mm_set_epi64x(Int64(bitPattern: 0xe9b5dba5b5c0fbcf), Int64(bitPattern: 0x71374491428a2f98)))
        state1 = _mm_sha256rnds2_epu32(state1, state0, msg)
        state0 = _mm_sha256rnds2_epu32(state0, state1, _mm_unpackhi_epi64(msg, msg))
        // Rounds 4…7
        m1 = _mm_shuffle_epi8(p.loadUnaligned(fromByteOffset: 16, as: __m128i.self), mask)
        msg = _mm_add_epi32(m1, _mm_set_epi64x(Int64(bitPattern: 0xab1c5ed5923f82a4), Int64(bitPattern: 0x59f111f13956c25b)))
        state1 = _mm_sha256rnds2_epu32(state1, state0, msg)
        state0 = _mm_sha256rnds2_epu32(state0, state1, _mm_unpackhi_epi64(msg, msg))
        m0 = _mm_sha256msg1_epu32(m0, m1)
        // Rounds 8…11
        m2 = _mm_shuffle_epi8(p.loadUnaligned(fromByteOffset: 32, as: __m128i.self), mask)
        msg = _mm_add_epi32(m2, _mm_set_epi64x(Int64(bitPattern: 0x550c7dc3243185be), Int64(bitPattern: 0x12835b01d807aa98)))
        state1 = _mm_sha256rnds2_epu32(state1, state0, msg)
        state0 = _mm_sha256rnds2_epu32(state0, state1, _mm_unpackhi_epi64(msg, msg))
        m1 = _mm_sha256msg1_epu32(m1, m2)
        // Rounds 12…15
        m3 = _mm_shuffle_epi8(p.loadUnaligned(fromByteOffset: 48, as: __m128i.self), mask)
        msg = _mm_add_epi32(m3, _mm_set_epi64x(Int64(bitPattern: 0xc19bf1749bdc06a7), Int64(bitPattern: 0x80deb1fe72be5d74)))
        state1 = _mm_sha256rnds2_epu32(state1, state0, msg)
        m0 = _mm_sha256msg2_epu32(_mm_add_epi32(m0, alignr4(m3, m2)), m3)
        state0 = _mm_sha256rnds2_epu32(state0, state1, _mm_unpackhi_epi64(msg, msg))
        m2 = _mm_sha256msg1_epu32(m2, m3)
        // Rounds 16…19
        msg = _mm_add_epi32(m0, _mm_set_epi64x(Int64(bitPattern: 0x240ca1cc0fc19dc6), Int64(bitPattern: 0xefbe4786e49b69c1)))
        state1 = _mm_sha256rnds2_epu32(state1, state0, msg)
        m1 = _mm_sha256msg2_epu32(_mm_add_epi32(m1, alignr4(m0, m3)), m0)
        state0 = _mm_sha256rnds2_epu32(state0, state1, _mm_unpackhi_epi64(msg, msg))
        m3 = _mm_sha256msg1_epu32(m3, m0)
        // Rounds 20…23
        msg = _mm_add_epi32(m1, _mm_set_epi64x(Int64(bitPattern: 0x76f988da5cb0a9dc), Int64(bitPattern: 0x4a7484aa2de92c6f)))
        state1 = _mm_sha256rnds2_epu32(state1, state0, msg)
        m2 = _mm_sha256msg2_epu32(_mm_add_epi32(m2, alignr4(m1, m0)), m1)
        state0 = _mm_sha256rnds2_epu32(state0, state1, _mm_unpackhi_epi64(msg, msg))
        m0 = _mm_sha256msg1_epu32(m0, m1)
        // Rounds 24…27
        msg = _mm_add_epi32(m2, _mm_set_epi64x(Int64(bitPattern: 0xbf597fc7b00327c8), Int64(bitPattern: 0xa831c66d983e5152)))
        state1 = _mm_sha256rnds2_epu32(state1, state0, msg)
        m3 = _mm_sha256msg2_epu32(_mm_add_epi32(m3, alignr4(m2, m1)), m2)
        state0 = _mm_sha256rnds2_epu32(state0, state1, _mm_unpackhi_epi64(msg, msg))
        m1 = _mm_sha256msg1_epu32(m1, m2)
        // Rounds 28…31
        msg = _mm_add_epi32(m3, _mm_set_epi64x(Int64(bitPattern: 0x1429296706ca6351), Int64(bitPattern: 0xd5a79147c6e00bf3)))
        state1 = _mm_sha256rnds2_epu32(state1, state0, msg)
        m0 = _mm_sha256msg2_epu32(_mm_add_epi32(m0, alignr4(m3, m2)), m3)
        state0 = _mm_sha256rnds2_epu32(state0, state1, _mm_unpackhi_epi64(msg, msg))
        m2 = _mm_sha256msg1_epu32(m2, m3)
        // Rounds 32…35
        msg = _mm_add_epi32(m0, _mm_set_epi64x(Int64(bitPattern: 0x53380d134d2c6dfc), Int64(bitPattern: 0x2e1b213827b70a85)))
        state1 = _mm_sha256rnds2_epu32(state1, state0, msg)
        m1 = _mm_sha256msg2_epu32(_mm_add_epi32(m1, alignr4(m0, m3)), m0)
        state0 = _mm_sha256rnds2_epu32(state0, state1, _mm_unpackhi_epi64(msg, msg))
        m3 = _mm_sha256msg1_epu32(m3, m0)
        // Rounds 36…39
        msg = _mm_add_epi32(m1, _mm_set_epi64x(Int64(bitPattern: 0x92722c8581c2c92e), Int64(bitPattern: 0x766a0abb650a7354)))
        state1 = _mm_sha256rnds2_epu32(state1, state0, msg)
        m2 = _mm_sha256msg2_epu32(_mm_add_epi32(m2, alignr4(m1, m0)), m1)
        state0 = _mm_sha256rnds2_epu32(state0, state1, _mm_unpackhi_epi64(msg, msg))
        m0 = _mm_sha256msg1_epu32(m0, m1)
        // Rounds 40…43
        msg = _mm_add_epi32(m2, _mm_set_epi64x(Int64(bitPattern: 0xc76c51a3c24b8b70), Int64(bitPattern: 0xa81a664ba2bfe8a1)))
        state1 = _mm_sha256rnds2_epu32(state1, state0, msg)
        m3 = _mm_sha256msg2_epu32(_mm_add_epi32(m3, alignr4(m2, m1)), m2)
        state0 = _mm_sha256rnds2_epu32(state0, state1, _mm_unpackhi_epi64(msg, msg))
        m1 = _mm_sha256msg1_epu32(m1, m2)
        // Rounds 44…47
        msg = _mm_add_epi32(m3, _mm_set_epi64x(Int64(bitPattern: 0x106aa070f40e3585), Int64(bitPattern: 0xd6990624d192e819)))
        state1 = _mm_sha256rnds2_epu32(state1, state0, msg)
        m0 = _mm_sha256msg2_epu32(_mm_add_epi32(m0, alignr4(m3, m2)), m3)
        state0 = _mm_sha256rnds2_epu32(state0, state1, _mm_unpackhi_epi64(msg, msg))
        m2 = _mm_sha256msg1_epu32(m2, m3)
        // Rounds 48…51
        msg = _mm_add_epi32(m0, _mm_set_epi64x(Int64(bitPattern: 0x34b0bcb52748774c), Int64(bitPattern: 0x1e376c0819a4c116)))
        state1 = _mm_sha256rnds2_epu32(state1, state0, msg)
        m1 = _mm_sha256msg2_epu32(_mm_add_epi32(m1, alignr4(m0, m3)), m0)
        state0 = _mm_sha256rnds2_epu32(state0, state1, _mm_unpackhi_epi64(msg, msg))
        m3 = _mm_sha256msg1_epu32(m3, m0)
        // Rounds 52…55
        msg = _mm_add_epi32(m1, _mm_set_epi64x(Int64(bitPattern: 0x682e6ff35b9cca4f), Int64(bitPattern: 0x4ed8aa4a391c0cb3)))
        state1 = _mm_sha256rnds2_epu32(state1, state0, msg)
        m2 = _mm_sha256msg2_epu32(_mm_add_epi32(m2, alignr4(m1, m0)), m1)
        state0 = _mm_sha256rnds2_epu32(state0, state1, _mm_unpackhi_epi64(msg, msg))
        // Rounds 56…59
        msg = _mm_add_epi32(m2, _mm_set_epi64x(Int64(bitPattern: 0x8cc7020884c87814), Int64(bitPattern: 0x78a5636f748f82ee)))
        state1 = _mm_sha256rnds2_epu32(state1, state0, msg)
        m3 = _mm_sha256msg2_epu32(_mm_add_epi32(m3, alignr4(m2, m1)), m2)
        state0 = _mm_sha256rnds2_epu32(state0, state1, _mm_unpackhi_epi64(msg, msg))
        // Rounds 60…63
        msg = _mm_add_epi32(m3, _mm_set_epi64x(Int64(bitPattern: 0xc67178f2bef9a3f7), Int64(bitPattern: 0xa4506ceb90befffa)))
        state1 = _mm_sha256rnds2_epu32(state1, state0, msg)
        state0 = _mm_sha256rnds2_epu32(state0, state1, _mm_unpackhi_epi64(msg, msg))
        state0 = _mm_add_epi32(state0, abef)
        state1 = _mm_add_epi32(state1, cdgh)
        p += 64
    }
    let s0 = unsafeBitCast(state0, to: SIMD4<UInt32>.self), s1 = unsafeBitCast(state1, to: SIMD4<UInt32>.self)
    state[0] = s0[3]; state[1] = s0[2]; state[2] = s1[3]; state[3] = s1[2]
    state[4] = s0[1]; state[5] = s0[0]; state[6] = s1[1]; state[7] = s1[0]
}

/// Four 32-bit lanes, lowest first.
@inline(__always)
private func vector(_ l0: UInt32, _ l1: UInt32, _ l2: UInt32, _ l3: UInt32) -> __m128i {
    unsafeBitCast(SIMD4<UInt32>(l0, l1, l2, l3), to: __m128i.self)
}

/// `_mm_alignr_epi8(a, b, 4)` (a macro, so not imported): the 32-bit lanes b1 b2 b3 a0.
@inline(__always)
private func alignr4(_ a: __m128i, _ b: __m128i) -> __m128i {
    let a = unsafeBitCast(a, to: SIMD4<UInt32>.self), b = unsafeBitCast(b, to: SIMD4<UInt32>.self)
    return unsafeBitCast(SIMD4<UInt32>(b[1], b[2], b[3], a[0]), to: __m128i.self)
}
#endif
