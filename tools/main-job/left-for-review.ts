import { classifyText } from '../../services/triage-steps/src/classify/classify-text';
import { heldOutCorpus, type CorpusEmail } from '../../services/triage-steps/src/corpus/corpus';
import { parseEmail } from '../../services/triage-steps/src/parse/parse-email';
import type { GatewayClient } from './api';

/**
 * The first `n` held-out hams the committed model also calls ham but with a confidence under
 * inbox-triage's 0.8 review threshold: each one's case waits for a person at `classify`, then
 * takes the ham branch (entities, sentiment, reply).
 */
export async function uncertainHams(n: number): Promise<CorpusEmail[]> {
  const found: CorpusEmail[] = [];
  for (const email of heldOutCorpus()) {
    if (found.length === n) break;
    if (email.label !== 'ham') continue;
    const parsed = await parseEmail({ raw: email.raw });
    const c = await classifyText({ subject: parsed.subject, text: parsed.text });
    if (c.label === 'ham' && c.confidence < 0.8) found.push(email);
  }
  return found;
}

/**
 * For `--keep`: starts `n` cases (through `POST /cases`) from {@link uncertainHams}, after the
 * scripted reviewer has stopped, so a person finds them waiting in the console's task inbox.
 * @returns the case ids started
 */
export async function leaveForReview(api: GatewayClient, workflow: string, runId: string, n: number): Promise<string[]> {
  const started: string[] = [];
  for (const email of await uncertainHams(n)) {
    const input = { messageId: email.id, raw: email.raw, receivedAt: Date.now(), mailbox: 'for-you' };
    const { caseId } = await api.request<{ caseId: string }>('POST', '/cases', { workflow, input, key: `${runId}:for-you:${email.id}` });
    started.push(caseId);
  }
  return started;
}
