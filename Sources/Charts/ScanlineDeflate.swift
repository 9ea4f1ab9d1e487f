import Foundation

/// A zlib stream (RFC 1950 around RFC 1951 deflate) made for PNG scanlines filtered with "Up", written
/// without zlib's general match finder. Charts are mostly flat colour, so the Up-filtered bytes are 85–95 %
/// zeros (a 1200×800 line chart: 5.5 % non-zero bytes, a 10,000-point scatter: 15 %). The tokenizer works
/// on the pixels themselves: it skips pixels equal to the one above four at a time and codes their zero
/// bytes as one run (a literal 0, then matches at distance 1), codes a pixel whose difference repeats the
/// previous pixel's as part of a match at distance 3 (e.g. the first row of a filled box), and everything
/// else as literals; the filtered row is never materialised. Each block of up to `blockTokens` tokens gets
/// its own dynamic Huffman codes (lengths limited to 15 bits). zlib's level 1 with the run-length strategy
/// spends most of its time stepping through the zero runs byte by byte; this is several times faster on
/// charts and its files are about as small (line chart 1200×800: 115 kB vs 113 kB; scatter: 364 vs 369 kB).
///
/// Edge cases: a 1×1 image, a single row (the Up filter's "row above" is zeros for the first row, per the
/// PNG specification), an alphabet with fewer than two used symbols (padded so every code is complete,
/// which zlib's inflate requires of the code-length code).
struct ScanlineDeflate {
    static let blockTokens = 1 << 15
    private static let adlerMod: UInt64 = 65_521

    private var out: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var count = 0
    private var bits: UInt64 = 0
    private var nbits = 0
    private var tokens: UnsafeMutablePointer<UInt32>
    private var ntok = 0
    private var litFreq: UnsafeMutablePointer<Int>
    private var distFreq: UnsafeMutablePointer<Int>
    private var adlerA: UInt64 = 1
    private var adlerB: UInt64 = 0

    /// Compresses the Up-filtered RGB scanlines of `rows` (each `width` gd pixels, 0x00RRGGBB in the low
    /// 24 bits) into a complete zlib stream.
    static func zlib(width: Int, height: Int, row: (Int) -> UnsafeMutablePointer<Int32>) -> [UInt8] {
        let rowBytes = 1 + 3 * width
        var d = ScanlineDeflate(capacity: 64 * 1024 + width * height / 4, rowBytes: rowBytes)
        defer { d.free() }
        let zeros = UnsafeMutablePointer<Int32>.allocate(capacity: width)
        zeros.initialize(repeating: 0, count: width)
        defer { zeros.deallocate() }
        d.putBits(0x0178, 16)  // CMF = deflate, 32 KiB window; FLG = fastest level, check bits (0x7801 % 31 == 0)
        for y in 0..<height {
            // Filter type Up on every row (the first row's "above" is zeros).
            d.tokenizeRow(row(y), above: y == 0 ? zeros : row(y - 1), width: width)
            if d.ntok >= blockTokens { d.flushBlock(final: false) }
        }
        d.flushBlock(final: true)
        d.drainBytes()  // the last byte is padded with zero bits
        let adler = UInt32(truncatingIfNeeded: (d.adlerB << 16) | d.adlerA)
        var result = [UInt8](UnsafeBufferPointer(start: d.out, count: d.count))
        result.append(contentsOf: [UInt8(adler >> 24), UInt8((adler >> 16) & 0xFF), UInt8((adler >> 8) & 0xFF), UInt8(adler & 0xFF)])
        return result
    }

    /// A row adds at most `rowBytes` tokens after the last check against `blockTokens`.
    private init(capacity: Int, rowBytes: Int) {
        self.capacity = capacity
        out = .allocate(capacity: capacity)
        tokens = .allocate(capacity: ScanlineDeflate.blockTokens + rowBytes + 16)
        litFreq = .allocate(capacity: 286); litFreq.initialize(repeating: 0, count: 286)
        distFreq = .allocate(capacity: 30); distFreq.initialize(repeating: 0, count: 30)
    }
    private func free() { out.deallocate(); tokens.deallocate(); litFreq.deallocate(); distFreq.deallocate() }

    // MARK: tokens

