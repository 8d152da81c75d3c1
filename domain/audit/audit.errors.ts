export const AuditErrors = {
  checkpointStale: 'AUDIT_CHECKPOINT_STALE',
} as const;
