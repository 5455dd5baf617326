/** Separates a map step's id from an item index in a request step id: `<stepId>#<index>`. */
export const MAP_ITEM_SEPARATOR = '#';

/**
 * The step id an item's requests, results and timers carry: `<stepId>#<index>`. Step ids cannot
 * contain `#` (the definition schema), so it is unambiguous; with the attempt it makes the
 * request id, the timer ids and the idempotency key (`<caseId>:<stepId>#<index>`) unique per item.
 */
export function mapItemStepId(stepId: string, index: number): string {
  return `${stepId}${MAP_ITEM_SEPARATOR}${index}`;
}

/** Splits `<stepId>#<index>`; undefined for any other step id. */
export function parseMapItemStepId(id: string): { stepId: string; index: number } | undefined {
  const at = id.lastIndexOf(MAP_ITEM_SEPARATOR);
  if (at <= 0) return undefined;
  const index = Number(id.slice(at + 1));
  return Number.isInteger(index) && index >= 0 && String(index) === id.slice(at + 1) ? { stepId: id.slice(0, at), index } : undefined;
}
