import type { FastifyRequest } from 'fastify';
import type {} from '@fastify/multipart'; // its request decorations (isMultipart, parts)
import { HttpError, HttpErrors } from './http.errors.js';

/**
 * The limits of every upload (one file a request, a few short fields), given to @fastify/multipart
 * when the app starts: a file over `fileSize` stops being read at that byte and is a 413.
 */
export const uploadLimits = (maxBytes: number) => ({
  fileSize: maxBytes,
  files: 1,
  fields: 2,
  fieldSize: 2048,
  parts: 3,
  headerPairs: 20,
});

export interface Upload {
  /** The bytes of the one part named `file` (its file name and Content-Type are never used). */
  bytes: Buffer;
  fields: Record<string, string>;
}

/** @fastify/multipart's errors, as problems. */
const LIMIT_ERRORS: Record<string, [code: HttpError['code'], detail: string]> = {
  FST_REQ_FILE_TOO_LARGE: [HttpErrors.bodyTooLarge, 'The file is larger than UPLOAD_MAX_BYTES allows'],
  FST_FILES_LIMIT: [HttpErrors.uploadInvalid, 'One file a request'],
  FST_FIELDS_LIMIT: [HttpErrors.uploadInvalid, 'Too many fields'],
  FST_PARTS_LIMIT: [HttpErrors.uploadInvalid, 'Too many parts'],
  FST_PROTO_VIOLATION: [HttpErrors.uploadInvalid, 'A field name is not allowed'],
  FST_MP_PREMATURE_CLOSE: [HttpErrors.uploadInvalid, 'The upload ended before its last part'],
  FST_INVALID_MULTIPART_CONTENT_TYPE: [HttpErrors.unsupportedMediaType, 'Send multipart/form-data'],
};

/**
 * Reads a `multipart/form-data` upload: exactly one file part named `file` and at most the named text
 * fields, each once. Anything else is a problem: no multipart (415), a file over the limit (413), a
 * second file, an unknown or repeated field, a truncated field, no file or an empty one (400).
 */
export async function readUpload(request: FastifyRequest, fieldNames: readonly string[]): Promise<Upload> {
  if (!request.isMultipart())
    throw new HttpError(HttpErrors.unsupportedMediaType, 'Send the file as multipart/form-data');
  let bytes: Buffer | undefined;
  const fields: Record<string, string> = {};
  const invalid = (detail: string, field: string) =>
    new HttpError(HttpErrors.uploadInvalid, detail, { errors: [{ field, message: detail }] });
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') throw invalid('The file goes in the part named `file`', part.fieldname);
        if (bytes) throw invalid('One file a request', 'file');
        bytes = await part.toBuffer();
      } else {
        if (!fieldNames.includes(part.fieldname) || part.fieldname in fields)
          throw invalid('Not a field of this upload, or given twice', part.fieldname);
        if (part.valueTruncated) throw invalid('The field is too long', part.fieldname);
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (error) {
    const mapped = LIMIT_ERRORS[(error as { code?: string }).code ?? ''];
    if (mapped) throw new HttpError(mapped[0], mapped[1]);
    throw error;
  }
  if (!bytes) throw invalid('No file: send it in the part named `file`', 'file');
  if (bytes.length === 0) throw new HttpError(HttpErrors.uploadEmpty, 'The file is empty');
  return { bytes, fields };
}

/** The file as a download: never shown inline, never sniffed into another type. */
export const downloadHeaders = (name: string, contentType: string): Record<string, string> => ({
  'content-type': contentType,
  'content-disposition': `attachment; filename="${name}.${EXTENSIONS[contentType] ?? 'bin'}"`,
  'x-content-type-options': 'nosniff',
});

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
};
