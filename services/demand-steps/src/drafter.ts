/**
 * `demand.draft`: one post per brief. With `BATON_LLM_URL` set, an OpenAI-compatible server
 * (`POST ${url}/v1/chat/completions`, `BATON_LLM_MODEL` default `gpt-4o-mini`, `BATON_LLM_API_KEY`
 * as bearer) writes each; else the local drafter, a deterministic template. A network error, a
 * timeout (`BATON_LLM_TIMEOUT_MS`, default 30 000 ms), 429 and 5xx are retryable (`LlmUnavailable`);
 * any other 4xx is not (`LlmRequestRejected`).
 */
import { NonRetryableError } from '@baton/step-sdk';
import type { Brief, Draft, Drafted } from './campaign';

/** demand.draft's input record. */
export interface DraftInput { product: string; audience: string; plan: { briefs: Brief[] } }

/** A retryable model failure. */
export class LlmUnavailable extends Error {
  override readonly name = 'LlmUnavailable';
}

/** Drafts every brief, with the model when `env.BATON_LLM_URL` is set. */
export async function draftPosts(input: DraftInput, signal: AbortSignal, env: NodeJS.ProcessEnv = process.env): Promise<Drafted> {
  const url = env.BATON_LLM_URL?.trim().replace(/\/+$/, '');
  const out: Drafted = { drafts: [], inputTokens: 0, outputTokens: 0, costUsd: 0 };
  for (const brief of input.plan.briefs) {
    const d = url ? await llmDraft(url, input, brief, signal, env) : { draft: localDraft(input, brief), inputTokens: 0, outputTokens: 0 };
    out.drafts.push(d.draft);
    out.inputTokens += d.inputTokens;
    out.outputTokens += d.outputTokens;
  }
  return out;
}

/** The local drafter: a post from the brief, the product and the audience. */
export function localDraft(input: DraftInput, brief: Brief): Draft {
  const text = `${brief.topic} — ${brief.angle} for ${input.audience}. ${input.product} keeps every case on track across every system it crosses. #${brief.channel}`;
  return { channel: brief.channel, topic: brief.topic, text, model: 'local-template' };
}

async function llmDraft(url: string, input: DraftInput, brief: Brief, signal: AbortSignal, env: NodeJS.ProcessEnv): Promise<{ draft: Draft; inputTokens: number; outputTokens: number }> {
  const model = env.BATON_LLM_MODEL?.trim() || 'gpt-4o-mini';
  const timeoutMs = Number(env.BATON_LLM_TIMEOUT_MS) || 30_000;
  const endpoint = `${url}/v1/chat/completions`;
  const messages = [
    { role: 'system', content: 'You write short B2B social posts (under 60 words), plain text, no hashtags but one.' },
    { role: 'user', content: `Product: ${input.product}\nAudience: ${input.audience}\nChannel: ${brief.channel}\nTopic: ${brief.topic}\nAngle: ${brief.angle}` },
  ];
  let res: Response;
  try {
    res = await fetch(endpoint, {
      method: 'POST', signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
      headers: { 'content-type': 'application/json', ...(env.BATON_LLM_API_KEY && { authorization: `Bearer ${env.BATON_LLM_API_KEY}` }) },
      body: JSON.stringify({ model, messages, temperature: 0.7, max_tokens: 200 }),
    });
  } catch (e) {
    throw new LlmUnavailable(`POST ${endpoint} failed: ${(e as Error).message}`);
  }
  const body = await res.text().catch(() => '');
  if (res.status === 429 || res.status >= 500) throw new LlmUnavailable(`POST ${endpoint} answered ${res.status}: ${body.slice(0, 300)}`);
  if (!res.ok) throw new NonRetryableError('LlmRequestRejected', `POST ${endpoint} answered ${res.status}: ${body.slice(0, 300)}`);
  let parsed: { model?: string; choices?: { message?: { content?: string } }[]; usage?: { prompt_tokens?: number; completion_tokens?: number } };
  try { parsed = JSON.parse(body) as typeof parsed; } catch { throw new LlmUnavailable(`POST ${endpoint} answered a body that is not JSON`); }
  const text = parsed.choices?.[0]?.message?.content?.trim();
  if (!text) throw new LlmUnavailable(`POST ${endpoint} answered without choices[0].message.content`);
  return {
    draft: { channel: brief.channel, topic: brief.topic, text, model: parsed.model || model },
    inputTokens: parsed.usage?.prompt_tokens ?? 0, outputTokens: parsed.usage?.completion_tokens ?? 0,
  };
}
