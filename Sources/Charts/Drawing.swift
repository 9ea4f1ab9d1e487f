/// Horizontal alignment of a text run around its anchor point.
public enum TextAlign: Sendable, Hashable { case start, middle, end }

/// One run of text. `position` is on the baseline; with `rotated` the run reads bottom-to-top (90° ccw)
/// and `position` is on its (now vertical) baseline. `bounds` is the run's box at 1×, used by tests.
public struct TextRun: Sendable, Hashable {
    public var text: String
    public var position: Point
    public var size: Double
    public var color: Color
    public var align: TextAlign
    public var rotated: Bool
    public var bold: Bool
    public var bounds: Rect
    /// What the run is, for tests: "title", "xlabel", "ylabel", "xtick", "ytick", "legend", "note", "label", "colorbar", "panel".
    public var role: String
}

/// A drawing command in 1× canvas pixels. Commands inside `.plot` are data: the PNG canvas draws them
/// supersampled (anti-aliased) and clipped to the plot rectangle; everything else is drawn crisp at 1×.
public indirect enum DrawCommand: Sendable, Hashable {
    case fillRect(Rect, Color)
    case strokeRect(Rect, Color, width: Double)
    /// A straight crisp line (axes, ticks, grid).
    case line(Point, Point, Color, width: Double)
    case polyline([Point], Color, width: Double, dash: Dash)
    case polygon([Point], Color)
    /// The same marker at many points (batched for speed).
    case markers([Point], Marker, radius: Double, fill: Color, stroke: Color?)
    case text(TextRun)
    /// A clipped, anti-aliased data area: its background, then its commands.
    case plot(Rect, background: Color, [DrawCommand])
}

/// A laid-out chart: size and commands in drawing order. Replay it on any `Canvas`.
public struct Drawing: Sendable, Hashable {
    public var width: Int
    public var height: Int
    public var background: Color
    public var commands: [DrawCommand]
    /// Output pixels per layout pixel (2 = print / hi-DPI).
    public var scale: Double = 1
    /// Supersampling factor of the PNG canvas' data layers.
    public var supersampling: Int = 3
    /// The TrueType font the layout measured with.
    public var fontPath: String = ""

    public func replay<C: Canvas>(on canvas: inout C) throws {
        try canvas.begin(self)
        for c in commands { try canvas.draw(c) }
    }

    /// Every text run, including those inside plots.
    public var texts: [TextRun] {
        var out: [TextRun] = []
        func walk(_ cs: [DrawCommand]) {
            for c in cs {
                if case .text(let t) = c { out.append(t) }
                if case .plot(_, _, let inner) = c { walk(inner) }
            }
        }
        walk(commands)
        return out
    }
    /// The rectangles of the plot areas.
    public var plotRects: [Rect] {
        commands.compactMap { if case .plot(let r, _, _) = $0 { return r } else { return nil } }
    }
}

/// Something that draws commands: the PNG canvas (libgd), the SVG canvas, the recording canvas.
public protocol Canvas {
    /// Starts a drawing (size, scale, background, font); commands follow.
    mutating func begin(_ drawing: Drawing) throws
    mutating func draw(_ command: DrawCommand) throws
}

/// Records commands as given (for tests of layout).
public struct RecordingCanvas: Canvas {
    public private(set) var width = 0
    public private(set) var height = 0
    public private(set) var commands: [DrawCommand] = []
    public init() {}
    public mutating func begin(_ drawing: Drawing) throws {
        width = drawing.width; height = drawing.height; commands = []
    }
    public mutating func draw(_ command: DrawCommand) throws { commands.append(command) }
}
