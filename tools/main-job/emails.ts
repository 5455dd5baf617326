import { createHash } from 'node:crypto';

/** An email the main job sends, with the corpus label the scripted reviewer and the summary use. */
export interface LabelledEmail { id: string; raw: string; label: 'spam' | 'ham' }

/**
 * A deterministic mixed sample of `n` held-out emails: ordered by a hash of their id (so spam and
 * ham interleave as in the corpus, about one in three spam), the first `n`.
 */
export function sample(emails: readonly LabelledEmail[], n: number): LabelledEmail[] {
  const key = (e: LabelledEmail) => createHash('sha256').update(`main-job:${e.id}`).digest('hex');
  return [...emails].sort((a, b) => (key(a) < key(b) ? -1 : 1)).slice(0, n);
}
