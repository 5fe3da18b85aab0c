import CFFmpeg
import Foundation

/// How a video stream's coded pictures become the picture a player shows: turned by the display matrix
/// (phones record portrait as landscape pictures plus a rotation) and stretched by the pixel (sample)
/// aspect ratio. Copy and re-encode both read it: copy keeps it when every clip shares it, re-encode
/// applies it to the decoded pictures.
public struct ClipGeometry: Sendable, Codable, Equatable {
    /// Coded picture size.
    public var width: Int
    public var height: Int
    /// Pixel (sample) aspect ratio as "num:den" ("1:1" for square pixels).
    public var sampleAspectRatio: String
    /// Degrees the coded picture is turned clockwise for display: 0, 90, 180 or 270 (ffprobe shows
    /// 90 here as `rotation=-90`, its counter-clockwise convention).
    public var rotation: Int
    /// True when the display matrix also mirrors the picture.
    public var mirrored: Bool
    /// Size as displayed: pixel aspect applied to the width, then rotation (sides swapped at 90 and 270).
    public var displayWidth: Int
    public var displayHeight: Int

    /// The display matrix's 36 bytes as stored (nil when the stream has none), so copy can keep them exactly.
    var displayMatrix: [UInt8]?
    var sampleAspect: AVRational { Self.rational(sampleAspectRatio) }

    private enum CodingKeys: String, CodingKey {
        case width, height, sampleAspectRatio, rotation, mirrored, displayWidth, displayHeight
    }

    /// The geometry of `input`'s video stream `stream`.
    init(_ input: InputFile, stream: UnsafeMutablePointer<AVStream>) {
        let parameters = stream.pointee.codecpar
        width = Int(parameters?.pointee.width ?? 0)
        height = Int(parameters?.pointee.height ?? 0)
        // The container's ratio (MP4 `pasp`) wins over the codec's, as players do (av_guess_sample_aspect_ratio).
        let guessed = av_guess_sample_aspect_ratio(input.context, stream, nil)
        var sar = guessed.num > 0 && guessed.den > 0 ? guessed : AVRational(num: 1, den: 1)
        av_reduce(&sar.num, &sar.den, Int64(sar.num), Int64(sar.den), 1 << 20)
        sampleAspectRatio = "\(sar.num):\(sar.den)"
        var size = 0
        if let data = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, &size), size >= 36 {
            let bytes = Array(UnsafeBufferPointer(start: data, count: 36))
            displayMatrix = bytes
            (rotation, mirrored) = Self.orientation(of: bytes)
        } else {
            displayMatrix = nil
            (rotation, mirrored) = (0, false)
        }
        let stretched = max(2, Int((Double(width) * Double(sar.num) / Double(sar.den)).rounded()))
        (displayWidth, displayHeight) = rotation % 180 == 0 ? (stretched, height) : (height, stretched)
    }

    /// True when the display matrix (if any) neither turns nor mirrors: the same as having none.
    var isIdentityRotation: Bool { rotation == 0 && !mirrored }

    /// True when the picture needs no turning, mirroring or stretching to be shown.
    public var isPlain: Bool { rotation == 0 && !mirrored && sampleAspectRatio == "1:1" }

    /// Words for reports: "upright", "turned 90° clockwise", "turned 90° clockwise and mirrored".
    var orientationDescription: String {
        let turn = rotation == 0 ? "upright" : "turned \(rotation)° clockwise"
        return mirrored ? turn + " and mirrored" : turn
    }

    /// Clockwise degrees (nearest quarter turn) and mirroring from a display matrix: the 3x3 matrix of
    /// 16.16 fixed-point numbers (row-major) that maps coded to displayed coordinates, read as FFmpeg's
    /// av_display_rotation_get does (whose counter-clockwise angle is the negative of ours).
    static func orientation(of bytes: [UInt8]) -> (rotation: Int, mirrored: Bool) {
        func value(_ index: Int) -> Double {
            let raw = bytes[index * 4..<index * 4 + 4].enumerated().reduce(UInt32(0)) {
                $0 | UInt32($1.element) << (8 * UInt32($1.offset))
            }
            return Double(Int32(bitPattern: raw)) / 65536
        }
        let m0 = value(0)
        let m1 = value(1)
        let m3 = value(3)
        let m4 = value(4)
        let scale0 = (m0 * m0 + m3 * m3).squareRoot()
        let scale1 = (m1 * m1 + m4 * m4).squareRoot()
        guard scale0 > 0, scale1 > 0 else { return (0, false) }
        let degrees = atan2(m1 / scale1, m0 / scale0) * 180 / Double.pi
        let quarter = (Int((degrees / 90).rounded()) % 4 + 4) % 4
        return (quarter * 90, m0 * m4 - m1 * m3 < 0)
    }

    static func rational(_ text: String) -> AVRational {
        let parts = text.split(separator: ":").compactMap { Int32($0) }
        guard parts.count == 2, parts[0] > 0, parts[1] > 0 else { return AVRational(num: 1, den: 1) }
        return AVRational(num: parts[0], den: parts[1])
    }
}
