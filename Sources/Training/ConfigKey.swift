import Foundation
import Model

/// The type of a configuration value, as shown in errors and in `--help-config`.
public enum ConfigValueType: Equatable, Sendable, CustomStringConvertible {
    case integer, unsigned, number, boolean
    case choice([String])

    public var description: String {
        switch self {
        case .integer: return "an integer"
        case .unsigned: return "a non-negative integer"
        case .number: return "a number"
        case .boolean: return "true or false"
        case .choice(let names): return "one of " + names.joined(separator: "|")
        }
    }
}

/// One key of `TrainConfig`, described once: its name (the field's), type, one-line doc with the paper it follows,
/// how to read and write it as text, its valid range, whether `train --resume` may change it, and the value that
/// describes runs stored before the key existed. `ConfigKey.all` (TrainConfig+Keys.swift) is the single source of
/// `--set`, YAML files, the stored JSON (flat: one field per key), validation, resume rules, `--help-config` and
/// the keys report specs accept.
public struct ConfigKey: Sendable {
    public let name: String
    public let type: ConfigValueType
    public let doc: String
    let get: @Sendable (TrainConfig) -> String
    let set: @Sendable (inout TrainConfig, String) -> Bool   // false: the text is not of `type`
    /// The valid range, as a check and its description ("an integer ≥ 1"); nil: every value of the type.
    public private(set) var range: Range? = nil
    /// `train --resume` may change it (the budget and the end-of-training evaluation): nothing else would
    /// continue the run exactly.
    public private(set) var resumable = false
    /// For runs stored before the key existed: the value that describes how they were trained (not today's
    /// default); nil for the keys of the first stored runs.
    public private(set) var valueBeforeKeyExisted: String? = nil

    public struct Range: Sendable {
        let check: @Sendable (TrainConfig) -> Bool
        public let expected: String
    }

    /// The key with a valid range: `check` on the configuration, `expected` said in the error.
    func valid(_ expected: String, _ check: @escaping @Sendable (TrainConfig) -> Bool) -> ConfigKey {
        var k = self
        k.range = Range(check: check, expected: expected)
        return k
    }

    /// The key may change on `train --resume`.
    func resumableKey() -> ConfigKey {
        var k = self
        k.resumable = true
        return k
    }

    /// Runs stored before this key existed were trained as with `value`.
    func before(_ value: String) -> ConfigKey {
        var k = self
        k.valueBeforeKeyExisted = value
        return k
    }

    /// The default value, as text.
    public var defaultValue: String { self.get(TrainConfig()) }

    /// Sets the key from text; throws `wrongType` naming the key and the expected type.
    public func apply(_ text: String, to config: inout TrainConfig) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard set(&config, trimmed) else {
            throw TrainingError.wrongType(key: name, value: text, expected: type.description)
        }
    }

    public func value(in config: TrainConfig) -> String { self.get(config) }

    // MARK: Builders

    static func int(_ name: String, _ kp: WritableKeyPath<TrainConfig, Int> & Sendable, _ doc: String) -> ConfigKey {
        ConfigKey(name: name, type: .integer, doc: doc, get: { String($0[keyPath: kp]) }, set: { c, s in
            guard let v = Int(s.replacingOccurrences(of: "_", with: "")) else { return false }
            c[keyPath: kp] = v
            return true
        })
    }

    static func uint(_ name: String, _ kp: WritableKeyPath<TrainConfig, UInt64> & Sendable, _ doc: String) -> ConfigKey {
        ConfigKey(name: name, type: .unsigned, doc: doc, get: { String($0[keyPath: kp]) }, set: { c, s in
            guard let v = UInt64(s.replacingOccurrences(of: "_", with: "")) else { return false }
            c[keyPath: kp] = v
            return true
        })
    }

    static func double(_ name: String, _ kp: WritableKeyPath<TrainConfig, Double> & Sendable, _ doc: String) -> ConfigKey {
        ConfigKey(name: name, type: .number, doc: doc, get: { format($0[keyPath: kp]) }, set: { c, s in
            guard let v = Double(s.replacingOccurrences(of: "_", with: "")), v.isFinite else { return false }
            c[keyPath: kp] = v
            return true
        })
    }

    static func bool(_ name: String, _ kp: WritableKeyPath<TrainConfig, Bool> & Sendable, _ doc: String) -> ConfigKey {
        ConfigKey(name: name, type: .boolean, doc: doc, get: { String($0[keyPath: kp]) }, set: { c, s in
            switch s.lowercased() {
            case "true", "yes", "on", "1": c[keyPath: kp] = true
            case "false", "no", "off", "0": c[keyPath: kp] = false
            default: return false
            }
            return true
        })
    }

    static func choice<E: RawRepresentable & CaseIterable & Sendable>(
        _ name: String, _ kp: WritableKeyPath<TrainConfig, E> & Sendable, _ doc: String
    ) -> ConfigKey where E.RawValue == String {
        ConfigKey(name: name, type: .choice(E.allCases.map(\.rawValue)), doc: doc,
                  get: { $0[keyPath: kp].rawValue }, set: { c, s in
            // Exact match first, then case-insensitive ("absmax" → absMax).
            guard let v = E(rawValue: s) ?? E.allCases.first(where: { $0.rawValue.lowercased() == s.lowercased() })
            else { return false }
            c[keyPath: kp] = v
            return true
        })
    }

    /// Shortest text that reads back to the same Double ("0.001", "10000", "1e-05").
    static func format(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        return "\(x)"
    }
}

extension ConfigKey {
    /// The key named `name`, or an `unknownKey` error suggesting the nearest name.
    public static func named(_ name: String) throws -> ConfigKey {
        let keys = all
        if let key = keys.first(where: { $0.name == name }) { return key }
        if let key = keys.first(where: { $0.name.lowercased() == name.lowercased() }) { return key }
        let nearest = keys.min { editDistance($0.name.lowercased(), name.lowercased())
                               < editDistance($1.name.lowercased(), name.lowercased()) }
        throw TrainingError.unknownKey(key: name, suggestion: nearest?.name)
    }

    /// Levenshtein distance over characters.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// The `--help-config` text: every key with its type, default and doc.
    public static var helpText: String {
        let keys = all
        let width = keys.map(\.name.count).max() ?? 0
        var lines = ["Configuration keys (set with --config FILE.yaml and --set key=value; later wins):", ""]
        for key in keys {
            let padded = key.name.padding(toLength: width, withPad: " ", startingAt: 0)
            lines.append("  \(padded)  = \(key.defaultValue)  (\(key.type))")
            lines.append("  \(String(repeating: " ", count: width))    \(key.doc)")
        }
        return lines.joined(separator: "\n")
    }
}
