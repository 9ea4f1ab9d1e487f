import Foundation

/// Reading and writing NumPy `.npy` files (format versions 1.0 and 2.0, see numpy.lib.format).
///
/// Layout: the magic `\x93NUMPY`, major and minor version bytes, the header length (UInt16 LE in 1.0,
/// UInt32 LE in 2.0), an ASCII header that is a Python dict literal
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (N, d), }` padded with spaces and ending in `\n` so
/// that the data starts at a multiple of 64 bytes, then the raw data in C order.
/// We write version 1.0 with dtype `<f4`; we read `<f4` and `<f8` (converted to Float), C order only.
public enum NumPy {
    /// The bytes of an .npy v1.0 file holding `values` (C order) with the given shape.
    /// Precondition: the product of `shape` equals `values.count`.
    public static func encode(_ values: [Float], shape: [Int]) -> Data {
        precondition(shape.reduce(1, *) == values.count, "NumPy.encode: shape does not match the value count")
        let shapeText: String
        switch shape.count {
        case 0: shapeText = "()"
        case 1: shapeText = "(\(shape[0]),)"
        default: shapeText = "(" + shape.map(String.init).joined(separator: ", ") + ")"
        }
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shapeText), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xff), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        data.append(FloatBlob.encode(values))
        return data
    }

    /// Writes an .npy v1.0 file atomically. Throws `.cannotWrite` naming the path.
    public static func write(_ values: [Float], shape: [Int], to path: String) throws {
        guard shape.reduce(1, *) == values.count else {
            throw RunStoreError.invalidInput(detail: "\(path): shape \(shape) does not hold \(values.count) values")
        }
        do {
            try encode(values, shape: shape).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw RunStoreError.cannotWrite(path: path, reason: error.localizedDescription)
        }
    }

    /// Reads an .npy file of dtype `<f4` or `<f8` in C order. Errors name the file and what is wrong.
    public static func read(path: String) throws -> (shape: [Int], values: [Float]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RunStoreError.badFile(path: path, location: "", detail: "cannot read file")
        }
        return try decode(data, path: path)
    }

    /// Parses the bytes of an .npy file (`path` only labels errors).
    public static func decode(_ data: Data, path: String) throws -> (shape: [Int], values: [Float]) {
        func bad(_ detail: String) -> RunStoreError { .badFile(path: path, location: "", detail: detail) }
        let bytes = [UInt8](data.prefix(12))
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else {
            throw bad("not a NumPy .npy file (bad magic)")
        }
        let major = bytes[6]
        let headerStart: Int, headerLength: Int
        switch major {
        case 1:
            headerStart = 10
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        case 2, 3:
            guard bytes.count >= 12 else { throw bad("truncated header") }
            headerStart = 12
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
        default:
            throw bad("unsupported .npy version \(major)")
        }
        guard data.count >= headerStart + headerLength,
              let header = String(data: data.subdata(in: headerStart..<(headerStart + headerLength)), encoding: .utf8) else {
            throw bad("truncated or non-text header")
        }
        guard let descr = headerValue(header, key: "descr") else { throw bad("header has no 'descr'") }
        let itemSize: Int
        switch descr.trimmingCharacters(in: CharacterSet(charactersIn: "'\"")) {
        case "<f4": itemSize = 4
        case "<f8": itemSize = 8
        default: throw bad("dtype \(descr) is not supported (use float32 '<f4' or float64 '<f8')")
        }
        if headerValue(header, key: "fortran_order") == "True" { throw bad("fortran_order True is not supported (save C order)") }
        guard let shapeText = headerValue(header, key: "shape") else { throw bad("header has no 'shape'") }
        let inner = shapeText.trimmingCharacters(in: CharacterSet(charactersIn: "() "))
        var shape: [Int] = []
        for part in inner.split(separator: ",") {
            let t = part.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { continue }
            guard let n = Int(t.hasSuffix("L") ? String(t.dropLast()) : t), n >= 0 else { throw bad("bad shape \(shapeText)") }
            shape.append(n)
        }
        // The shape is bounded by the bytes the file really has, checked without overflow (a crafted header
        // can claim (2⁶², 4)).
        let dataStart = headerStart + headerLength
        let available = data.count - dataStart
        var count = 1
        for n in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: n)
            guard !overflow, product.multipliedReportingOverflow(by: itemSize).overflow == false else {
                throw bad("shape \(shapeText) is too large (the file has \(available) data bytes)")
            }
            count = product
        }
        guard available == count * itemSize else {
            throw bad("shape \(shapeText) needs \(count * itemSize) data bytes, file has \(available)")
        }
        var values = [Float](repeating: 0, count: count)
        data.withUnsafeBytes { raw in
            for i in 0..<count {
                if itemSize == 4 {
                    values[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: dataStart + 4 * i, as: UInt32.self)))
                } else {
                    values[i] = Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: dataStart + 8 * i, as: UInt64.self))))
                }
            }
        }
        return (shape, values)
    }

    /// The text of `'key': value` in a Python dict literal; a tuple value is returned with its parentheses.
    static func headerValue(_ header: String, key: String) -> String? {
        for quote in ["'", "\""] {
            guard let range = header.range(of: "\(quote)\(key)\(quote)") else { continue }
            var rest = header[range.upperBound...].drop { $0 == " " }
            guard rest.first == ":" else { return nil }
            rest = rest.dropFirst().drop { $0 == " " }
            if rest.first == "(" {
                guard let close = rest.firstIndex(of: ")") else { return nil }
                return String(rest[...close])
            }
            let end = rest.firstIndex { $0 == "," || $0 == "}" } ?? rest.endIndex
            return String(rest[..<end]).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }
}
