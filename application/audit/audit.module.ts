import { Module } from '@nestjs/common';
import { ReadStreamHistoryHandler, SearchEventsHandler } from './audit.queries.js';

@Module({ providers: [ReadStreamHistoryHandler, SearchEventsHandler] })
export class AuditModule {}
