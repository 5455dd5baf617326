import type { CaseEvent, CaseEventType, StepTimeoutKind } from './events';

/*
 * Upcasting (Greg Young's "Versioning in an Event Sourced System", ch. 7): an event type whose
 * shape changes gets a new version; events stored in an older shape are rewritten to today's
 * when read, by every reader (the event store's readers in the orchestrator, the projector,
 * replay), so a case recorded a year ago folds under today's code. Stored events are never
 * changed (the events table is append-only). The version an event was written at travels in the
 * event's metadata (`eventVersion`, absent = 1).
 */

/**
 * An event as a store keeps it: its type, its JSON data, and the version its data was written at,
 * given as `version` or read from the event's `metadata.eventVersion` (absent = 1).
 */
export interface StoredCaseEvent {
  readonly type: string;
  readonly data: unknown;
  readonly version?: number;
  readonly metadata?: { readonly [key: string]: unknown };
}

/** The metadata key the version of an event's data is stored under (`events.metadata`). */
export const EVENT_VERSION_KEY = 'eventVersion';

/** The metadata an event of `type` is written with to record its version: `{ eventVersion }` above version 1, else nothing. */
export function versionMetadata(type: string): { eventVersion?: number } {
  const v = eventVersion(type);
  return v > 1 ? { [EVENT_VERSION_KEY]: v } : {};
}

/** One step up: the data of `type` at version `from`, rewritten to version `from + 1`. */
export interface Upcaster {
  readonly type: CaseEventType;
  readonly from: number;
  /** Pure; must also accept data already of the newer shape (events written before the version was recorded). */
  readonly up: (data: Record<string, unknown>) => Record<string, unknown>;
}

/**
 * StepTimedOut v1 → v2: `timeout` names which timeout passed. Version 1 said so only in the
 * error's message, which the engine wrote itself (`... sent no heartbeat within its heartbeat
 * timeout ...` for a silent attempt), so the kind is read back from it.
 */
const stepTimedOutV2: Upcaster = {
  type: 'StepTimedOut',
  from: 1,
  up: (data) => {
    if (typeof data.timeout === 'string') return data;
    const message = String((data.error as { message?: unknown } | undefined)?.message ?? '');
    const timeout: StepTimeoutKind = /heartbeat timeout/.test(message) ? 'heartbeat' : 'schedule-to-close';
    return { ...data, timeout };
  },
};

/** Every upcaster, in the order they apply. */
export const UPCASTERS: readonly Upcaster[] = Object.freeze([stepTimedOutV2]);

/** The version each event type is written at today (a type not listed is at version 1). */
export const EVENT_VERSIONS: Readonly<Partial<Record<CaseEventType, number>>> = Object.freeze(
  UPCASTERS.reduce<Partial<Record<CaseEventType, number>>>((v, u) => ({ ...v, [u.type]: Math.max(v[u.type] ?? 1, u.from + 1) }), {}),
);

/** The version `type` is written at today: 1 unless an upcaster raised it. */
export function eventVersion(type: string): number {
  return EVENT_VERSIONS[type as CaseEventType] ?? 1;
}

/**
 * Reads a stored event as today's shape: applies every upcaster of its type from its stored
 * version up to {@link eventVersion}. An event already at today's version comes back as it is.
 * @throws {Error} when the stored version is newer than this code knows (an event written by a
 *   newer release: reading it with older code would lose fields)
 */
export function upcast(stored: StoredCaseEvent): CaseEvent {
  const current = eventVersion(stored.type);
  const recorded = stored.version ?? stored.metadata?.[EVENT_VERSION_KEY];
  let version = typeof recorded === 'number' && Number.isInteger(recorded) && recorded >= 1 ? recorded : 1;
  if (version > current) {
    throw new Error(`event ${stored.type} is at version ${version}, newer than this code reads (${current}): upgrade before reading it`);
  }
  let data = stored.data as Record<string, unknown>;
  while (version < current) {
    const step = UPCASTERS.find((u) => u.type === stored.type && u.from === version);
    if (step) data = step.up(data);
    version += 1;
  }
  return { type: stored.type, data } as CaseEvent;
}
