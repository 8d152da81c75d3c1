import type { Decider } from '../shared/decider.js';
import { DomainError, assertNever } from '../shared/domain-error.js';
import { AuditErrors } from './audit.errors.js';
import type { ExportCommand } from './export.commands.js';
import { exportStream, type ExportEvent } from './export.events.js';

export type ExportState = { status: 'none' } | { status: 'recorded' };

function decide(command: ExportCommand, state: ExportState): ExportEvent[] {
  if (command.type !== 'RecordExport') return assertNever(command.type, 'export command');
  if (state.status !== 'none') throw new DomainError(AuditErrors.exportRecorded, 'This export is recorded already');
  return [{ type: 'AuditExported', data: command.data }];
}

function evolve(_state: ExportState, event: ExportEvent): ExportState {
  if (event.type !== 'AuditExported') return assertNever(event.type, 'export event');
  return { status: 'recorded' };
}

/** One export of the log, recorded once in a stream of its own. */
export const exportDecider: Decider<ExportCommand, ExportEvent, ExportState> = {
  streamOf: exportStream,
  initialState: () => ({ status: 'none' }),
  evolve,
  decide,
};
