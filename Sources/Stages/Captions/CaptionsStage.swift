import Foundation
import Manifest
import Media

/// A `captions` stage: words put into the film it needs, from a subtitle file or a line per clip, as a soft subtitle
/// track (the picture and sound copied) or burned into the picture (a re-encode). Fetching the film and the files,
/// the key, the output and its checkpoint are every film stage's (`FilmStage`).
public struct CaptionsStage: Sendable {
    public static let formatVersion = "captions-v1"

    public let name: String
    public let options: CaptionsOptions
    /// The project folder (the manifest's): local subtitle and font files are read only inside it (or a folder
    /// `RUNNER_TRUSTED_PATHS` names). Nil reads anywhere (tests that make stages directly).
    public let project: String?

    /// The stage named `name` with its options.
    public init(name: String, options: CaptionsOptions, project: String? = nil) {
        self.name = name
        self.options = options
        self.project = project
    }

    /// The roles of its own files.
    static let subtitlesRole = "from"
    static let fontRole = "font"
}

extension CaptionsStage: FilmStage {
    /// The language, the lines (or that a file is read: its content is keyed as an own file) and how they are
    /// burned: any change makes this stage's film again, and only it.
    public var keyedOptions: [String: String] {
        var keyed = ["language": options.language.text]
        switch options.source {
        case .file(let location):
            keyed["source"] = "file." + (CaptionsOptions.FileFormat(of: location)?.rawValue ?? "")
        case .lines(let lines):
            keyed["source"] = "lines"
            for (index, line) in lines.enumerated() {
                keyed["lines.\(index).match"] = line.match
                keyed["lines.\(index).text"] = line.text
            }
        }
        if let burn = options.burn {
            keyed["burn.position"] = burn.position.rawValue
            keyed["burn.size"] = burn.size.map(String.init) ?? "auto"
            keyed["burn.outline"] = String(burn.outline)
            switch burn.font {
            case .name(let font)?: keyed["burn.font"] = "name:" + font
            case .file?: keyed["burn.font"] = "file"
            case nil: keyed["burn.font"] = "packaged:" + CaptionStyle.packagedFontName
            }
        }
        return keyed
    }

    /// The subtitle file, and a font file to burn with.
    public var ownFiles: [FilmFile] {
        var files: [FilmFile] = []
        if case .file(let location) = options.source {
            files.append(FilmFile(role: Self.subtitlesRole, location: location))
        }
        if case .file(let location)? = options.burn?.font {
            files.append(FilmFile(role: Self.fontRole, location: location))
        }
        return files
    }

    public var picture: PictureTreatment { options.burn == nil ? .copied : .reencoded }

    /// `en.srt, language pt-BR, soft track` / `3 lines, burned in at the top (libx264 CRF 18)`.
    public var optionsSummary: String {
        var parts: [String] = []
        switch options.source {
        case .file(let location): parts.append((location.description as NSString).lastPathComponent)
        case .lines(let lines): parts.append("\(lines.count) line\(lines.count == 1 ? "" : "s")")
        }
        parts.append("language \(options.language.text)")
        if let burn = options.burn {
            parts.append(
                "burned in at the \(burn.position.rawValue) (libx264 CRF \(FilmCaptions.h264Quality), "
                    + "VP9 CRF \(FilmCaptions.vp9Quality) in WebM; the film's size and frame rate)")
        } else {
            parts.append("soft track (mov_text in MP4, WebVTT in WebM)")
        }
        return parts.joined(separator: ", ")
    }