    @inline(__always) private mutating func literal(_ c: UInt8) {
        tokens[ntok] = UInt32(c); ntok += 1
        litFreq[Int(c)] += 1
    }
    /// `length` 3…258 at distance code 0 (distance 1) or 2 (distance 3).
    @inline(__always) private mutating func match(_ length: Int, distCode: Int) {
        tokens[ntok] = 0x8000_0000 | UInt32(distCode << 16) | UInt32(length); ntok += 1
        litFreq[Int(Tables.lengthSymbol[length])] += 1
        distFreq[distCode] += 1
    }
    /// Tokenizes one Up-filtered row (filter byte 2, then per pixel the bytes R, G, B of `cur − above`)
    /// straight from the pixels, and folds it into the Adler-32 sums. Pixels equal to the one above
    /// (found four at a time) are only counted: their zero bytes become one run when the next non-zero byte
    /// arrives. A pixel whose difference repeats the previous pixel's becomes part of a distance-3 match.
    mutating func tokenizeRow(_ cur: UnsafeMutablePointer<Int32>, above prev: UnsafeMutablePointer<Int32>, width: Int) {
        // On a local copy (never aliased by the token stores), the counters live in registers.
        var local = self
        local.tokenizeRowBody(cur, above: prev, width: width)
        self = local
    }

    @inline(__always) private mutating func tokenizeRowBody(_ cur: UnsafeMutablePointer<Int32>, above prev: UnsafeMutablePointer<Int32>, width: Int) {
        var a = adlerA, b = adlerB
        literal(2); a += 2; b += a
        var zeros = 0  // zero bytes counted but not yet emitted; the byte before them is never zero
        var lastKey: UInt32 = 0xFFFF_FFFF, repeatable = false
        let c64 = UnsafeRawPointer(cur), p64 = UnsafeRawPointer(prev)
        var x = 0
        while x < width {
            var e = x
            while e + 4 <= width {
                let o = 4 * e
                let d0 = c64.loadUnaligned(fromByteOffset: o, as: UInt64.self) ^ p64.loadUnaligned(fromByteOffset: o, as: UInt64.self)
                let d1 = c64.loadUnaligned(fromByteOffset: o + 8, as: UInt64.self) ^ p64.loadUnaligned(fromByteOffset: o + 8, as: UInt64.self)
                guard d0 | d1 == 0 else { break }
                e += 4
            }
            while e < width && (cur[e] ^ prev[e]) & 0xFFFFFF == 0 { e += 1 }
            if e > x { zeros += 3 * (e - x); repeatable = false }
            guard e < width else { break }
            let v = cur[e], p = prev[e]
            let r = UInt8(truncatingIfNeeded: v >> 16) &- UInt8(truncatingIfNeeded: p >> 16)
            let g = UInt8(truncatingIfNeeded: v >> 8) &- UInt8(truncatingIfNeeded: p >> 8)
            let bl = UInt8(truncatingIfNeeded: v) &- UInt8(truncatingIfNeeded: p)
            let key = UInt32(r) << 16 | UInt32(g) << 8 | UInt32(bl)
            if repeatable && key == lastKey {
                // Pixels e, e+1, … repeating the previous pixel's difference: a match 3 bytes back.
                var f = e + 1
                while f < width {
                    let v2 = cur[f], p2 = prev[f]
                    let k2 = UInt32(UInt8(truncatingIfNeeded: v2 >> 16) &- UInt8(truncatingIfNeeded: p2 >> 16)) << 16
                        | UInt32(UInt8(truncatingIfNeeded: v2 >> 8) &- UInt8(truncatingIfNeeded: p2 >> 8)) << 8
                        | UInt32(UInt8(truncatingIfNeeded: v2) &- UInt8(truncatingIfNeeded: p2))
                    guard k2 == key else { break }
                    f += 1
                }
                flushZeros(&a, &b, &zeros)
                var n = 3 * (f - e)
                while n >= 3 { let m = min(n, 258); match(m, distCode: 2); n -= m }  // 258 = 86·3: n stays a multiple of 3
                for _ in e..<f { a += UInt64(r); b += a; a += UInt64(g); b += a; a += UInt64(bl); b += a }
                x = f
                continue
            }
            byte(r, &a, &b, &zeros); byte(g, &a, &b, &zeros); byte(bl, &a, &b, &zeros)
            lastKey = key; repeatable = true
            x = e + 1
        }
        flushZeros(&a, &b, &zeros)
        // Reducing once per row is enough: a row of n bytes leaves a < 65521 + 255·n and b < 65521 + n·a,
        // below 2^63 for n up to ~10^8 (chart images are at most 160,000 pixels wide).
        adlerA = a % Self.adlerMod; adlerB = b % Self.adlerMod
    }

    /// One byte of a changed pixel: zeros are counted, anything else is a literal.
    @inline(__always) private mutating func byte(_ c: UInt8, _ a: inout UInt64, _ b: inout UInt64, _ zeros: inout Int) {
        if c == 0 { zeros += 1; return }
        flushZeros(&a, &b, &zeros)
        literal(c); a += UInt64(c); b += a
    }

