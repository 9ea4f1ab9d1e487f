/// Escaping for every output format the site writes. Templates escape `{{value}}` for HTML already; these
/// functions cover the places a template does not see: CSV cells and LaTeX cells (run data embedded in a script
/// goes through `Escape.scriptSafeJSON`, in CompareData.swift).
public enum Escape {
    /// One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, quotes doubled. A text
    /// cell starting with `=`, `+`, `-` or `@` that is not a number gets a leading `'` so spreadsheets do
    /// not run it as a formula.
    public static func csv(_ field: String, isNumber: Bool = false) -> String {
        var field = field
        if !isNumber, let first = field.first, "=+-@".contains(first) { field = "'" + field }
        if field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return field
    }

    /// LaTeX text escaping: the ten special characters, plus the Unicode symbols the site's column labels use
    /// (μ, σ, ‖, ², ≤, −, …) mapped to math mode so a paper compiles without extra packages.
    public static func latex(_ text: String) -> String {
        var out = ""
        for c in text.unicodeScalars {
            switch c {
            case "\\": out += "\\textbackslash{}"
            case "&", "%", "$", "#", "_", "{", "}": out += "\\" + String(c)
            case "~": out += "\\textasciitilde{}"
            case "^": out += "\\textasciicircum{}"
            case "<": out += "\\textless{}"
            case ">": out += "\\textgreater{}"
            case "μ": out += "$\\mu$"
            case "σ": out += "$\\sigma$"
            case "β": out += "$\\beta$"
            case "‖": out += "$\\|$"
            case "²": out += "$^2$"
            case "≤": out += "$\\le$"
            case "≥": out += "$\\ge$"
            case "−": out += "$-$"
            case "–": out += "--"
            case "—": out += "---"
            case "×": out += "$\\times$"
            case "±": out += "$\\pm$"
            case "|": out += "$|$"
            case "\u{0304}": out += "" // combining macron: p̄ → p (the label keeps its meaning in the caption)
            case "Σ": out += "$\\Sigma$"
            case "Δ": out += "$\\Delta$"
            case "α": out += "$\\alpha$"
            case "γ": out += "$\\gamma$"
            case "δ": out += "$\\delta$"
            case "ε": out += "$\\varepsilon$"
            case "θ": out += "$\\theta$"
            case "λ": out += "$\\lambda$"
            case "π": out += "$\\pi$"
            case "ρ": out += "$\\rho$"
            case "τ": out += "$\\tau$"
            case "φ": out += "$\\phi$"
            case "ω": out += "$\\omega$"
            case "≈": out += "$\\approx$"
            case "≠": out += "$\\neq$"
            case "·": out += "$\\cdot$"
            case "→": out += "$\\to$"
            case "∞": out += "$\\infty$"
            case "…": out += "\\ldots{}"
            case "\u{2018}", "\u{2019}": out += "'"
            case "\u{201C}": out += "``"
            case "\u{201D}": out += "''"
            case "\u{00A0}": out += "~"
            default:
                // pdflatex's utf8 input knows Latin-1 and Latin Extended-A letters; anything else (another
                // script, a symbol, a control or bidirectional character) would stop the compilation.
                if c.value < 0x80 ? (c.value >= 0x20 && c.value != 0x7F) : (0xC0...0x17F).contains(c.value) {
                    out.unicodeScalars.append(c)
                } else if c.value == 0x09 || c.value == 0x0A {
                    out += " "
                } else {
                    out += "?"
                }
            }
        }
        return out
    }
}
