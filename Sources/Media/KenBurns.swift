import CFFmpeg

/// The offline video generator: a slow, smooth zoom and pan over one still image, encoded as H.264 MP4.
public enum KenBurns {
    /// x264 threads, fixed so that the same image and options give the same bytes on any machine.
    static let encoderThreads: Int32 = 4

    /// Renders `image` (PNG, JPEG, WebP, HEIC/HEIF or AVIF, turned upright and flattened onto `options.background`) to `output`.
    /// The same inputs give the same bytes from one process to the next (`runner kenburns`, a rerun of apply); within one
    /// busy process a render has been seen to differ slightly now and then (cause not yet found; clip keys do not depend on it).
    /// When `shouldStop` returns true (polled once per frame) it stops, deletes the partial file and throws `.cancelled`.
    /// With `ending` (a keyframe chain, issue #18) the clip opens as an unchained one does and dissolves, over its last
    /// second or less, into the next frame's opening view, which its last frames show exactly as the next clip's first
    /// frame does; without it the output is what it always was.
    @discardableResult
    public static func render(
        image: String, output: String, options: KenBurnsOptions = KenBurnsOptions(),
        endingOn ending: KenBurnsEnding? = nil,
        shouldStop: (@Sendable () -> Bool)? = nil
    ) throws(MediaError) -> KenBurnsReport {
        try options.validate()
        let clock = ContinuousClock()
        let started = clock.now
        let canvas = try KenBurnsCanvas(
            image: StillImage(path: image, background: options.background), size: options.size, zoom: options.zoom)
        let path = KenBurnsPath(
            canvasWidth: Double(canvas.width), canvasHeight: Double(canvas.height),
            zoom: options.zoom, seed: options.seed)
        var closing: Frame?
        if let ending { closing = try closingView(of: ending, options: options) }
        let loaded = clock.now

        let out = try OutputFile(path: output, format: "mp4", bitexact: true)
        let encoder = try VideoEncoder(
            output: out, format: .mp4, width: options.size.width, height: options.size.height,
            frameRate: AVRational(num: Int32(options.fps), den: 1), crf: options.crf,
            preset: options.preset, threads: encoderThreads, bitexact: true)
        try out.writeHeader(faststart: true)
        let frame = UprightImage.zeroed(
            try Frame(width: options.size.width, height: options.size.height, format: AV_PIX_FMT_YUV420P))
        let count = options.frameCount
        var rendering = Duration.zero
        var encoding = Duration.zero
        for index in 0..<count {
            if shouldStop?() == true { throw .cancelled(path: output) }
            let renderStart = clock.now
            try frame.makeWritable()
            let weight = closing == nil ? 0 : KenBurnsEnding.weight(index: index, count: count, fps: options.fps)
            if weight < 256 {
                canvas.draw(path.rect(at: count == 1 ? 0 : Double(index) / Double(count - 1)), into: frame)
            }
            if let closing {
                KenBurnsBlend.mix(closing, weight: weight, into: frame)
                // The joins: the picture this clip opens with (the previous clip's last) and the one it ends on (the
                // next clip's first) are encoded finer, so that each matches its other half after encoding too.
                if index == 0 || weight == 256 { try QualityBoost.mark(frame) } else { QualityBoost.clear(frame) }
            }
            frame.pointer.pointee.pts = Int64(index)
            let encodeStart = clock.now
            try encoder.encode(frame)
            rendering += encodeStart - renderStart
            encoding += clock.now - encodeStart
        }
        let flushStart = clock.now
        try encoder.encode(nil)
        try out.finish()
        encoding += clock.now - flushStart
        return KenBurnsReport(
            output: output, frames: count, zoomDirection: path.zoomsIn ? "in" : "out",
            loadSeconds: (loaded - started).seconds, renderSeconds: rendering.seconds,
            encodeSeconds: encoding.seconds)
    }

    /// The first picture an unchained render of `ending.image` with `ending.seed` (and `options`' size and zoom)
    /// draws: the view a chained clip ends on.
    static func closingView(of ending: KenBurnsEnding, options: KenBurnsOptions) throws(MediaError) -> Frame {
        let canvas = try KenBurnsCanvas(
            image: StillImage(path: ending.image, background: options.background), size: options.size,
            zoom: options.zoom)
        let path = KenBurnsPath(
            canvasWidth: Double(canvas.width), canvasHeight: Double(canvas.height), zoom: options.zoom,
            seed: ending.seed)
        let view = UprightImage.zeroed(
            try Frame(width: options.size.width, height: options.size.height, format: AV_PIX_FMT_YUV420P))
        canvas.draw(path.rect(at: 0), into: view)
        return view
    }
}
