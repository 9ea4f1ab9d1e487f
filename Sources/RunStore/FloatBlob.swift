import Foundation

/// Little-endian Float32 blobs: the encoding of every float array in the store (μ, log σ², z, h).
/// A blob of n floats is exactly 4n bytes, element i at bytes 4i … 4i+3, IEEE 754 binary32, least
/// significant byte first (NumPy dtype '<f4').
enum FloatBlob {
    /// Encodes `values[range]` as a blob.
    static func encode(_ values: ArraySlice<Float>) -> Data {
        #if _endian(little)
        return values.withUnsafeBytes { Data($0) }
        #else
        var data = Data(count: values.count * 4)
        data.withUnsafeMutableBytes { raw in
            guard let out = raw.baseAddress?.assumingMemoryBound(to: UInt32.self) else { return }
            var i = 0
            for v in values { out[i] = v.bitPattern.littleEndian; i += 1 }
        }
        return data
        #endif
    }

    static func encode(_ values: [Float]) -> Data { encode(values[...]) }

    /// Appends the floats of `blob` to `out`. Returns false if the blob's length is not a multiple of 4.
    @discardableResult
    static func append(_ blob: Data, to out: inout [Float]) -> Bool {
        guard blob.count % 4 == 0 else { return false }
        let n = blob.count / 4
        let start = out.count
        out.reserveCapacity(start + n)
        blob.withUnsafeBytes { raw in
            for i in 0..<n {
                let bits = raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)
                out.append(Float(bitPattern: UInt32(littleEndian: bits)))
            }
        }
        return true
    }

    /// Writes the floats of `blob` into `out[offset...]`. Returns false on a length mismatch.
    static func copy(_ blob: Data, into out: inout [Float], at offset: Int, count: Int) -> Bool {
        guard blob.count == 4 * count, offset + count <= out.count else { return false }
        #if _endian(little)
        out.withUnsafeMutableBytes { dst in
            blob.withUnsafeBytes { src in
                if let base = dst.baseAddress, let from = src.baseAddress, count > 0 {
                    (base + 4 * offset).copyMemory(from: from, byteCount: 4 * count)
                }
            }
        }
        return true
        #else
        out.withUnsafeMutableBufferPointer { dst in
            blob.withUnsafeBytes { raw in
                for i in 0..<count {
                    let bits = raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)
                    dst[offset + i] = Float(bitPattern: UInt32(littleEndian: bits))
                }
            }
        }
        return true
        #endif
    }
}
