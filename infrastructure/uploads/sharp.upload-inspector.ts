import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import type { Inspected, UploadInspector, UploadType } from '../../application/ports/upload-inspector.port.js';

/** Larger images are refused rather than decoded (a decompression bomb): 50 megapixels. */
const MAX_PIXELS = 50_000_000;

/**
 * `file-type` names the type from the magic bytes; `sharp` (libvips) decodes an image and encodes it
 * again in the same format, auto-rotated by its orientation tag and with no metadata kept (sharp keeps
 * none unless asked), so EXIF, GPS, XMP, ICC comments and trailing bytes are gone. A PDF is kept as it
 * is (it starts with `%PDF-`, which is what file-type checks).
 */
export class SharpUploadInspector implements UploadInspector {
  async inspect(bytes: Buffer, allowed: readonly UploadType[]): Promise<Inspected> {
    const detected = (await fileTypeFromBuffer(bytes))?.mime ?? null;
    const type = allowed.find((t) => t === detected);
    if (!type) return { accepted: false, detected };
    if (type === 'application/pdf') return { accepted: true, contentType: type, bytes };
    try {
      const image = sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn: 'error' }).rotate();
      const encoded =
        type === 'image/jpeg'
          ? image.jpeg({ quality: 90 })
          : type === 'image/png'
            ? image.png()
            : image.webp({ quality: 90 });
      return { accepted: true, contentType: type, bytes: await encoded.toBuffer() };
    } catch {
      return { accepted: false, detected };
    }
  }
}
