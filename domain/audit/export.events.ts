import { eventTypes } from '../shared/decider.js';

/** An auditor (or the CLI) took a range of the log out: who, when, from where, what (a security event). */
export interface AuditExported {
  type: 'AuditExported';
  data: {
    exportId: string;
    format: 'ndjson';
    criteria: { fromPosition?: string; toPosition?: string; type?: string; since?: string; until?: string };
    ipAddress: string | null;
    userAgent: string | null;
    exportedAt: string;
  };
}

export type ExportEvent = AuditExported;

export const exportEventTypes = eventTypes<ExportEvent['type']>({ AuditExported: true });

export const exportStream = (exportId: string): string => `auditexport-${exportId}`;
