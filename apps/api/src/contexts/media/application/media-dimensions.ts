import { imageSize } from 'image-size';

/**
 * An image's width and height in pixels, read from its own header (PNG, JPEG, WebP, GIF…): the
 * provider's answer may differ from the size asked for. Null when the bytes are not an image it knows.
 */
export function imageDimensions(bytes: Buffer): { width: number; height: number } | null {
  try {
    const { width, height } = imageSize(bytes);
    return width > 0 && height > 0 ? { width, height } : null;
  } catch {
    return null;
  }
}
