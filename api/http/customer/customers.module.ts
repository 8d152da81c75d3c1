import { Module } from '@nestjs/common';
import { CustomersController } from './customers.controller.js';
import { DocumentsController } from './documents.controller.js';

@Module({ controllers: [CustomersController, DocumentsController] })
export class CustomersHttpModule {}
