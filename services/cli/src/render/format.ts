/** A duration for people: `850ms`, `1.24s`, `2m03s`, `1h02m`; `-` for none. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)}m${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}s`;
  return `${Math.floor(ms / 3_600_000)}h${String(Math.floor((ms % 3_600_000) / 60_000)).padStart(2, '0')}m`;
}

/** An offset from the case start: `+0ms`, `+1.24s`. */
export function formatOffset(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '-' : `+${formatDuration(ms)}`;
}

/** US dollars with enough digits for token prices: `$0.0021`. */
export function formatCost(usd: number): string {
  return `$${usd >= 1 ? usd.toFixed(2) : usd.toPrecision(2).replace(/0+$/, '').replace(/\.$/, '')}`;
}

/** An ISO time as `2026-01-01 10:00:00` (UTC, seconds). */
export function formatTime(iso: string | null): string {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') : '-';
}

/** Cuts text to `width` characters, ending with `…` when cut; newlines become spaces. */
export function truncate(text: string, width: number): string {
  const flat = text.replace(/\s*\n\s*/g, ' ');
  return flat.length <= width ? flat : `${flat.slice(0, Math.max(0, width - 1))}…`;
}
