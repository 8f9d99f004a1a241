// Turns a PNG into the luma plane a phone camera delivers: each row padded to a stride wider
// than the image, with junk (a checkerboard of 0 and 255) in the padding, and a quiet border of
// white around the code as on a printed sheet seen through the viewfinder.

import CoreGraphics
import Foundation
import ImageIO

/// A camera's Y plane: `rowStride` bytes per row, of which the first `width` are pixels.
struct LumaFrame {
    let bytes: Data
    let width: Int
    let height: Int
    let rowStride: Int
}

func paddedLumaFrame(_ png: Data, border: Int, pad: Int) throws -> LumaFrame {
    guard let source = CGImageSourceCreateWithData(png as CFData, nil),
          let image = CGImageSourceCreateImageAtIndex(source, 0, nil) else {
        throw NSError(domain: "Frames", code: 1, userInfo: [NSLocalizedDescriptionKey: "not an image"])
    }
    // Draw the code into an 8-bit gray bitmap: that is its luma.
    var gray = [UInt8](repeating: 255, count: image.width * image.height)
    let drawn = gray.withUnsafeMutableBytes { buffer -> Bool in
        guard let context = CGContext(
            data: buffer.baseAddress, width: image.width, height: image.height, bitsPerComponent: 8,
            bytesPerRow: image.width, space: CGColorSpaceCreateDeviceGray(), bitmapInfo: CGImageAlphaInfo.none.rawValue
        ) else { return false }
        context.draw(image, in: CGRect(x: 0, y: 0, width: image.width, height: image.height))
        return true
    }
    guard drawn else { throw NSError(domain: "Frames", code: 2, userInfo: [NSLocalizedDescriptionKey: "no gray context"]) }

    let width = image.width + 2 * border
    let height = image.height + 2 * border
    let stride = width + pad
    var bytes = [UInt8](repeating: 255, count: stride * height)
    for y in 0..<height {
        for x in 0..<stride {
            let index = y * stride + x
            if x >= width {
                bytes[index] = (x + y) % 2 == 0 ? 0 : 255
            } else if (border..<border + image.width).contains(x) && (border..<border + image.height).contains(y) {
                bytes[index] = gray[(y - border) * image.width + (x - border)]
            }
        }
    }
    return LumaFrame(bytes: Data(bytes), width: width, height: height, rowStride: stride)
}
