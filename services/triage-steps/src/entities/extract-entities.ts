/**
 * `text.entities`: people, organisations, dates and amounts of money named in a message, found by
 * `compromise` with the `compromise-dates` plugin.
 */
import nlp from 'compromise';
import datesPlugin from 'compromise-dates';
import { type StepContext } from '../context';

/** Input of `text.entities`. */
export interface EntitiesInput {
  readonly text: string;
}

/** Output of `text.entities`: each list deduplicated (case-insensitively, first spelling kept), at most {@link MAX_ENTITIES} long. */
export interface Entities {
  readonly people: string[];
  readonly organizations: string[];
  readonly dates: string[];
  readonly money: string[];
}

/** Each list is cut to this many entries. */
export const MAX_ENTITIES = 20;
/** compromise is roughly linear but slow on long inputs; only this much of the text is read. */
export const MAX_ENTITY_TEXT_CHARS = 8_000;

/** compromise-dates includes the preposition of a date phrase ("on March 3rd"); the list keeps the date. */
const LEADING_PREPOSITION = /^\s*(on|at|in|by|from|until|till|since|before|after|for|of)\s+/i;

let registered = false;

function withDates(): typeof nlp {
  if (!registered) {
    nlp.plugin(datesPlugin);
    registered = true;
  }
  return nlp;
}

/** Extracts the entities of `text` (its first {@link MAX_ENTITY_TEXT_CHARS} characters, quoted `>` lines dropped). */
export function extractEntities(text: string): Entities {
  const doc = withDates()(prepare(text));
  return {
    people: clean(doc.people().out('array') as string[]),
    organizations: clean(doc.organizations().out('array') as string[]),
    // compromise-dates adds dates() to the view; its types do not declare it on the base view.
    dates: clean((doc as unknown as { dates(): { out(f: 'array'): string[] } }).dates().out('array').map((d) => d.replace(LEADING_PREPOSITION, ''))),
    // compromise reads "$5 and $10" as one phrase; the list keeps each amount.
    money: clean((doc.money().out('array') as string[]).flatMap((m) => m.split(/\s*(?:,\s+|\band\b|\bor\b|\bto\b)\s*/i))),
  };
}

/** The `text.entities` handler. */
export async function textEntities(input: EntitiesInput, _ctx?: StepContext): Promise<Entities> {
  return extractEntities(input.text ?? '');
}

function prepare(text: string): string {
  return text
    .slice(0, MAX_ENTITY_TEXT_CHARS)
    .split('\n')
    .filter((line) => !/^\s*>/.test(line))
    .join('\n');
}

function clean(found: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of found) {
    const v = raw.replace(/\s+/g, ' ').replace(/^[\s"'([<,;:-]+|[\s"')\]>,.;:!?-]+$/g, '').trim();
    if (v.length < 2 || v.length > 80) continue;
    const key = v.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(v);
    if (out.length === MAX_ENTITIES) break;
  }
  return out;
}
