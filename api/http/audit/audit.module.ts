import { Module } from '@nestjs/common';
import { ReadStreamHistoryHandler, SearchEventsHandler } from '../../../application/audit/audit.queries.js';
import { AuditController } from './audit.controller.js';

@Module({ controllers: [AuditController], providers: [ReadStreamHistoryHandler, SearchEventsHandler] })
export class AuditModule {}
