import { InvalidProjectionQuery } from '../errors';

/** Where a page of cases ended: the last case's `(started_at, case_id)`. @internal */
export interface CaseCursor {
  startedAt: string;
  caseId: string;
}

/** An opaque base64url cursor for {@link CaseCursor}. @internal */
export function encodeCursor(c: CaseCursor): string {
  return Buffer.from(JSON.stringify([c.startedAt, c.caseId]), 'utf8').toString('base64url');
}

/**
 * Reads a cursor made by {@link encodeCursor}.
 * @throws InvalidProjectionQuery (`cursor`) for anything else.
 * @internal
 */
export function decodeCursor(cursor: string): CaseCursor {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== 'string' || typeof value[1] !== 'string' ||
    Number.isNaN(Date.parse(value[0]))) {
    throw new InvalidProjectionQuery('cursor', 'not a cursor returned by a previous page');
  }
  return { startedAt: value[0], caseId: value[1] };
}
