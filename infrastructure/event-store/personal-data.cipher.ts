/**
 * The event codec's encryption step (composed into event-codec.ts): on write, before anything else
 * sees the event, every personal field its type declares (domain/personal-data.ts) is sealed under
 * its data subject's key from the key vault, with a fresh nonce per field and the event id and field
 * path as associated data; on read, the fields are opened again, or read as `[erased]` once the
 * subject's key was destroyed. What the event store (and any hash over stored events) sees is the
 * ciphertext.
 */
import type { NewEvent, RecordedEvent } from '../../application/ports/event-store.port.js';
import type { KeyVault } from '../../application/ports/key-vault.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import { ERASED, type PersonalFields } from '../../domain/shared/personal-data.js';
import {
  envelopeSubject,
  isEnvelope,
  mapPath,
  open,
  visitPath,
  PersonalDataUnreadableError,
  seal,
} from '../privacy/field-cipher.js';

/** What an unreadable field (a changed bit) reads as on a subscription, so the projections go on. */
export const UNREADABLE = '[unreadable]';

export interface EventCipher {
  encrypt(streamId: string, events: NewEvent[]): Promise<NewEvent[]>;
  /** `throw`: an unreadable field is a PersonalDataUnreadableError; `mark`: it reads as `[unreadable]` (logged). */
  decrypt(events: RecordedEvent[], onUnreadable: 'throw' | 'mark'): Promise<RecordedEvent[]>;
}

/** No encryption (tests of the codec alone). */
export const noEncryption: EventCipher = {
  encrypt: async (_streamId, events) => events,
  decrypt: async (events) => events,
};

const contextOf = (eventId: string, at: string) => `event\0${eventId}\0${at}`;

export class PersonalDataCipher implements EventCipher {
  constructor(
    private readonly declarations: Readonly<Record<string, PersonalFields<never> | undefined>>,
    private readonly vault: KeyVault,
    private readonly logger?: Logger,
  ) {}

  async encrypt(streamId: string, events: NewEvent[]): Promise<NewEvent[]> {
    const out: NewEvent[] = [];
    for (const event of events) {
      const declared = this.declarations[event.type];
      if (!declared || declared.personal.length === 0) {
        out.push(event);
        continue;
      }
      let data: unknown = event.data;
      const present: string[] = [];
      for (const path of declared.personal)
        visitPath(data, path, (value, at) => value !== null && value !== undefined && present.push(at));
      if (present.length === 0) {
        out.push(event);
        continue;
      }
      const subject = (declared.subject as (d: unknown, s: string) => string | null)(event.data, streamId);
      if (!subject) throw new Error(`${event.type} holds personal data but names no data subject`);
      const key = await this.vault.key(subject);
      for (const path of declared.personal) {
        data = mapPath(data, path, (value, at) => {
          if (value === null || value === undefined) return value;
          // A subject erased before this event: its personal data is not recorded at all.
          return key.status === 'active' ? seal(key.key, subject, contextOf(event.id, at), value) : ERASED;
        });
      }
      out.push({ ...event, data });
    }
    return out;
  }

  async decrypt(events: RecordedEvent[], onUnreadable: 'throw' | 'mark'): Promise<RecordedEvent[]> {
    const out: RecordedEvent[] = [];
    for (const event of events) {
      const declared = this.declarations[event.type];
      if (!declared || declared.personal.length === 0) {
        out.push(event);
        continue;
      }
      const sealed: Array<{ at: string; subject: string }> = [];
      for (const path of declared.personal)
        visitPath(event.data, path, (value, at) => {
          const subject = isEnvelope(value) ? envelopeSubject(value) : null;
          if (subject) sealed.push({ at, subject });
        });
      if (sealed.length === 0) {
        out.push(event); // written before encryption, or erased when written
        continue;
      }
      const keys = new Map<string, Buffer | null>();
      for (const { subject } of sealed) {
        if (keys.has(subject)) continue;
        const found = await this.vault.peek(subject);
        keys.set(subject, found.status === 'active' ? found.key : null);
      }
      let data: unknown = event.data;
      for (const path of declared.personal) {
        data = mapPath(data, path, (value, at) => {
          if (!isEnvelope(value)) return value;
          const key = keys.get(envelopeSubject(value) ?? '');
          if (!key) return ERASED;
          try {
            return open(key, contextOf(event.id, at), value);
          } catch (error) {
            if (onUnreadable === 'throw' || !(error instanceof PersonalDataUnreadableError)) throw error;
            this.logger?.error('personal data failed its integrity check', {
              eventId: event.id,
              streamId: event.streamId,
              field: at,
            });
            return UNREADABLE;
          }
        });
      }
      out.push({ ...event, data });
    }
    return out;
  }
}
