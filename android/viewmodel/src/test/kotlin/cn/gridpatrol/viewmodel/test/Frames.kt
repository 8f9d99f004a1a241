package cn.gridpatrol.viewmodel.test

import java.awt.image.BufferedImage
import java.io.ByteArrayInputStream
import javax.imageio.ImageIO

/** A camera's Y plane: [rowStride] bytes per row, of which the first [width] are pixels. */
class LumaFrame(val bytes: ByteArray, val width: Int, val height: Int, val rowStride: Int)

/**
 * Turns a PNG into the luma plane a phone camera delivers: each row padded to a stride wider
 * than the image, with junk (a checkerboard of 0 and 255) in the padding, and a quiet border of
 * white around the code as on a printed sheet seen through the viewfinder.
 */
fun paddedLumaFrame(png: ByteArray, border: Int, pad: Int): LumaFrame {
    val image: BufferedImage = ImageIO.read(ByteArrayInputStream(png)) ?: error("not an image")
    val width = image.width + 2 * border
    val height = image.height + 2 * border
    val stride = width + pad
    val bytes = ByteArray(stride * height)
    for (y in 0 until height) {
        for (x in 0 until stride) {
            val inImage = x in border until border + image.width && y in border until border + image.height
            val value = when {
                x >= width -> if ((x + y) % 2 == 0) 0 else 255
                inImage -> luma(image.getRGB(x - border, y - border))
                else -> 255
            }
            bytes[y * stride + x] = value.toByte()
        }
    }
    return LumaFrame(bytes, width, height, stride)
}

private fun luma(argb: Int): Int {
    val r = (argb shr 16) and 0xff
    val g = (argb shr 8) and 0xff
    val b = argb and 0xff
    return (299 * r + 587 * g + 114 * b) / 1000
}
