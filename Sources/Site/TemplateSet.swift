import Foundation
import Mustache

/// The page templates (Mustache, HTML-escaping `{{value}}`) and the stylesheet.
///
/// Built-in templates are `DefaultTemplates` (the files of `Templates/` embedded as string literals, so the
/// binary needs no repository). `--templates DIR` overrides them file by file: a directory holding only
/// `style.css` restyles the site and keeps the default pages.
public struct TemplateSet: Sendable {
    public static let pageNames = ["index", "run", "report", "compare"]
    public static let partialNames = ["header", "footer", "table", "figure"]

    let library: MustacheLibrary
    public let stylesheet: String
    /// Hash of every template and the stylesheet (a page made with other templates differs).
    public let fingerprint: String

    /// The built-in templates, each overridden by `directory/NAME.mustache` (and `style.css`) when present.
    public init(directory: String? = nil) throws {
        var sources: [String: String] = [:]
        for (file, text) in DefaultTemplates.files { sources[file] = text }
        if let directory {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
                throw SiteError.template(name: directory, message: "no such templates directory")
            }
            for name in Self.pageNames + Self.partialNames {
                let path = (directory as NSString).appendingPathComponent(name + ".mustache")
                if let data = FileManager.default.contents(atPath: path) {
                    sources[name + ".mustache"] = String(decoding: data, as: UTF8.self)
                }
            }
            let css = (directory as NSString).appendingPathComponent("style.css")
            if let data = FileManager.default.contents(atPath: css) { sources["style.css"] = String(decoding: data, as: UTF8.self) }
        }
        var library = MustacheLibrary()
        for name in Self.pageNames + Self.partialNames {
            guard let text = sources[name + ".mustache"] else {
                throw SiteError.template(name: name, message: "missing")
            }
            do { try library.register(text, named: name) } catch {
                throw SiteError.template(name: name + ".mustache", message: "does not parse: \(error)")
            }
        }
        self.library = library
        self.stylesheet = sources["style.css"] ?? ""
        var h = ContentHasher()
        for name in sources.keys.sorted() { h.combine(name); h.combine(sources[name] ?? "") }
        self.fingerprint = h.hex
    }

    /// Renders page template `name` with a view model (a value; templates see only its properties).
    public func render(_ name: String, _ model: Any) throws -> String {
        guard let html = library.render(model, withTemplate: name) else {
            throw SiteError.template(name: name, message: "not found")
        }
        return html
    }
}
