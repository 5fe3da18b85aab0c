import Foundation

/// The mix between its two passes: interleaved Float32 stereo in a scratch file, so that a long film's mix is not
/// held in memory.
enum RawSamples {
    static func write(_ samples: StereoSamples, to file: UnsafeMutablePointer<FILE>, path: String) throws(MediaError) {
        var interleaved = [Float](repeating: 0, count: samples.count * 2)
        for index in 0..<samples.count {
            interleaved[2 * index] = samples.left[index]
            interleaved[2 * index + 1] = samples.right[index]
        }
        let written = interleaved.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        guard written == interleaved.count * MemoryLayout<Float>.size else {
            throw .outputFailed(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// Up to `count` samples (fewer at the end of the file).
    static func read(_ count: Int, from file: UnsafeMutablePointer<FILE>, path: String) throws(MediaError)
        -> StereoSamples
    {
        var interleaved = [Float](repeating: 0, count: count * 2)
        let read = interleaved.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        if read == 0, ferror(file) != 0 {
            throw .decodingFailed(path: path, reason: String(cString: strerror(errno)))
        }
        let samples = read / (2 * MemoryLayout<Float>.size)
        var result = StereoSamples()
        result.left.reserveCapacity(samples)
        result.right.reserveCapacity(samples)
        for index in 0..<samples {
            result.left.append(interleaved[2 * index])
            result.right.append(interleaved[2 * index + 1])
        }
        return result
    }
}
