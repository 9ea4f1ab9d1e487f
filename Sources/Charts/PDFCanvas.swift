import CCairo
import Foundation

/// Writes a `Drawing` as a one-page vector PDF through cairo's PDF surface: the same commands as the PNG and
/// SVG canvases, one layout pixel = one PostScript point (a 560-px figure is 560 pt wide; LaTeX scales it with
/// `\includegraphics[width=\linewidth]{…}`), plots clipped to their rectangle, text in DejaVu Sans (embedded by
/// cairo as a font subset, so the PDF looks the same everywhere). The file carries no creation date, so the same
/// drawing gives the same bytes (the site's incremental rebuilds and byte-identical checks rely on that).
/// A class, not a struct: it owns cairo's surface and context, released in `deinit` whatever happens (a drawing
/// that throws halfway leaks nothing) and never copied.
public final class PDFCanvas: Canvas {
    private var sink: Sink?
    private var surface: OpaquePointer?
    private var cr: OpaquePointer?

    public init() {}

    deinit { finishSurface() }

    /// Collects the bytes cairo writes.
    final class Sink { var data = Data() }

    public func begin(_ d: Drawing) throws {
        finishSurface()
        let sink = Sink()
        self.sink = sink
        let write: cairo_write_func_t = { closure, bytes, length in
            guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
            Unmanaged<Sink>.fromOpaque(closure).takeUnretainedValue().data.append(bytes, count: Int(length))
            return CAIRO_STATUS_SUCCESS
        }
        let s = cairo_pdf_surface_create_for_stream(write, Unmanaged.passUnretained(sink).toOpaque(),
                                                    Double(d.width), Double(d.height))
        guard let s else { throw ChartsError.invalidArgument("cairo could not start a PDF of \(d.width)×\(d.height) pt") }
        guard cairo_surface_status(s) == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(s)
            throw ChartsError.invalidArgument("cairo could not start a PDF of \(d.width)×\(d.height) pt")
        }
        // An invalid date removes the entry (cairo ≥ 1.16 would otherwise stamp the current time).
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, "")
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "VAEScope")
        surface = s
        cr = cairo_create(s)
        fill(Rect(x: 0, y: 0, width: Double(d.width), height: Double(d.height)), d.background)
    }

    public func draw(_ c: DrawCommand) throws {
        guard cr != nil else { throw ChartsError.invalidArgument("PDF canvas: draw before begin") }
        switch c {
        case .plot(let r, let bg, let inner):
            cairo_save(cr)
            cairo_rectangle(cr, r.minX, r.minY, r.width, r.height)
            cairo_clip(cr)
            fill(r, bg)
            var texts: [DrawCommand] = []
            for c in inner { if case .text = c { texts.append(c) } else { element(c) } }
            cairo_restore(cr)
            for t in texts { element(t) }
        default:
            element(c)
        }
    }

    /// Ends the page and returns the PDF bytes; the canvas is empty afterwards.
    public func pdfData() throws -> Data {
        guard let sink, surface != nil else { throw ChartsError.invalidArgument("nothing drawn: begin() was not called") }
        let status = finishSurface()
        guard status == CAIRO_STATUS_SUCCESS else {
            throw ChartsError.invalidArgument("cairo could not write the PDF: \(String(cString: cairo_status_to_string(status)))")
        }
        self.sink = nil
        return sink.data
    }

    @discardableResult
    private func finishSurface() -> cairo_status_t {
        var status = CAIRO_STATUS_SUCCESS
        if let cr {
            status = cairo_status(cr)
            cairo_destroy(cr)
        }
        if let surface {
            cairo_surface_finish(surface)
            if status == CAIRO_STATUS_SUCCESS { status = cairo_surface_status(surface) }
            cairo_surface_destroy(surface)
        }
        cr = nil; surface = nil
        return status
    }

    private func source(_ c: Color) {
        cairo_set_source_rgba(cr, Double(c.r) / 255, Double(c.g) / 255, Double(c.b) / 255, c.alpha)
    }

    private func fill(_ r: Rect, _ c: Color) {
        source(c)
        cairo_rectangle(cr, r.minX, r.minY, r.width, r.height)
        cairo_fill(cr)
    }

    /// Adds a path through the finite points, breaking it where a point is not finite.
    private func path(_ pts: [Point], close: Bool) {
        var started = false
        for p in pts {
            guard p.x.isFinite, p.y.isFinite else { started = false; continue }
            if started { cairo_line_to(cr, p.x, p.y) } else { cairo_move_to(cr, p.x, p.y); started = true }
        }
        if close && started { cairo_close_path(cr) }
    }

    private func stroke(_ c: Color, width: Double, dash: [Double] = [], round: Bool = false) {
        source(c)
        cairo_set_line_width(cr, width)
        cairo_set_line_cap(cr, round ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_BUTT)
        cairo_set_line_join(cr, round ? CAIRO_LINE_JOIN_ROUND : CAIRO_LINE_JOIN_MITER)
        dash.withUnsafeBufferPointer { cairo_set_dash(cr, $0.baseAddress, Int32($0.count), 0) }
        cairo_stroke(cr)
    }

    private func element(_ c: DrawCommand) {
        switch c {
        case .fillRect(let r, let color):
            fill(r, color)
        case .strokeRect(let r, let color, let w):
            cairo_rectangle(cr, r.minX, r.minY, r.width, r.height)
            stroke(color, width: w)
        case .line(let a, let b, let color, let w):
            cairo_move_to(cr, a.x, a.y)
            cairo_line_to(cr, b.x, b.y)
            stroke(color, width: w)
        case .polyline(let pts, let color, let w, let dash):
            path(pts, close: false)
            stroke(color, width: w, dash: dash.pattern.map { $0 * w }, round: true)
        case .polygon(let pts, let color):
            path(pts, close: true)
            source(color)
            cairo_fill(cr)
        case .markers(let pts, let m, let r, let fill, _):
            for p in pts where p.x.isFinite && p.y.isFinite { marker(m, at: p, r) }
            source(fill)
            if m == .plus || m == .cross {
                cairo_set_line_width(cr, r * 0.44)
                cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT)
                cairo_set_dash(cr, nil, 0, 0)
                cairo_stroke(cr)
            } else {
                cairo_fill(cr)
            }
        case .text(let t):
            text(t)
        case .plot:
            break
        }
    }

    /// The marker's outline at `p` (the same shapes as the SVG canvas), added to the current path.
    private func marker(_ m: Marker, at p: Point, _ r: Double) {
        func poly(_ offsets: [(Double, Double)]) { path(offsets.map { Point(p.x + $0.0, p.y + $0.1) }, close: true) }
        switch m {
        case .circle:
            cairo_new_sub_path(cr)
            cairo_arc(cr, p.x, p.y, r, 0, 2 * Double.pi)
        case .square:
            cairo_rectangle(cr, p.x - r * 0.85, p.y - r * 0.85, r * 1.7, r * 1.7)
        case .diamond:
            poly([(0, -r * 1.1), (r * 0.88, 0), (0, r * 1.1), (-r * 0.88, 0)])
        case .triangle:
            poly([(0, -r), (r, r * 0.7), (-r, r * 0.7)])
        case .plus:
            cairo_move_to(cr, p.x - r, p.y); cairo_line_to(cr, p.x + r, p.y)
            cairo_move_to(cr, p.x, p.y - r); cairo_line_to(cr, p.x, p.y + r)
        case .cross:
            cairo_move_to(cr, p.x - r, p.y - r); cairo_line_to(cr, p.x + r, p.y + r)
            cairo_move_to(cr, p.x - r, p.y + r); cairo_line_to(cr, p.x + r, p.y - r)
        }
    }

    private func text(_ t: TextRun) {
        // Control characters have no glyph: drop them as the SVG canvas does.
        let s = String(String.UnicodeScalarView(t.text.unicodeScalars.filter { $0.value >= 0x20 || $0 == "\t" }))
        guard !s.isEmpty else { return }
        cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                               t.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cr, t.size)
        var ext = cairo_text_extents_t()
        cairo_text_extents(cr, s, &ext)
        let shift = t.align == .start ? 0 : (t.align == .middle ? ext.x_advance / 2 : ext.x_advance)
        cairo_save(cr)
        cairo_translate(cr, t.position.x, t.position.y)
        if t.rotated { cairo_rotate(cr, -Double.pi / 2) }
        cairo_move_to(cr, -shift, 0)
        source(t.color)
        cairo_show_text(cr, s)
        cairo_restore(cr)
    }
}

extension ChartDescription {
    /// The chart as a one-page vector PDF (`size.width × size.height` points; `size.scale` does not apply).
    public func pdf(size: RenderSize = .init()) throws -> Data {
        var canvas = PDFCanvas()   // a class: released (surface included) when it goes out of scope
        try drawing(size: size).replay(on: &canvas)
        return try canvas.pdfData()
    }
}