    /// Emits `zeros` zero bytes (preceded by a non-zero byte): a literal 0, then matches at distance 1.
    @inline(__always) private mutating func flushZeros(_ a: inout UInt64, _ b: inout UInt64, _ zeros: inout Int) {
        guard zeros > 0 else { return }
        b += UInt64(zeros) * a  // zeros leave a unchanged and add it to b once per byte
        literal(0)
        var rem = zeros - 1
        while rem >= 3 { let m = min(rem, 258); match(m, distCode: 0); rem -= m }
        while rem > 0 { literal(0); rem -= 1 }
        zeros = 0
    }

    // MARK: bits

    @inline(__always) private mutating func putBits(_ v: UInt64, _ n: Int) {
        bits |= v << UInt64(nbits)
        nbits += n
        if nbits >= 32 {
            UnsafeMutableRawPointer(out + count).storeBytes(of: UInt32(truncatingIfNeeded: bits).littleEndian, as: UInt32.self)
            count += 4; bits >>= 32; nbits -= 32
        }
    }
    private mutating func drainBytes() {
        while nbits > 0 { out[count] = UInt8(truncatingIfNeeded: bits); count += 1; bits >>= 8; nbits -= 8 }
        nbits = 0; bits = 0
    }
    private mutating func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        let newCap = max(capacity * 2, count + extra)
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: newCap)
        p.update(from: out, count: count)
        out.deallocate()
        out = p; capacity = newCap
    }

    /// Writes the pending tokens as one dynamic-Huffman block (BTYPE 10).
    private mutating func flushBlock(final: Bool) {
        litFreq[256] += 1  // end of block
        let litLen = Huffman.lengths(Array(UnsafeBufferPointer(start: litFreq, count: 286)), limit: 15)
        let distLen = Huffman.lengths(Array(UnsafeBufferPointer(start: distFreq, count: 30)), limit: 15)
        let litCode = Huffman.codes(litLen), distCode = Huffman.codes(distLen)
        reserve(ntok * 5 + 4096)
        putBits(final ? 1 : 0, 1)
        putBits(2, 2)
        writeTrees(litLen, distLen)
        var local = self
        local.emitTokens(litLen: litLen, litCode: litCode, distLen: distLen, distCode: distCode)
        self = local
        putBits(UInt64(litCode[256]), Int(litLen[256]))
        ntok = 0
        litFreq.update(repeating: 0, count: 286)
        distFreq.update(repeating: 0, count: 30)
    }

    /// The block's tokens as Huffman codes (called on a local copy, like `tokenizeRowBody`).
    @inline(__always) private mutating func emitTokens(litLen: [UInt8], litCode: [UInt32], distLen: [UInt8], distCode: [UInt32]) {
        let lsym = Tables.lengthSymbol, lextra = Tables.lengthExtraBits, lbase = Tables.lengthBase
        for t in 0..<ntok {
            let v = tokens[t]
            if v < 0x8000_0000 {
                putBits(UInt64(litCode[Int(v)]), Int(litLen[Int(v)]))
            } else {
                let len = Int(v & 0xFFFF), dc = Int((v >> 16) & 0x1F)
                let s = Int(lsym[len]), e = Int(lextra[s - 257])
                let extra = UInt64(len - Int(lbase[s - 257]))
                putBits(UInt64(litCode[s]) | (extra << UInt64(litLen[s])), Int(litLen[s]) + e)
                putBits(UInt64(distCode[dc]), Int(distLen[dc]))
            }
        }
    }

    /// HLIT/HDIST/HCLEN and the code lengths, coded with the code-length alphabet (zero runs as 17/18).
    private mutating func writeTrees(_ litLen: [UInt8], _ distLen: [UInt8]) {
        var nlit = 286, ndist = 30
        while nlit > 257 && litLen[nlit - 1] == 0 { nlit -= 1 }
        while ndist > 1 && distLen[ndist - 1] == 0 { ndist -= 1 }
        let seq = Array(litLen[0..<nlit]) + Array(distLen[0..<ndist])
        var syms: [(sym: Int, extra: Int)] = []
        var i = 0
        while i < seq.count {
            if seq[i] == 0 {
                var j = i
                while j < seq.count && seq[j] == 0 && j - i < 138 { j += 1 }
                let z = j - i
                if z >= 11 { syms.append((18, z - 11)); i = j; continue }
                if z >= 3 { syms.append((17, z - 3)); i = j; continue }
            }
            syms.append((Int(seq[i]), 0)); i += 1
        }
        var clFreq = [Int](repeating: 0, count: 19)
        for s in syms { clFreq[s.sym] += 1 }
        let clLen = Huffman.lengths(clFreq, limit: 7), clCode = Huffman.codes(clLen)
        let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
        var nclen = 19
        while nclen > 4 && clLen[order[nclen - 1]] == 0 { nclen -= 1 }
        putBits(UInt64(nlit - 257), 5); putBits(UInt64(ndist - 1), 5); putBits(UInt64(nclen - 4), 4)
        for k in 0..<nclen { putBits(UInt64(clLen[order[k]]), 3) }
        for s in syms {
            putBits(UInt64(clCode[s.sym]), Int(clLen[s.sym]))
            if s.sym == 17 { putBits(UInt64(s.extra), 3) } else if s.sym == 18 { putBits(UInt64(s.extra), 7) }
        }
    }

    /// RFC 1951 §3.2.5: length symbols 257…285 with their extra bits and base lengths.
    enum Tables {
        static let lengthBase: [UInt16] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
                                           35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
        static let lengthExtraBits: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
                                               3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
        /// The symbol for each match length 0…258 (entries below 3 unused).
        static let lengthSymbol: [UInt16] = {
            var t = [UInt16](repeating: 257, count: 259)
            for s in 0..<29 {
                let lo = Int(lengthBase[s]), hi = s == 28 ? 258 : Int(lengthBase[s + 1]) - 1
                for len in lo...hi { t[len] = UInt16(257 + s) }
            }
            return t
        }()
    }
}

