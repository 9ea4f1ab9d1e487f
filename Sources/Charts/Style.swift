/// How an axis maps data: linear, or base-10 logarithmic (non-positive values are skipped and counted).
public enum AxisScale: Sendable, Hashable { case linear, log10 }

/// An axis description: its label, scale, and an optional fixed range (nil: from the data, padded).
public struct Axis: Sendable, Hashable {
    public var label: String
    public var scale: AxisScale
    public var range: ClosedRange<Double>?
    public init(label: String = "", scale: AxisScale = .linear, range: ClosedRange<Double>? = nil) {
        self.label = label; self.scale = scale; self.range = range
    }
}

/// Where the legend goes. `.auto` picks the inside corner covering the fewest data points, or outside
/// right when every corner is crowded.
public enum LegendPosition: Sendable, Hashable { case auto, upperLeft, upperRight, lowerLeft, lowerRight, outsideRight, hidden }

/// Marker shapes; series get them in this order when markers are on, so series differ in grey scale.
public enum Marker: Sendable, Hashable, CaseIterable { case circle, square, triangle, diamond, cross, plus }

/// Line dash patterns; series get them in this order, so series differ in grey-scale print.
public enum Dash: Sendable, Hashable, CaseIterable {
    case solid, dashed, dashDot, dotted
    /// On/off lengths in units of the line width (empty: solid).
    public var pattern: [Double] {
        switch self {
        case .solid: return []
        case .dashed: return [3.7, 1.6]
        case .dashDot: return [6.4, 1.6, 1, 1.6]
        case .dotted: return [1, 1.65]
        }
    }
}

/// Pixel size of a rendered chart. The output has `width × scale` by `height × scale` pixels; layout happens
/// at 1× so a 2× render is the same figure with twice the detail (print and hi-DPI screens).
public struct RenderSize: Sendable, Hashable {
    public var width: Int
    public var height: Int
    public var scale: Double
    public init(width: Int = 800, height: Int = 500, scale: Double = 1) {
        self.width = width; self.height = height; self.scale = scale
    }
    var pixelWidth: Int { Int((Double(width) * scale).rounded()) }
    var pixelHeight: Int { Int((Double(height) * scale).rounded()) }
}

/// The look shared by all kinds. Sizes are pixels at 1×.
public struct ChartStyle: Sendable, Hashable {
    public var fontSize: Double = 13
    public var titleSize: Double = 16
    public var lineWidth: Double = 1.6
    /// Data layers are drawn this many times larger and box-filtered down (anti-aliasing), 1…4; plots
    /// larger than 0.5 Mpx at output size use at most 2 (their pixels are small already; 2.25× less work).
    public var supersampling: Int = 3
    public var grid: Bool = true
    public var palette: [Color] = Color.palette
    public var background: Color = .white
    public init() {}

    /// The categorical colour of series `i`.
    public func color(_ i: Int) -> Color { palette.isEmpty ? .ink : palette[i % palette.count] }
    /// The dash of series `i` (cycles after the colours so each (colour, dash) pair is unique for 32 series).
    public func dash(_ i: Int) -> Dash { Dash.allCases[(i / max(1, palette.count) + i) % Dash.allCases.count] }
    public func marker(_ i: Int) -> Marker { Marker.allCases[i % Marker.allCases.count] }
    var tickSize: Double { fontSize * 0.85 }
    var legendSize: Double { fontSize * 0.9 }
}
