/**
 * Which fields of an event are personal data, declared once per event type next to the event types
 * (`<area>.personal-data.ts`), collected in domain/personal-data.ts. The event codec encrypts the
 * `personal` fields under the data subject's key; erasure destroys that key. A test reads the event
 * types themselves and fails when a string field of any event is declared neither `personal` nor
 * `plain`.
 *
 * Paths are dotted, `[]` stepping into every element of an array: `fulfilment.address`,
 * `damages[].description`.
 */
export interface PersonalFields<D = unknown> {
  /** The data subject whose key encrypts the personal fields (`customer:<id>`, `user:<id>`); null: none. */
  subject: (data: D, streamId: string) => string | null;
  personal: readonly string[];
  /** String fields that are not personal data (ids, codes, timestamps, product facts), said so on purpose. */
  plain: readonly string[];
}

/** A declaration for every event type of a union (a missing type does not compile). */
export type PersonalDataOf<E extends { type: string; data: unknown }> = {
  [T in E['type']]: PersonalFields<Extract<E, { type: T }>['data']>;
};

/** An event type with no personal data at all: every string field named as plain. */
export const noPersonalData = <D>(...plain: string[]): PersonalFields<D> => ({
  subject: () => null,
  personal: [],
  plain,
});

export const customerSubject = (customerId: string): string => `customer:${customerId}`;
export const userSubject = (userId: string): string => `user:${userId}`;
/** The failed sign-ins of one email nobody has (its stream is keyed by the email's keyed hash). */
export const signInSubject = (streamId: string): string => `signin:${streamId.slice(streamId.indexOf('-') + 1)}`;
/** Where an API key was used from (ApiKeyUsed): the key's own subject, from its stream `apikey-<id>`. */
export const apiKeyUseSubject = (streamId: string): string => `apikey:${streamId.slice(streamId.indexOf('-') + 1)}`;

/** What a personal field reads as once its subject was erased (its key destroyed). */
export const ERASED = '[erased]';
