import { positionSchema, problems, uuidParam } from '../platform/common.schemas.js';
import { download, fileField } from '../platform/upload.schemas.js';
import { DOCUMENT_KINDS } from '../../../domain/customer/customer.events.js';

/** The form of a document upload (documented as the multipart body; readUpload reads it). */
export const documentUploadForm = {
  required: ['file', 'kind'],
  additionalProperties: false,
  properties: {
    file: fileField('JPEG, PNG, WebP or PDF'),
    kind: { type: 'string', enum: [...DOCUMENT_KINDS] },
  },
} as const;

export const uploadDocumentSchema = {
  tags: ['customers'],
  summary: "Upload one of a customer's identity documents (multipart: `file` and `kind`)",
  description:
    "At most UPLOAD_MAX_BYTES (413 BODY_TOO_LARGE); JPEG, PNG, WebP or PDF as the bytes say (others 415 UNSUPPORTED_MEDIA_TYPE); an empty file is a 400 UPLOAD_EMPTY, a second file or an unknown field a 400 UPLOAD_INVALID. Images are re-encoded without EXIF or location data; the file is stored encrypted under the customer's key and deleted by its erasure. A customer uploads to its own record only (any other is a 404).",
  params: uuidParam('id'),
  response: {
    201: {
      type: 'object',
      required: ['documentId', 'position'],
      properties: { documentId: { type: 'string' }, position: positionSchema },
    },
    ...problems(400, 404, 413, 415),
  },
} as const;

const documentEntry = {
  type: 'object',
  required: ['documentId', 'kind', 'contentType', 'size', 'uploadedAt'],
  properties: {
    documentId: { type: 'string' },
    kind: { type: 'string', enum: [...DOCUMENT_KINDS] },
    contentType: { type: 'string' },
    size: { type: 'integer', description: 'Bytes, as stored (an image after re-encoding)' },
    uploadedAt: { type: 'string', format: 'date-time' },
  },
} as const;

export const listDocumentsSchema = {
  tags: ['customers'],
  summary: "A customer's identity documents (metadata), oldest first",
  params: uuidParam('id'),
  response: {
    200: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: documentEntry } } },
    ...problems(400, 404, 503),
  },
} as const;

export const documentContentSchema = {
  tags: ['customers'],
  summary: 'Download a document (its customer, staff, admins)',
  params: uuidParam('id'),
  response: {
    200: download(['image/jpeg', 'image/png', 'image/webp', 'application/pdf']),
    ...problems(400, 404, 503),
  },
} as const;
