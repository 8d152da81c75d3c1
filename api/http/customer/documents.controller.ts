import { Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { RouteConfig, RouteSchema } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UploadDocumentCommand } from '../../../application/customer/upload-document.command.js';
import { DocumentContentQuery, ListDocumentsQuery } from '../../../application/customer/upload.queries.js';
import { CUSTOMERS_READ_MODEL } from '../../../application/customer/customer.view.js';
import { UPLOADS_READ_MODEL } from '../../../application/customer/uploads.view.js';
import {
  DOCUMENT_TYPES,
  UPLOAD_INSPECTOR,
  type UploadInspector,
} from '../../../application/ports/upload-inspector.port.js';
import { DOCUMENT_KINDS, type DocumentKind } from '../../../domain/customer/customer.events.js';
import { actsAsCustomer } from '../platform/hooks/auth.hooks.js';
import { commandContext } from '../platform/http-context.js';
import { HttpError, HttpErrors } from '../platform/http.errors.js';
import { downloadHeaders, readUpload } from '../platform/multipart.js';
import {
  documentContentSchema,
  documentUploadForm,
  listDocumentsSchema,
  uploadDocumentSchema,
} from './documents.schemas.js';

const withCustomer = ['staff', 'admin', 'customer'] as const;
const ownerOf = (request: FastifyRequest): string | undefined =>
  actsAsCustomer(request.auth) ? (request.auth?.customerId ?? 'no-customer-record') : undefined;

/** Customers' identity documents: uploaded by staff or the customer, read by them, as files by id only. */
@Controller('v1')
export class DocumentsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(UPLOAD_INSPECTOR) private readonly inspector: UploadInspector,
  ) {}

  @Post('customers/:id/documents')
  @RouteConfig({ access: withCustomer, upload: documentUploadForm })
  @HttpCode(201)
  @RouteSchema(uploadDocumentSchema)
  async upload(@Param('id') id: string, @Req() request: FastifyRequest) {
    const { bytes, fields } = await readUpload(request, ['kind']);
    const kind = fields.kind as DocumentKind | undefined;
    if (!kind || !DOCUMENT_KINDS.includes(kind))
      throw new HttpError(HttpErrors.validationFailed, 'The upload is not valid', {
        errors: [{ field: 'kind', message: `must be one of ${DOCUMENT_KINDS.join(', ')}` }],
      });
    const inspected = await this.inspector.inspect(bytes, DOCUMENT_TYPES);
    if (!inspected.accepted)
      throw new HttpError(HttpErrors.unsupportedMediaType, 'A document is a JPEG, PNG, WebP or PDF file');
    const result = await this.commands.execute(
      new UploadDocumentCommand(
        id,
        { kind, contentType: inspected.contentType, bytes: inspected.bytes },
        commandContext(request),
        ownerOf(request),
      ),
    );
    return { documentId: result.documentId, position: String(result.position) };
  }

  @Get('customers/:id/documents')
  @RouteConfig({ access: withCustomer, readModels: [CUSTOMERS_READ_MODEL, UPLOADS_READ_MODEL] })
  @RouteSchema(listDocumentsSchema)
  list(@Param('id') id: string, @Req() request: FastifyRequest) {
    return this.queries.execute(new ListDocumentsQuery(id, ownerOf(request)));
  }

  @Get('documents/:id/content')
  @RouteConfig({ access: withCustomer, readModels: [UPLOADS_READ_MODEL] })
  @RouteSchema(documentContentSchema)
  async content(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const file = await this.queries.execute(new DocumentContentQuery(id, ownerOf(request)));
    return reply.headers(downloadHeaders(`document-${id}`, file.contentType)).send(file.bytes);
  }
}