/// Length-limited canonical Huffman codes for deflate.
enum Huffman {
    /// Code lengths for `freq` (0 for unused symbols), none longer than `limit`. Fewer than two used symbols
    /// are padded with unused ones at frequency 1 so the code is complete. Over-long codes are fixed by
    /// halving the frequencies (keeping them ≥ 1) and rebuilding: at worst the code becomes balanced.
    static func lengths(_ freq: [Int], limit: Int) -> [UInt8] {
        var f = freq
        var used = f.filter { $0 > 0 }.count
        var k = 0
        while used < 2 && k < f.count { if f[k] == 0 { f[k] = 1; used += 1 }; k += 1 }
        while true {
            let lens = build(f)
            if (lens.max() ?? 0) <= limit { return lens }
            for i in f.indices where f[i] > 0 { f[i] = max(1, f[i] >> 1) }
        }
    }

    /// Plain Huffman code lengths by the two-queue method over leaves sorted by frequency.
    private static func build(_ f: [Int]) -> [UInt8] {
        let leaves = f.indices.filter { f[$0] > 0 }.sorted { (f[$0], $0) < (f[$1], $1) }
        let n = leaves.count
        var lens = [UInt8](repeating: 0, count: f.count)
        guard n >= 2 else { if n == 1 { lens[leaves[0]] = 1 }; return lens }
        var weight = [Int](repeating: 0, count: 2 * n - 1), parent = [Int](repeating: 0, count: 2 * n - 1)
        for (i, s) in leaves.enumerated() { weight[i] = f[s] }
        var li = 0, ni = n
        for k in n..<(2 * n - 1) {
            var pick = [0, 0]
            for p in 0..<2 {
                if li < n && (ni >= k || weight[li] <= weight[ni]) { pick[p] = li; li += 1 } else { pick[p] = ni; ni += 1 }
            }
            weight[k] = weight[pick[0]] + weight[pick[1]]
            parent[pick[0]] = k; parent[pick[1]] = k
        }
        var depth = [Int](repeating: 0, count: 2 * n - 1)
        for x in stride(from: 2 * n - 3, through: 0, by: -1) { depth[x] = depth[parent[x]] + 1 }
        for (i, s) in leaves.enumerated() { lens[s] = UInt8(depth[i]) }
        return lens
    }

    /// Canonical codes (RFC 1951 §3.2.2), bit-reversed for deflate's least-significant-bit-first packing.
    static func codes(_ lens: [UInt8]) -> [UInt32] {
        var blCount = [Int](repeating: 0, count: 16)
        for l in lens where l > 0 { blCount[Int(l)] += 1 }
        var next = [Int](repeating: 0, count: 16)
        var code = 0
        for bitsN in 1..<16 { code = (code + blCount[bitsN - 1]) << 1; next[bitsN] = code }
        var out = [UInt32](repeating: 0, count: lens.count)
        for (s, l) in lens.enumerated() where l > 0 {
            var c = next[Int(l)], r = 0
            next[Int(l)] += 1
            for _ in 0..<Int(l) { r = (r << 1) | (c & 1); c >>= 1 }
            out[s] = UInt32(r)
        }
        return out
    }
}
