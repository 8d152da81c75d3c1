import { Module } from '@nestjs/common';
import { GetCustomerHandler, ListCustomersHandler } from './customer.queries.js';
import { RegisterCustomerHandler } from './register-customer.handler.js';
import { UpdateCustomerHandler } from './update-customer.handler.js';
import { UploadDocumentHandler } from './upload-document.handler.js';
import { DocumentContentHandler, ListDocumentsHandler, PhotoContentHandler } from './upload.queries.js';

@Module({
  providers: [
    RegisterCustomerHandler,
    UpdateCustomerHandler,
    GetCustomerHandler,
    ListCustomersHandler,
    UploadDocumentHandler,
    ListDocumentsHandler,
    DocumentContentHandler,
    PhotoContentHandler,
  ],
})
export class CustomerModule {}
