import CGD
import Foundation

/// Writes a gd true-colour image as an 8-bit RGB PNG (ISO/IEC 15948): every row filtered with "Up"
/// (the difference to the row above — chart rows mostly repeat the previous one, so they become zeros),
/// the filtered bytes deflated by `ScanlineDeflate` (zero runs and pixel repeats as matches, dynamic
/// Huffman codes per block). libgd's own writer goes through libpng's adaptive filter search and zlib's
/// default level, which took longer than drawing the whole chart; zlib at level 1 with the run-length
/// strategy still took a third of a chart's time. zlib remains in use for the chunk CRCs.
enum PNGWriter {
    static func encode(_ img: GDImage) throws -> Data {
        let w = img.width, h = img.height
        let idat = ScanlineDeflate.zlib(width: w, height: h) { img.row($0) }
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        png.reserveCapacity(idat.count + 64)
        var ihdr = Data()
        ihdr.append(be32(UInt32(w))); ihdr.append(be32(UInt32(h)))
        ihdr.append(contentsOf: [8, 2, 0, 0, 0])  // 8 bits, RGB, deflate, adaptive filtering, no interlace
        chunk("IHDR", ihdr, into: &png)
        chunk("IDAT", Data(idat), into: &png)
        chunk("IEND", Data(), into: &png)
        return png
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
