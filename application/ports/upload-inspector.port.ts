/**
 * What an uploaded file is, judged from its bytes alone (never its name or its Content-Type header),
 * and the file as it may be kept: images are decoded and encoded again, so that no EXIF, GPS or other
 * metadata (and nothing appended to the image) survives.
 */
export const UPLOAD_INSPECTOR = Symbol('UploadInspector');

export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export const DOCUMENT_TYPES = [...IMAGE_TYPES, 'application/pdf'] as const;
export type UploadType = (typeof DOCUMENT_TYPES)[number];

export type Inspected =
  | { accepted: true; contentType: UploadType; bytes: Buffer }
  /** Not one of the allowed types (`detected`: what the bytes look like, when known), or an image that does not decode. */
  | { accepted: false; detected: string | null };

export interface UploadInspector {
  inspect(bytes: Buffer, allowed: readonly UploadType[]): Promise<Inspected>;
}
