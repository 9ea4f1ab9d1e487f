import Foundation

/// A compact binary `Codable` format for checkpoints: model weights and optimiser moments are tens of millions
/// of Floats, which JSON would inflate tenfold and round-trip slowly. `[Float]` values are written as raw
/// little-endian Float32 runs; everything else as a small tagged tree. Round trips are exact (Doubles as
/// their bit patterns). Not a stable interchange format: readers are this module only.
public enum BinaryCoder {
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let root = Box()
        try root.encode(value)
        var out = Data("VSB1".utf8)
        root.write(to: &out)
        return out
    }

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        guard data.count >= 4, data.prefix(4) == Data("VSB1".utf8) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not a VAEScope binary blob"))
        }
        var reader = Reader(bytes: [UInt8](data), offset: 4)
        let value = try reader.value()
        return try T(from: TreeDecoder(value: value, codingPath: []))
    }
}

// MARK: - Tree

indirect enum BinaryValue {
    case null, bool(Bool), int(Int64), uint(UInt64), double(Double), string(String), floats([Float])
    case array([BinaryValue]), keyed([String: BinaryValue])
}

/// A node being encoded; containers hold child boxes so nested containers can keep writing.
final class Box {
    enum Content { case empty, leaf(BinaryValue), array([Box]), keyed([(String, Box)]) }
    var content = Content.empty

    func encode<T: Encodable>(_ value: T) throws {
        if let floats = value as? [Float] { content = .leaf(.floats(floats)); return }
        try value.encode(to: TreeEncoder(box: self))
    }

    func write(to out: inout Data) {
        switch content {
        case .empty: out.append(0)
        case .leaf(let v): Box.write(v, to: &out)
        case .array(let boxes):
            out.append(8); Box.append(UInt64(boxes.count), to: &out)
            for b in boxes { b.write(to: &out) }
        case .keyed(let pairs):
            out.append(9); Box.append(UInt64(pairs.count), to: &out)
            // Sorted by key: a canonical encoding (Dictionary order varies between equal dictionaries).
            for (k, b) in pairs.sorted(by: { $0.0 < $1.0 }) { Box.append(string: k, to: &out); b.write(to: &out) }
        }
    }

    static func write(_ v: BinaryValue, to out: inout Data) {
        switch v {
        case .null: out.append(0)
        case .bool(let b): out.append(1); out.append(b ? 1 : 0)
        case .int(let i): out.append(2); append(UInt64(bitPattern: i), to: &out)
        case .uint(let u): out.append(3); append(u, to: &out)
        case .double(let d): out.append(4); append(d.bitPattern, to: &out)
        case .string(let s): out.append(5); append(string: s, to: &out)
        case .floats(let f):
            out.append(6); append(UInt64(f.count), to: &out)
            f.withUnsafeBufferPointer { p in
                // Float32 little-endian: the platforms VAEScope runs on are little-endian.
                out.append(UnsafeBufferPointer(start: UnsafeRawPointer(p.baseAddress)?.assumingMemoryBound(to: UInt8.self),
                                               count: f.count * 4))
            }
        case .array(let items):
            out.append(8); append(UInt64(items.count), to: &out)
            for i in items { write(i, to: &out) }
        case .keyed(let d):
            out.append(9); append(UInt64(d.count), to: &out)
            for k in d.keys.sorted() { append(string: k, to: &out); write(d[k] ?? .null, to: &out) }
        }
    }

    static func append(_ u: UInt64, to out: inout Data) {
        withUnsafeBytes(of: u.littleEndian) { out.append(contentsOf: $0) }
    }

    static func append(string s: String, to out: inout Data) {
        let bytes = Array(s.utf8)
        append(UInt64(bytes.count), to: &out)
        out.append(contentsOf: bytes)
    }
}

struct Reader {
    let bytes: [UInt8]
    var offset: Int

    mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, offset + n <= bytes.count else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "truncated binary blob"))
        }
        defer { offset += n }
        return bytes[offset..<offset + n]
    }

    mutating func u64() throws -> UInt64 {
        var v: UInt64 = 0
        for (i, b) in try take(8).enumerated() { v |= UInt64(b) << (8 * UInt64(i)) }
        return v
    }

    mutating func count() throws -> Int {
        let n = try u64()
        guard n <= UInt64(bytes.count) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "bad length in binary blob"))
        }
        return Int(n)
    }

    mutating func string() throws -> String { String(decoding: try take(try count()), as: UTF8.self) }

    mutating func value() throws -> BinaryValue {
        let tag = try take(1).first ?? 255
        switch tag {
        case 0: return .null
        case 1: return .bool(try take(1).first == 1)
        case 2: return .int(Int64(bitPattern: try u64()))
        case 3: return .uint(try u64())
        case 4: return .double(Double(bitPattern: try u64()))
        case 5: return .string(try string())
        case 6:
            let n = try count()
            let raw = try take(n * 4)
            var floats = [Float](repeating: 0, count: n)
            floats.withUnsafeMutableBytes { dst in raw.withUnsafeBytes { dst.copyMemory(from: $0) } }
            return .floats(floats)
        case 8:
            let n = try count()
            var items: [BinaryValue] = []
            items.reserveCapacity(n)
            for _ in 0..<n { items.append(try value()) }
            return .array(items)
        case 9:
            let n = try count()
            var d: [String: BinaryValue] = [:]
            for _ in 0..<n { let k = try string(); d[k] = try value() }
            return .keyed(d)
        default:
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "unknown tag \(tag) in binary blob"))
        }
    }
}