    /// Reads the captions (the subtitle file, or the lines at their clips' spans) and writes the film with them.
    public func render(_ job: FilmJob, shouldStop: @escaping @Sendable () -> Bool) throws -> [String] {
        let captions = try captions(for: job)
        let report: CaptionReport
        if let burn = options.burn {
            report = try FilmCaptions.burn(
                captions, style: try style(burn, job: job), film: job.film, output: job.output, shouldStop: shouldStop)
        } else {
            let language =
                job.fileExtension.lowercased() == "webm"
                ? options.language.bibliographicCode : options.language.terminologyCode
            report = try FilmCaptions.addTrack(
                captions, language: language, film: job.film, output: job.output, shouldStop: shouldStop)
        }
        var warnings: [String] = []
        if report.leftOut > 0 {
            warnings.append(
                "\(report.leftOut) caption\(report.leftOut == 1 ? " starts" : "s start") after the film ends and "
                    + "\(report.leftOut == 1 ? "was" : "were") left out")
        }
        if report.cut > 0 {
            warnings.append(
                "\(report.cut) caption\(report.cut == 1 ? " runs" : "s run") past the film's end and "
                    + "\(report.cut == 1 ? "was" : "were") cut there")
        }
        return warnings
    }

    /// Every film stage's check of its own files, and a local subtitle file parsed: a malformed cue stops plan and
    /// apply at the subtitle file's line and column before any clip is made, not when the stage's turn comes. (An
    /// S3 subtitle file is parsed when the stage runs.)
    public func checkOwnFiles(in context: StageContext) throws {
        try checkOwnFilesInBoundary(in: context)
        guard case .file(let location) = options.source, case .local(let path) = location else { return }
        _ = try Self.parse(path: path, named: location.description, format: CaptionsOptions.FileFormat(of: location))
    }

    /// The captions to put in: parsed from the subtitle file, or placed from the lines at the film's clip spans.
    func captions(for job: FilmJob) throws -> [Caption] {
        switch options.source {
        case .lines(let lines):
            let spans = try FilmChapters.read(path: job.film).map {
                ClipSpan(frame: $0.title, start: $0.start, end: $0.end)
            }
            return try CaptionPlacement.captions(for: lines, spans: spans, stage: name)
        case .file(let location):
            guard let path = job.files[Self.subtitlesRole] else {
                throw StageError.unreadable(path: location.description, reason: "the subtitle file was not fetched")
            }
            return try Self.parse(
                path: path, named: location.description, format: CaptionsOptions.FileFormat(of: location))
        }
    }

    /// The captions of the subtitle file at `path` (`named` as the manifest names it, in errors).
    static func parse(path: String, named: String, format: CaptionsOptions.FileFormat?) throws -> [Caption] {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        guard size <= CaptionsProblem.maximumSubtitleBytes else {
            throw CaptionsProblem.subtitleFileTooLarge(file: named, bytes: size)
        }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let captions: [Caption]
        do {
            captions =
                format == .vtt
                ? try WebVTTParser.parse(bytes, file: named) : try SubRipParser.parse(bytes, file: named)
        } catch {
            throw CaptionsProblem.subtitles(error)
        }
        guard !captions.isEmpty else { throw CaptionsProblem.noCues(file: named) }
        return captions
    }

    /// The burn options as Media draws them: a font file is given to libass in a folder of its own, by the family
    /// name it holds.
    func style(_ burn: BurnOptions, job: FilmJob) throws -> CaptionStyle {
        var style = CaptionStyle(
            size: burn.size, position: burn.position == .top ? .top : .bottom, outline: burn.outline)
        switch burn.font {
        case .name(let font)?:
            style.fontName = font
        case .file(let location)?:
            guard let path = job.files[Self.fontRole] else {
                throw StageError.unreadable(path: location.description, reason: "the font file was not fetched")
            }
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            guard let family = FontFamilyName.read(bytes) else {
                throw CaptionsProblem.notAFont(file: location.description)
            }
            let folder = URL(fileURLWithPath: job.scratch).appendingPathComponent("fonts", isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let ext = location.fileExtension?.lowercased() ?? "ttf"
            try FileManager.default.copyItem(atPath: path, toPath: folder.appendingPathComponent("font.\(ext)").path)
            style.fontName = family
            style.fontFolder = folder.path
        case nil:
            break
        }
        return style
    }
}
