/**
 * API specifications over the real app (after Emmett's ApiSpecification): given streams, when a
 * request, then the response and the events the request appended.
 *
 *   const res = await apiSpec(t)
 *     .given({ [`order-${orderId}`]: [orderPlaced(orderId, 'cust-1', productId)] })
 *     .when({ method: 'POST', url: `/v1/orders/${orderId}/payments`, headers: t.authAs(['staff']), payload })
 *     .then({
 *       status: 201,
 *       body: { status: 'authorized' },
 *       events: { only: /^payment-/, expect: [{ type: 'PaymentRequested' }, { type: 'PaymentAuthorized' }] },
 *     });
 *   // `res` is the response: assert more on it if need be.
 *
 * - `given(streams)`: `{ [streamId]: [{ type, data }, ...] }`, or `[]` for nothing. Each stream's
 *   domain events are appended in turn, through the event codec (`t.infra.events`, metadata from
 *   `newEvent`, expected revision 'any'); then it waits (bounded) until the app has settled on
 *   them: every projection's checkpoint (`t.projector.projections`) and every worker workflow's is
 *   at the log's head, the head read again on every poll, so what the workflows append in reaction
 *   is projected too. The request then sees read models that show the given events, without
 *   X-Min-Position.
 * - `when(request)`: `{ method, url, headers?, payload? }` for `t.app.inject`. Nothing runs before
 *   `then`.
 * - `then(expected)` runs the given, takes the log's head, sends the request and asserts:
 *   - `status`: the status code (a failure shows the body too);
 *   - `body`: `toMatchObject` on the JSON body (`toEqual` on the text, when it is not JSON);
 *   - `headers`: `toMatchObject` on the response headers;
 *   - `events`: the events appended after that head, in order, each `{ streamId?, type, data? }`
 *     (`streamId` a string or a RegExp; `data` by `toMatchObject`). The list must match whole: as
 *     many events as expected, no more. Before reading them it waits for the app to settle again,
 *     so whatever the worker's workflows append in reaction is in the list every time, never
 *     sometimes. Workflows and scheduled jobs may write to order and product streams, so
 *     `{ only: /^payment-/, expect: [...] }` considers only the streams the pattern matches;
 *     `events: []` says the request appended nothing at all (no stream).
 *   It answers the response.
 */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { eventually } from './eventually.js';
import { newEvent } from './fixtures.js';
import type { TestApp } from './test-app.js';

/** A domain event as the given streams hold it. */
export interface DomainEvent {
  type: string;
  data: unknown;
}

/** The given: events per stream id (appended in this order), or `[]` for none. */
export type GivenStreams = Record<string, DomainEvent[]> | [];

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  payload?: InjectOptions['payload'];
}

/** One appended event: its type, and if given its stream (exact or pattern) and data (`toMatchObject`). */
export interface ExpectedEvent {
  streamId?: string | RegExp;
  type: string;
  data?: object;
}

/** Every appended event, or only those on streams matching `only`. */
export type ExpectedEvents = ExpectedEvent[] | { only: RegExp; expect: ExpectedEvent[] };

export interface ApiExpectation {
  status: number;
  body?: unknown;
  headers?: Record<string, unknown>;
  events?: ExpectedEvents;
}

export interface ApiSpecOptions {
  /** How long `given` (and `then`, before reading events) waits for projections and workflows. */
  settleTimeoutMs?: number;
}

export function apiSpec(t: TestApp, options: ApiSpecOptions = {}) {
  const settleTimeoutMs = options.settleTimeoutMs ?? 10_000;
  return {
    given(streams: GivenStreams) {
      return {
        when(request: ApiRequest) {
          return {
            async then(expected: ApiExpectation): Promise<LightMyRequestResponse> {
              await append(t, streams);
              await settle(t, settleTimeoutMs);
              const before = await t.infra.events.headPosition();
              const res = await t.app.inject({
                method: request.method,
                url: request.url,
                headers: request.headers,
                payload: request.payload,
              });
              const body = bodyOf(res);
              if (res.statusCode !== expected.status)
                throw new Error(
                  `${request.method} ${request.url}: expected status ${expected.status}, got ${res.statusCode}:\n${res.body}`,
                );
              if (typeof expected.body === 'object' && expected.body !== null)
                expect(body).toMatchObject(expected.body);
              else if (expected.body !== undefined) expect(body).toEqual(expected.body);
              if (expected.headers !== undefined) expect(res.headers).toMatchObject(expected.headers);
              if (expected.events !== undefined) {
                await settle(t, settleTimeoutMs);
                const { only, expect: wanted } = Array.isArray(expected.events)
                  ? { only: undefined, expect: expected.events }
                  : expected.events;
                const appended = (await t.infra.events.readAll({ after: before }))
                  .filter((e) => only === undefined || new RegExp(only.source, only.flags).test(e.streamId))
                  .map((e) => ({ streamId: e.streamId, type: e.type, data: e.data }));
                expect(appended).toMatchObject(wanted.map(matcherOf));
              }
              return res;
            },
          };
        },
      };
    },
  };
}

async function append(t: TestApp, streams: GivenStreams): Promise<void> {
  for (const [streamId, events] of Object.entries(streams)) {
    if (events.length > 0)
      await t.infra.events.append(
        streamId,
        events.map((e) => newEvent(e)),
        'any',
      );
  }
}

/** Until every projection and workflow checkpoint is at the head of the log (read again on each poll). */
async function settle(t: TestApp, timeoutMs: number): Promise<void> {
  const names = [...t.projector.projections.map((p) => p.name), ...t.worker.workflows.map((w) => w.checkpoint)];
  await eventually(
    async () => {
      const head = await t.infra.events.headPosition();
      const behind: Record<string, string> = {};
      for (const name of names) {
        const checkpoint = await t.infra.store.getCheckpoint(name);
        if (head > 0n && (checkpoint === null || checkpoint < head)) behind[name] = String(checkpoint);
      }
      return { head: String(head), behind };
    },
    ({ behind }) => Object.keys(behind).length === 0,
    timeoutMs,
  );
}

function bodyOf(res: LightMyRequestResponse): unknown {
  if (res.body === '') return undefined;
  try {
    return JSON.parse(res.body) as unknown;
  } catch {
    return res.body;
  }
}

function matcherOf(event: ExpectedEvent): Record<string, unknown> {
  return {
    type: event.type,
    ...(event.streamId === undefined
      ? {}
      : { streamId: typeof event.streamId === 'string' ? event.streamId : expect.stringMatching(event.streamId) }),
    ...(event.data === undefined ? {} : { data: event.data }),
  };
}
