/**
 * The fixed train / held-out split of the SpamAssassin corpus. A message's side depends only on
 * its corpus id (`<group>/<number>`, e.g. `spam-2/00042`): the first 32 bits of
 * SHA-256(`SPLIT_SALT` + id), read as a fraction of 2^32, below {@link TRAIN_FRACTION} is training.
 * So the split is the same on every machine, for every run, whatever the order of the corpus.
 */
import { createHash } from 'node:crypto';

/** Changing it reshuffles the split (and then the model must be retrained). */
export const SPLIT_SALT = 'baton-triage-split-v1:';
/** About 60% of the messages train the model; the other 40% are held out. */
export const TRAIN_FRACTION = 0.6;

/** Which side of the split a corpus message is on. */
export type Split = 'train' | 'heldout';

/** The hash point of `id` in [0, 1). */
export function splitPoint(id: string): number {
  return createHash('sha256').update(SPLIT_SALT + id).digest().readUInt32BE(0) / 2 ** 32;
}

/** The side of the split that the message with corpus id `id` is on. */
export function splitOf(id: string): Split {
  return splitPoint(id) < TRAIN_FRACTION ? 'train' : 'heldout';
}
