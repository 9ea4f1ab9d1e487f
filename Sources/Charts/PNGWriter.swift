import CGD
import Foundation

/// Writes a gd true-colour image as an 8-bit RGB PNG (ISO/IEC 15948): every row filtered with "Up"
/// (the difference to the row above — chart rows mostly repeat the previous one, so they become zeros),
/// the filtered bytes deflated by zlib at level 1 with the run-length strategy. libgd's own writer goes
/// through libpng's adaptive filter search and default compression, which took longer than drawing the
/// whole chart; this writer is ~5× faster and its files are about as small for charts.
enum PNGWriter {
    static func encode(_ img: GDImage) throws -> Data {
        let w = img.width, h = img.height
        let rowBytes = 1 + 3 * w
        // Every byte is written below, so the buffer starts uninitialised.
        let raw = [UInt8](unsafeUninitializedCapacity: rowBytes * h) { buf, count in
            count = rowBytes * h
            guard let base = buf.baseAddress else { count = 0; return }
            for y in 0..<h {
                let out = base + y * rowBytes
                out[0] = y == 0 ? 0 : 2  // None for the first row, Up after
                let r = img.row(y)
                var o = 1
                for x in 0..<w {
                    let v = r[x]
                    out[o] = UInt8(truncatingIfNeeded: v >> 16); out[o + 1] = UInt8(truncatingIfNeeded: v >> 8)
                    out[o + 2] = UInt8(truncatingIfNeeded: v)
                    o += 3
                }
            }
            // Up filter, bottom row first so each row still sees the unfiltered row above it.
            if h > 1 {
                for y in stride(from: h - 1, through: 1, by: -1) {
                    let cur = base + y * rowBytes + 1, prev = base + (y - 1) * rowBytes + 1
                    for i in 0..<(3 * w) { cur[i] = cur[i] &- prev[i] }
                }
            }
        }
        let idat = try deflate(raw)
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var ihdr = Data()
        ihdr.append(be32(UInt32(w))); ihdr.append(be32(UInt32(h)))
        ihdr.append(contentsOf: [8, 2, 0, 0, 0])  // 8 bits, RGB, deflate, adaptive filtering, no interlace
        chunk("IHDR", ihdr, into: &png)
        chunk("IDAT", idat, into: &png)
        chunk("IEND", Data(), into: &png)
        return png
    }

    static func deflate(_ input: [UInt8]) throws -> Data {
        var stream = z_stream()
        guard vaescope_deflate_init(&stream, 1, vaescope_z_rle()) == Z_OK else { throw ChartsError.libgd("zlib deflateInit failed") }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(input.count)))
        var out = [UInt8](repeating: 0, count: bound)
        let status: Int32 = input.withUnsafeBufferPointer { inBuf in
            out.withUnsafeMutableBufferPointer { outBuf in
                // zlib does not write through next_in (it is `z_const` in zlib.h).
                stream.next_in = inBuf.baseAddress.map { UnsafeMutablePointer(mutating: $0) }
                stream.avail_in = uInt(inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = uInt(outBuf.count)
                return CGD.deflate(&stream, vaescope_z_finish())
            }
        }
        guard status == vaescope_z_stream_end() else { throw ChartsError.libgd("zlib deflate failed (\(status))") }
        return Data(out[0..<Int(stream.total_out)])
    }

    static func be32(_ v: UInt32) -> Data { Data([UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]) }

    static func chunk(_ type: String, _ body: Data, into png: inout Data) {
        png.append(be32(UInt32(body.count)))
        var typed = Data(type.utf8)
        typed.append(body)
        png.append(typed)
        let crc = typed.withUnsafeBytes { raw -> UInt in
            crc32(0, raw.bindMemory(to: UInt8.self).baseAddress, uInt(raw.count))
        }
        png.append(be32(UInt32(truncatingIfNeeded: crc)))
    }
}
