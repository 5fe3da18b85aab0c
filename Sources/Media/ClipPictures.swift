import CFFmpeg

/// A clip's H.264 pictures as a join merge needs them, read from its packets (no decoding): how many frames it
/// shows, their spacing, and its groups of pictures (each starting at an IDR picture and closed: no picture of a
/// group refers to another group), so whole groups can be copied and the rest decoded from a group's start.
struct ClipPictures {
    /// The video stream's time base.
    var timeBase: AVRational
    /// Frames shown, in display order.
    var frameCount: Int
    /// The constant time between frames, in the stream's time base.
    var frameTicks: Int64
    /// The first frame's presentation time.
    var firstPTS: Int64
    /// The display index of each group's first picture (ascending, starting at 0).
    var groupStarts: [Int]
    /// The decode index (packet number) of each group's first packet.
    var groupPackets: [Int]

    /// The clip's pictures, or a sentence saying why its groups cannot be copied on their own.
    static func scan(_ path: String, lengthSize: Int) throws(MediaError) -> Result<ClipPictures, Unsuitable> {
        let input = try InputFile(path: path, probing: .whenNeeded)
        guard let videoIndex = input.bestStream(AVMEDIA_TYPE_VIDEO), let stream = input.stream(videoIndex) else {
            throw .noVideoStream(path: path)
        }
        let packet = try Packet()
        var timestamps: [Int64] = []
        var keys: [Int] = []
        var duration: Int64 = 0
        while try input.read(into: packet) {
            defer { packet.unref() }
            let p = packet.pointer.pointee
            guard Int(p.stream_index) == videoIndex else { continue }
            guard p.pts != runner_av_nopts_value() else {
                return .failure(Unsuitable("a picture of it has no presentation time"))
            }
            if p.flags & 1 != 0 {
                guard let data = p.data, Self.isIDR(UnsafeBufferPointer(start: data, count: Int(p.size)), lengthSize)
                else {
                    return .failure(
                        Unsuitable("a keyframe of it is not an IDR picture (its groups of pictures are open)"))
                }
                keys.append(timestamps.count)
            }
            duration = p.duration
            timestamps.append(p.pts)
        }
        guard !timestamps.isEmpty, keys.first == 0 else {
            return .failure(Unsuitable("it does not start with a keyframe"))
        }
        let sorted = timestamps.sorted()
        let ticks = sorted.count > 1 ? sorted[1] - sorted[0] : duration
        guard ticks > 0, zip(sorted, sorted.dropFirst()).allSatisfy({ $1 - $0 == ticks }) else {
            return .failure(Unsuitable("its frames are not evenly spaced (a variable frame rate)"))
        }
        let start = sorted[0]
        let display = timestamps.map { Int(($0 - start) / ticks) }
        var groupStarts: [Int] = []
        var expected = 0
        for (number, packetIndex) in keys.enumerated() {
            let end = number + 1 < keys.count ? keys[number + 1] : display.count
            let shown = display[packetIndex..<end]
            let from = display[packetIndex]
            // Closed: the group's pictures are exactly the frames from its keyframe to the next group's keyframe.
            guard from == expected, shown.min() == from, shown.max() == from + shown.count - 1,
                Set(shown).count == shown.count
            else {
                return .failure(Unsuitable("its groups of pictures are open (pictures refer across keyframes)"))
            }
            groupStarts.append(from)
            expected = from + shown.count
        }
        return .success(
            ClipPictures(
                timeBase: stream.pointee.time_base, frameCount: display.count, frameTicks: ticks, firstPTS: start,
                groupStarts: groupStarts,
                groupPackets: keys))
    }

    /// True when the sample holds an IDR slice.
    private static func isIDR(_ sample: UnsafeBufferPointer<UInt8>, _ lengthSize: Int) -> Bool {
        guard let units = H264Units.lengthPrefixed(sample, lengthSize: lengthSize) else { return false }
        return units.contains { Int(sample[$0.lowerBound] & 31) == H264Units.idrSlice }
    }
}

/// Why clips cannot be merged by re-encoding only their joins, as a sentence fragment ("its frames are ...").
struct Unsuitable: Error, Equatable {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
