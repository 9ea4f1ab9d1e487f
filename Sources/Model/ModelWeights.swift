import Tensor

/// Checkpoint payload: parameter values by name (Codable; the optimiser state and the step/RNG are stored
/// beside it by the trainer).
public struct ModelWeights: Codable, Equatable, Sendable {
    public var tensors: [String: [Float]]

    public init(tensors: [String: [Float]] = [:]) {
        self.tensors = tensors
    }
}

extension SequenceVAEOf {
    /// A copy of every parameter's values, by name.
    public func weights() -> ModelWeights {
        var tensors: [String: [Float]] = [:]
        for p in parameters { tensors[p.name] = p.value.map { Float($0) } }
        return ModelWeights(tensors: tensors)
    }

    /// Loads values by name. Throws when a tensor is missing, has the wrong size, or is not part of this
    /// architecture; nothing is changed unless every tensor matches.
    public func load(_ w: ModelWeights) throws {
        for p in parameters {
            guard let values = w.tensors[p.name] else { throw ModelError.missingTensor(name: p.name) }
            guard values.count == p.count else {
                throw ModelError.shapeMismatch(name: p.name, expected: p.count, found: values.count)
            }
        }
        let names = Set(parameters.map(\.name))
        if let extra = w.tensors.keys.sorted().first(where: { !names.contains($0) }) {
            throw ModelError.unexpectedTensor(name: extra)
        }
        for p in parameters {
            if let values = w.tensors[p.name] { p.value = values.map { S($0) } }
        }
    }
}
