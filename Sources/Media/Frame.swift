import CFFmpeg

/// An owned AVFrame, freed when the object goes away.
final class Frame {
    let pointer: UnsafeMutablePointer<AVFrame>

    init() throws(MediaError) {
        guard let pointer = av_frame_alloc() else { throw .unavailable("memory for a frame") }
        self.pointer = pointer
    }

    /// A frame with its own buffers of the given video format and size.
    convenience init(width: Int, height: Int, format: AVPixelFormat) throws(MediaError) {
        try self.init()
        pointer.pointee.width = Int32(width)
        pointer.pointee.height = Int32(height)
        pointer.pointee.format = format.rawValue
        guard av_frame_get_buffer(pointer, 0) >= 0 else { throw .unavailable("memory for a \(width)x\(height) frame") }
    }

    deinit {
        var frame: UnsafeMutablePointer<AVFrame>? = pointer
        av_frame_free(&frame)
    }

    func unref() { av_frame_unref(pointer) }

    /// A new frame sharing this one's buffers (so writing to this one after `makeWritable` leaves it intact).
    func reference() throws(MediaError) -> Frame {
        let copy = try Frame()
        guard av_frame_ref(copy.pointer, pointer) >= 0 else { throw .unavailable("memory for a frame reference") }
        return copy
    }

    /// Makes the buffers safe to write (copies them if an encoder still holds a reference).
    func makeWritable() throws(MediaError) {
        guard av_frame_make_writable(pointer) >= 0 else { throw .unavailable("memory for a writable frame") }
    }

    var width: Int { Int(pointer.pointee.width) }
    var height: Int { Int(pointer.pointee.height) }

    func plane(_ index: Int) -> UnsafeMutablePointer<UInt8>? {
        withUnsafePointer(to: pointer.pointee.data) { tuple in
            tuple.withMemoryRebound(to: UnsafeMutablePointer<UInt8>?.self, capacity: 8) { $0[index] }
        }
    }

    func lineSize(_ index: Int) -> Int {
        withUnsafePointer(to: pointer.pointee.linesize) { tuple in
            tuple.withMemoryRebound(to: Int32.self, capacity: 8) { Int($0[index]) }
        }
    }
}
