import { Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { RouteConfig, RouteSchema } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PhotoContentQuery } from '../../../application/customer/upload.queries.js';
import { UPLOADS_READ_MODEL } from '../../../application/customer/uploads.view.js';
import { AddDamagePhotoCommand } from '../../../application/order/add-damage-photo.command.js';
import {
  IMAGE_TYPES,
  UPLOAD_INSPECTOR,
  type UploadInspector,
} from '../../../application/ports/upload-inspector.port.js';
import { actsAsCustomer } from '../platform/hooks/auth.hooks.js';
import { commandContext } from '../platform/http-context.js';
import { HttpError, HttpErrors } from '../platform/http.errors.js';
import { downloadHeaders, readUpload } from '../platform/multipart.js';
import { addPhotoSchema, photoContentSchema, photoUploadForm } from './photos.schemas.js';

/** Damage photos of an order: taken by staff, seen by staff and the order's customer. */
@Controller('v1/orders')
export class PhotosController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(UPLOAD_INSPECTOR) private readonly inspector: UploadInspector,
  ) {}

  @Post(':id/photos')
  @RouteConfig({ access: ['staff', 'admin'] as const, upload: photoUploadForm })
  @HttpCode(201)
  @RouteSchema(addPhotoSchema)
  async add(@Param('id') id: string, @Req() request: FastifyRequest) {
    const { bytes, fields } = await readUpload(request, ['caption']);
    if ((fields.caption?.length ?? 0) > 500)
      throw new HttpError(HttpErrors.validationFailed, 'The upload is not valid', {
        errors: [{ field: 'caption', message: 'must be at most 500 characters' }],
      });
    const inspected = await this.inspector.inspect(bytes, IMAGE_TYPES);
    if (!inspected.accepted)
      throw new HttpError(HttpErrors.unsupportedMediaType, 'A photo is a JPEG, PNG or WebP image');
    const result = await this.commands.execute(
      new AddDamagePhotoCommand(
        id,
        { contentType: inspected.contentType, bytes: inspected.bytes, caption: fields.caption ?? null },
        commandContext(request),
      ),
    );
    return { photoId: result.photoId, position: String(result.position) };
  }

  @Get(':id/photos/:photoId')
  @RouteConfig({ access: ['staff', 'admin', 'customer'] as const, readModels: [UPLOADS_READ_MODEL] })
  @RouteSchema(photoContentSchema)
  async content(
    @Param('id') id: string,
    @Param('photoId') photoId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const owner = actsAsCustomer(request.auth) ? (request.auth?.customerId ?? 'no-customer-record') : undefined;
    const file = await this.queries.execute(new PhotoContentQuery(id, photoId, owner));
    return reply.headers(downloadHeaders(`photo-${photoId}`, file.contentType)).send(file.bytes);
  }
}
