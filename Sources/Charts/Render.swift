import Foundation

/// Anything that lays out into a `Drawing`: every chart kind and `Chart`.
public protocol ChartDescription: Sendable {
    /// Lays the chart out at 1× for `size` (the drawing keeps `size.scale` for the canvases).
    func drawing(size: RenderSize) throws -> Drawing
}

/// Layout shared by every kind: validates the size, finds the font, calls the kind's layout.
enum Layout {
    static func drawing(size: RenderSize, style: ChartStyle,
                        _ body: (Double, Double, TextKit) throws -> [DrawCommand]) throws -> Drawing {
        guard size.width >= 32, size.height >= 32, size.width <= 20_000, size.height <= 20_000 else {
            throw ChartsError.invalidArgument("size \(size.width)×\(size.height) px is outside 32…20000")
        }
        guard size.scale.isFinite, size.scale >= 0.25, size.scale <= 8 else {
            throw ChartsError.invalidArgument("scale \(size.scale) is outside 0.25…8")
        }
        let kit = TextKit(measurer: try sharedMeasurer())
        let cmds = try body(Double(size.width), Double(size.height), kit)
        return Drawing(width: size.width, height: size.height, background: style.background, commands: cmds,
                       scale: size.scale, supersampling: min(max(style.supersampling, 1), 4), fontPath: kit.measurer.fontPath)
    }

    nonisolated(unsafe) private static var measurer: TextMeasurer?
    private static let lock = NSLock()
    static func sharedMeasurer() throws -> TextMeasurer {
        lock.lock(); defer { lock.unlock() }
        if let m = measurer { return m }
        let m = TextMeasurer(fontPath: try ChartFont.path())
        measurer = m
        return m
    }
}

extension ChartDescription {
    /// The chart as PNG bytes (`size.width × size.scale` by `size.height × size.scale` pixels).
    public func png(size: RenderSize = .init()) throws -> Data {
        var canvas = PNGCanvas()
        try drawing(size: size).replay(on: &canvas)
        let data = try canvas.pngData()
        canvas.recycle()
        return data
    }
    /// The chart as an SVG document (viewBox in 1× pixels, width/height scaled).
    public func svg(size: RenderSize = .init()) throws -> String {
        var canvas = SVGCanvas()
        try drawing(size: size).replay(on: &canvas)
        return canvas.document()
    }
    public func writePNG(to url: URL, size: RenderSize = .init()) throws {
        try write(try png(size: size), to: url)
    }
    public func writeSVG(to url: URL, size: RenderSize = .init()) throws {
        try write(Data(try svg(size: size).utf8), to: url)
    }
    private func write(_ data: Data, to url: URL) throws {
        do { try data.write(to: url, options: .atomic) } catch {
            throw ChartsError.write(path: url.path, reason: error.localizedDescription)
        }
    }
}

extension LineChart: ChartDescription {
    public func drawing(size: RenderSize = .init()) throws -> Drawing {
        let f = try figure()
        return try Layout.drawing(size: size, style: style) { w, h, kit in f.layout(width: w, height: h, kit: kit) }
    }
}
