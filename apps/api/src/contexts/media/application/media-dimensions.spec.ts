import { imageDimensions } from './media-dimensions';

// A 3 × 2 PNG (its IHDR says so), a baseline JPEG header of 640 × 480 and bytes that are no image.
const PNG_3X2 = Buffer.from('89504e470d0a1a0a0000000d494844520000000300000002080600000000000000', 'hex');
const JPEG_640X480 = Buffer.from('ffd8ffe000104a46494600010100000100010000ffc000110801e002800301220002110103110100ffd9', 'hex');

describe('imageDimensions', () => {
  it('reads width and height from the image’s own header', () => {
    expect(imageDimensions(PNG_3X2)).toEqual({ width: 3, height: 2 });
    expect(imageDimensions(JPEG_640X480)).toEqual({ width: 640, height: 480 });
  });

  it('answers null for bytes it cannot read as an image (a video, garbage, nothing)', () => {
    expect(imageDimensions(Buffer.from('000000186674797069736f6d0000020069736f6d69736f32', 'hex'))).toBeNull();
    expect(imageDimensions(Buffer.from('not an image'))).toBeNull();
    expect(imageDimensions(Buffer.alloc(0))).toBeNull();
  });
});
