import Foundation

/// The camera's path over a canvas: a rectangle (in canvas pixels, fractional) for each frame.
struct KenBurnsPath {
    struct Rect: Equatable { var x: Double, y: Double, width: Double, height: Double }

    let canvasWidth: Double, canvasHeight: Double
    let zoomsIn: Bool
    private let startZoom: Double, endZoom: Double
    private let startCenter: (x: Double, y: Double), endCenter: (x: Double, y: Double)

    /// A path over a canvas `zoom` times the output size; the seed picks zoom in/out and the pan angle.
    init(canvasWidth: Double, canvasHeight: Double, zoom: Double, seed: UInt64) {
        self.canvasWidth = canvasWidth
        self.canvasHeight = canvasHeight
        var random = SplitMix64(seed: seed)
        zoomsIn = random.next() & 1 == 0
        let angle = Double(random.next() >> 11) / Double(1 << 53) * 2 * Double.pi
        // At full zoom the view can move (canvas - canvas/zoom)/2 from the centre; use 90 % of that.
        let reachX = (canvasWidth - canvasWidth / zoom) / 2 * 0.9
        let reachY = (canvasHeight - canvasHeight / zoom) / 2 * 0.9
        let centre = (x: canvasWidth / 2, y: canvasHeight / 2)
        let offCentre = (x: centre.x + cos(angle) * reachX, y: centre.y + sin(angle) * reachY)
        if zoomsIn {
            (startZoom, endZoom, startCenter, endCenter) = (1, zoom, centre, offCentre)
        } else {
            (startZoom, endZoom, startCenter, endCenter) = (zoom, 1, offCentre, centre)
        }
    }

    /// The view at `progress` 0...1, eased so the motion starts and ends gently; never snapped to whole pixels.
    func rect(at progress: Double) -> Rect {
        let eased = 0.5 - 0.5 * cos(Double.pi * min(max(progress, 0), 1))
        let zoom = startZoom * pow(endZoom / startZoom, eased)  // geometric: constant perceived zoom speed
        let width = canvasWidth / zoom
        let height = canvasHeight / zoom
        let cx = startCenter.x + (endCenter.x - startCenter.x) * eased
        let cy = startCenter.y + (endCenter.y - startCenter.y) * eased
        let x = min(max(cx - width / 2, 0), canvasWidth - width)
        let y = min(max(cy - height / 2, 0), canvasHeight - height)
        return Rect(x: x, y: y, width: width, height: height)
    }
}
