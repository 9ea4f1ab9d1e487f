import Foundation

/// Everything that can go wrong while reading a corpus or building the demo corpus. Each message is one line
/// naming the file (and line) and saying how to fix it.
public enum CorpusError: Error, LocalizedError, Equatable, Sendable {
    /// None of the accepted file names for a split exists in the directory.
    case missingSplit(directory: String, split: String, tried: [String])
    /// The file exists but holds no sentence (empty, or only blank lines, or every line was skipped).
    case emptyFile(path: String)
    /// The file could not be read (permissions, not UTF-8, …).
    case unreadable(path: String, reason: String)
    /// A line has more tokens than the maximum length and the policy is `.error`. `line` is 1-based.
    case lineTooLong(path: String, line: Int, length: Int, maxLength: Int)
    /// A source file of the demo corpus is missing; `package` is the Debian package that provides it.
    case missingSource(path: String, package: String)
    /// A stored vocabulary does not start with the four special tokens, or repeats a word.
    case invalidVocabulary(String)
    /// An option is out of range (a fraction outside [0, 1), a non-positive length, …).
    case invalidOption(String)

    public var errorDescription: String? {
        switch self {
        case let .missingSplit(directory, split, tried):
            return "corpus '\(directory)': no \(split) split; expected one of \(tried.joined(separator: ", ")) "
                + "(one sentence per line, whitespace-separated tokens)"
        case let .emptyFile(path):
            return "corpus file '\(path)' holds no sentence; fill it with one sentence per line"
        case let .unreadable(path, reason):
            return "cannot read corpus file '\(path)': \(reason)"
        case let .lineTooLong(path, line, length, maxLength):
            return "\(path):\(line): sentence has \(length) tokens, more than the maximum length \(maxLength); "
                + "raise the maximum length or skip long lines"
        case let .missingSource(path, package):
            return "demo corpus source '\(path)' is missing; install it with: sudo apt-get install \(package) "
                + "(or run scripts/setup.sh --demo)"
        case let .invalidVocabulary(reason):
            return "invalid vocabulary: \(reason)"
        case let .invalidOption(reason):
            return "invalid corpus option: \(reason)"
        }
    }
}
