import Foundation

// The Encoder/Decoder plumbing of `BinaryCoder`: containers over `Box` (encoding) and `BinaryValue` (decoding).

struct TreeEncoder: Encoder {
    let box: Box
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .keyed = box.content {} else { box.content = .keyed([]) }
        return KeyedEncodingContainer(KeyedBoxContainer<Key>(box: box))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array = box.content {} else { box.content = .array([]) }
        return UnkeyedBoxContainer(box: box)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleBoxContainer(box: box) }
}

struct KeyedBoxContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: Box
    var codingPath: [any CodingKey] = []

    private func child(_ key: Key) -> Box { child(named: key.stringValue) }

    private func child(named name: String) -> Box {
        let b = Box()
        if case .keyed(var pairs) = box.content { pairs.append((name, b)); box.content = .keyed(pairs) }
        return b
    }

    mutating func encodeNil(forKey key: Key) throws { child(key).content = .leaf(.null) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try child(key).encode(value) }
    mutating func nestedContainer<N: CodingKey>(keyedBy keyType: N.Type, forKey key: Key) -> KeyedEncodingContainer<N> {
        TreeEncoder(box: child(key)).container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        TreeEncoder(box: child(key)).unkeyedContainer()
    }
    mutating func superEncoder() -> any Encoder { TreeEncoder(box: child(named: "super")) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { TreeEncoder(box: child(key)) }
}

struct UnkeyedBoxContainer: UnkeyedEncodingContainer {
    let box: Box
    var codingPath: [any CodingKey] = []
    var count: Int { if case .array(let a) = box.content { return a.count } else { return 0 } }

    private func child() -> Box {
        let b = Box()
        if case .array(var items) = box.content { items.append(b); box.content = .array(items) }
        return b
    }

    mutating func encodeNil() throws { child().content = .leaf(.null) }
    mutating func encode<T: Encodable>(_ value: T) throws { try child().encode(value) }
    mutating func nestedContainer<N: CodingKey>(keyedBy keyType: N.Type) -> KeyedEncodingContainer<N> {
        TreeEncoder(box: child()).container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { TreeEncoder(box: child()).unkeyedContainer() }
    mutating func superEncoder() -> any Encoder { TreeEncoder(box: child()) }
}

struct SingleBoxContainer: SingleValueEncodingContainer {
    let box: Box
    var codingPath: [any CodingKey] = []

    mutating func encodeNil() throws { box.content = .leaf(.null) }
    mutating func encode(_ v: Bool) throws { box.content = .leaf(.bool(v)) }
    mutating func encode(_ v: String) throws { box.content = .leaf(.string(v)) }
    mutating func encode(_ v: Double) throws { box.content = .leaf(.double(v)) }
    mutating func encode(_ v: Float) throws { box.content = .leaf(.double(Double(v))) }
    mutating func encode(_ v: Int) throws { box.content = .leaf(.int(Int64(v))) }
    mutating func encode(_ v: Int8) throws { box.content = .leaf(.int(Int64(v))) }
    mutating func encode(_ v: Int16) throws { box.content = .leaf(.int(Int64(v))) }
    mutating func encode(_ v: Int32) throws { box.content = .leaf(.int(Int64(v))) }
    mutating func encode(_ v: Int64) throws { box.content = .leaf(.int(v)) }
    mutating func encode(_ v: UInt) throws { box.content = .leaf(.uint(UInt64(v))) }
    mutating func encode(_ v: UInt8) throws { box.content = .leaf(.uint(UInt64(v))) }
    mutating func encode(_ v: UInt16) throws { box.content = .leaf(.uint(UInt64(v))) }
    mutating func encode(_ v: UInt32) throws { box.content = .leaf(.uint(UInt64(v))) }
    mutating func encode(_ v: UInt64) throws { box.content = .leaf(.uint(v)) }
    mutating func encode<T: Encodable>(_ value: T) throws { try box.encode(value) }
}

// MARK: - Decoding

struct TreeDecoder: Decoder {
    let value: BinaryValue
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func mismatch(_ expected: String) -> DecodingError {
        .typeMismatch(Any.self, .init(codingPath: codingPath, debugDescription: "expected \(expected) in binary blob"))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .keyed(let d) = value else { throw mismatch("a keyed container") }
        return KeyedDecodingContainer(KeyedTreeContainer<Key>(values: d, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let a) = value else { throw mismatch("an array") }
        return UnkeyedTreeContainer(values: a, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleTreeContainer(decoder: self) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == [Float].self {
            guard case .floats(let f) = value, let result = f as? T else { throw mismatch("a Float array") }
            return result
        }
        return try T(from: self)
    }
}

struct KeyedTreeContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let values: [String: BinaryValue]
    var codingPath: [any CodingKey]
    var allKeys: [Key] { values.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { values[key.stringValue] != nil }

    private func child(_ key: Key) throws -> TreeDecoder {
        guard let v = values[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing in binary blob"))
        }
        return TreeDecoder(value: v, codingPath: codingPath + [key])
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        if case .null = try child(key).value { return true } else { return false }
    }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try child(key).decode(type) }
    func nestedContainer<N: CodingKey>(keyedBy type: N.Type, forKey key: Key) throws -> KeyedDecodingContainer<N> {
        try child(key).container(keyedBy: type)
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { try child(key).unkeyedContainer() }
    func superDecoder() throws -> any Decoder {
        guard let v = values["super"] else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "missing super in binary blob"))
        }
        return TreeDecoder(value: v, codingPath: codingPath)
    }
    func superDecoder(forKey key: Key) throws -> any Decoder { try child(key) }
}

struct UnkeyedTreeContainer: UnkeyedDecodingContainer {
    let values: [BinaryValue]
    var codingPath: [any CodingKey]
    var currentIndex = 0
    var count: Int? { values.count }
    var isAtEnd: Bool { currentIndex >= values.count }

    private mutating func next() throws -> TreeDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath, debugDescription: "array exhausted"))
        }
        defer { currentIndex += 1 }
        return TreeDecoder(value: values[currentIndex], codingPath: codingPath)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else { return false }
        if case .null = values[currentIndex] { currentIndex += 1; return true }
        return false
    }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decode(type) }
    mutating func nestedContainer<N: CodingKey>(keyedBy type: N.Type) throws -> KeyedDecodingContainer<N> {
        try next().container(keyedBy: type)
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { try next() }
}

struct SingleTreeContainer: SingleValueDecodingContainer {
    let decoder: TreeDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { if case .null = decoder.value { return true } else { return false } }
    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let b) = decoder.value else { throw decoder.mismatch("a Bool") }
        return b
    }
    func decode(_ type: String.Type) throws -> String {
        guard case .string(let s) = decoder.value else { throw decoder.mismatch("a String") }
        return s
    }
    func decode(_ type: Double.Type) throws -> Double {
        switch decoder.value {
        case .double(let d): return d
        case .int(let i): return Double(i)
        case .uint(let u): return Double(u)
        default: throw decoder.mismatch("a number")
        }
    }
    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }
    func integer<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
        switch decoder.value {
        case .int(let i): if let v = I(exactly: i) { return v }
        case .uint(let u): if let v = I(exactly: u) { return v }
        default: break
        }
        throw decoder.mismatch("an integer fitting \(I.self)")
    }
    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decode(type) }
}
