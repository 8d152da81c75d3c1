import { positionSchema, problems, uuidParam, uuidSchema } from '../platform/common.schemas.js';
import { download, fileField } from '../platform/upload.schemas.js';

export const photoUploadForm = {
  required: ['file'],
  additionalProperties: false,
  properties: {
    file: fileField('JPEG, PNG or WebP'),
    caption: { type: 'string', maxLength: 500 },
  },
} as const;

export const addPhotoSchema = {
  tags: ['orders'],
  summary: 'Add a damage photo to an order whose goods are out or back (multipart: `file`, `caption?`)',
  description:
    "At most UPLOAD_MAX_BYTES (413 BODY_TOO_LARGE); JPEG, PNG or WebP as the bytes say (others 415 UNSUPPORTED_MEDIA_TYPE); re-encoded without EXIF or location data, stored encrypted under the order's customer's key. A return's `damages[].photoIds` may then name it. A reserved, confirmed or ended order takes none (409 ORDER_NOT_PHOTOGRAPHABLE).",
  params: uuidParam('id'),
  response: {
    201: {
      type: 'object',
      required: ['photoId', 'position'],
      properties: { photoId: { type: 'string' }, position: positionSchema },
    },
    ...problems(400, 404, 409, 413, 415),
  },
} as const;

export const photoContentSchema = {
  tags: ['orders'],
  summary: "A damage photo of an order (staff, admins, the order's customer)",
  params: {
    type: 'object',
    required: ['id', 'photoId'],
    additionalProperties: false,
    properties: { id: uuidSchema, photoId: uuidSchema },
  },
  response: { 200: download(['image/jpeg', 'image/png', 'image/webp']), ...problems(400, 404, 503) },
} as const;
