import Foundation

/// Everything that can go wrong while describing, laying out or drawing a chart.
public enum ChartsError: LocalizedError, Equatable {
    /// DejaVu Sans was not found in any of the searched places.
    case fontNotFound(searched: [String])
    /// An argument that cannot describe a chart (e.g. a negative size, mismatched x/y lengths).
    case invalidArgument(String)
    /// libgd failed (allocation, PNG encoding or decoding).
    case libgd(String)
    /// Writing the output file failed.
    case write(path: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case .fontNotFound(let searched):
            return "font DejaVu Sans not found (searched \(searched.joined(separator: ", "))): "
                + "install fonts-dejavu-core or set VAESCOPE_FONT to a .ttf file"
        case .invalidArgument(let what):
            return "invalid chart: \(what)"
        case .libgd(let what):
            return "libgd: \(what)"
        case .write(let path, let reason):
            return "writing chart \(path): \(reason)"
        }
    }
}
