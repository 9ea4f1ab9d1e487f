import Foundation
import Yams

extension TrainConfig {
    /// Applies `key=value` overrides in order (later wins). Throws on a malformed pair, an unknown key (with
    /// the nearest key suggested) or a value of the wrong type (naming the expected type).
    public mutating func apply(overrides: [String]) throws {
        for pair in overrides {
            guard let eq = pair.firstIndex(of: "=") else { throw TrainingError.malformedOverride(pair) }
            let key = pair[..<eq].trimmingCharacters(in: .whitespaces)
            let value = String(pair[pair.index(after: eq)...])
            try ConfigKey.named(key).apply(value, to: &self)
        }
    }

    /// Applies a YAML file: one flat mapping `key: value` of scalars. Comments and quoting as in YAML.
    public mutating func apply(yamlFile path: String) throws {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw TrainingError.unreadableConfig(path: path, reason: error.localizedDescription)
        }
        try apply(yaml: text, source: path)
    }

    /// Applies YAML text (see `apply(yamlFile:)`); `source` names it in errors.
    public mutating func apply(yaml text: String, source: String = "<yaml>") throws {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            throw TrainingError.invalidConfigFile(path: source, reason: "\(error)".split(separator: "\n").first.map(String.init) ?? "")
        }
        guard let root else { return }   // an empty file changes nothing
        guard let mapping = root.mapping else {
            throw TrainingError.invalidConfigFile(path: source, reason: "expected a mapping of key: value at the top level")
        }
        for (keyNode, valueNode) in mapping {
            let line = keyNode.mark.map { ":\($0.line)" } ?? ""
            guard let key = keyNode.scalar?.string else {
                throw TrainingError.invalidConfigFile(path: source + line, reason: "keys must be plain names")
            }
            guard let value = valueNode.scalar?.string else {
                throw TrainingError.wrongType(key: key, value: "(not a scalar, at \(source)\(line))",
                                              expected: try ConfigKey.named(key).type.description)
            }
            do { try ConfigKey.named(key).apply(value, to: &self) } catch let error as TrainingError {
                throw TrainingError.inConfigFile(path: source + line, error)
            }
        }
    }

    /// Defaults, then the YAML file if any, then the `--set` overrides; validated.
    public static func resolve(yamlFile: String? = nil, overrides: [String] = []) throws -> TrainConfig {
        try resolve(preset: nil, yamlFile: yamlFile, overrides: overrides)
    }

    /// Reads a configuration stored with a run; a key added since the run was stored takes the value that
    /// describes how the run was actually trained (`ConfigKey.valueBeforeKeyExisted`), not today's default.
    public static func fromJSON(_ text: String) throws -> TrainConfig {
        var config = try JSONDecoder().decode(TrainConfig.self, from: Data(text.utf8))
        let stored = (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
        for key in ConfigKey.all where stored[key.name] == nil {
            // A key every stored run has had since the first is never absent from a VAEScope configuration: its
            // absence means the JSON is not one (an imported run's own config, say), not an old run.
            guard let old = key.valueBeforeKeyExisted else {
                throw TrainingError.invalidConfigFile(path: "the stored configuration",
                                                      reason: "it lacks '\(key.name)': not a configuration VAEScope wrote")
            }
            try key.apply(old, to: &config)
        }
        return config
    }
}
