import type { AuditExported } from './export.events.js';

export type ExportCommand = { type: 'RecordExport'; data: AuditExported['data'] };
