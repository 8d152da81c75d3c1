export const AuditErrors = {
  checkpointStale: 'AUDIT_CHECKPOINT_STALE',
  exportRecorded: 'AUDIT_EXPORT_RECORDED',
} as const;
