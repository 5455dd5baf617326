/**
 * A drafter that asks an OpenAI-compatible chat completions server:
 * `POST ${url}/v1/chat/completions` with a bearer key, tokens from the response's `usage`, cost
 * from configured per-1000-token prices.
 *
 * Failures: a network error, a timeout, HTTP 429 and 5xx and an unreadable 2xx body are
 * retryable (`LlmUnavailable`, `LlmBadResponse`); any other 4xx is non-retryable
 * (`LlmRequestRejected`: the same request would be refused again).
 */
import { type LlmConfig } from '../config';
import { nonRetryable, retryable } from '../errors';
import { type DraftInput, type DraftOutput, type Drafter } from './draft-types';
import { countWords, draftPrompt } from './prompt';

/** The part of a chat completions response this drafter reads. */
interface ChatCompletion {
  model?: string;
  choices?: Array<{ message?: { content?: string | null } }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number };
}

/** The longest piece of an error response quoted in a failure message. */
const MAX_ERROR_BODY = 300;

/** Drafts with a remote model. */
export class OpenAiDrafter implements Drafter {
  constructor(private readonly config: LlmConfig) {}

  async draft(input: DraftInput, idempotencyKey?: string, signal?: AbortSignal): Promise<DraftOutput> {
    const { url, model, apiKey, timeoutMs } = this.config;
    const endpoint = `${url}/v1/chat/completions`;
    const messages = draftPrompt(input);
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (apiKey) headers.authorization = `Bearer ${apiKey}`;
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    let res: Response;
    try {
      res = await fetch(endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model, messages, temperature: 0.3, max_tokens: 400 }),
        signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const e = err as Error;
      const why = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : signal?.aborted ? 'the step attempt reached its deadline' : `${e.message}${e.cause ? ` (${String((e.cause as Error).message ?? e.cause)})` : ''}`;
      throw retryable('LlmUnavailable', `POST ${endpoint} failed: ${why}`);
    }
    const body = await res.text().catch(() => '');
    if (res.status === 429 || res.status >= 500) {
      throw retryable('LlmUnavailable', `POST ${endpoint} answered ${res.status}: ${body.slice(0, MAX_ERROR_BODY)}`);
    }
    if (res.status < 200 || res.status >= 300) {
      throw nonRetryable('LlmRequestRejected', `POST ${endpoint} answered ${res.status}: ${body.slice(0, MAX_ERROR_BODY)}`);
    }
    let completion: ChatCompletion;
    try {
      completion = JSON.parse(body) as ChatCompletion;
    } catch {
      throw retryable('LlmBadResponse', `POST ${endpoint} answered ${res.status} with a body that is not JSON: ${body.slice(0, MAX_ERROR_BODY)}`);
    }
    const reply = completion.choices?.[0]?.message?.content?.trim();
    if (!reply) throw retryable('LlmBadResponse', `POST ${endpoint} answered without choices[0].message.content`);
    // A server that reports no usage is charged by words, the template drafter's measure.
    const inputTokens = count(completion.usage?.prompt_tokens) ?? countWords(messages.map((m) => m.content).join('\n'));
    const outputTokens = count(completion.usage?.completion_tokens) ?? countWords(reply);
    const costUsd = Math.round(((inputTokens / 1000) * this.config.priceInPer1k + (outputTokens / 1000) * this.config.priceOutPer1k) * 1e8) / 1e8;
    return { reply, model: completion.model || model, inputTokens, outputTokens, costUsd };
  }
}

function count(n: unknown): number | undefined {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
}
