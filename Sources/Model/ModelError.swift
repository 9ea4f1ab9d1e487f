import Foundation

/// Errors of the Model module.
public enum ModelError: LocalizedError, Equatable {
    case missingTensor(name: String)
    case shapeMismatch(name: String, expected: Int, found: Int)
    case unexpectedTensor(name: String)

    public var errorDescription: String? {
        switch self {
        case .missingTensor(let name):
            return "model weights: tensor '\(name)' is missing; the checkpoint was written by a different architecture (check the run's config)"
        case .shapeMismatch(let name, let expected, let found):
            return "model weights: tensor '\(name)' has \(found) elements, the model expects \(expected); load the checkpoint with the config it was trained with"
        case .unexpectedTensor(let name):
            return "model weights: unexpected tensor '\(name)'; the checkpoint was written by a different architecture (check the run's config)"
        }
    }
}
