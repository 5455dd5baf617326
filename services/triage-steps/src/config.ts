/**
 * Configuration of the triage steps, read from the environment at call time (so tests and
 * deployments can point each step elsewhere without restarting).
 */
import { dirname, join, resolve } from 'node:path';

/** The environment a step reads; `process.env` unless a test passes its own. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Where `mail.quarantine` writes its records: `BATON_QUARANTINE_DIR`, default `.baton/quarantine`. */
export function quarantineDir(env: Env = process.env): string {
  return resolve(env.BATON_QUARANTINE_DIR || join('.baton', 'quarantine'));
}

/** Where `notify` writes one record per case: `BATON_NOTIFY_DIR`, default `.baton/notifications`. */
export function notifyDir(env: Env = process.env): string {
  return resolve(env.BATON_NOTIFY_DIR || join('.baton', 'notifications'));
}

/** Where `reply.withdraw` writes one record per step execution: `withdrawals/` beside the notify folder. */
export function withdrawalsDir(env: Env = process.env): string {
  return join(dirname(notifyDir(env)), 'withdrawals');
}

/** How `text.draft` reaches an OpenAI-compatible chat completions server. */
export interface LlmConfig {
  /** Base URL without `/v1/...`, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  readonly model: string;
  readonly apiKey: string | undefined;
  /** USD per 1000 prompt tokens. */
  readonly priceInPer1k: number;
  /** USD per 1000 completion tokens. */
  readonly priceOutPer1k: number;
  /** Per request, in milliseconds. */
  readonly timeoutMs: number;
}

/**
 * The LLM configuration when `BATON_LLM_URL` is set, else `undefined` (the local template
 * drafter is used). `BATON_LLM_MODEL` defaults to `gpt-4o-mini`, prices to 0, the timeout
 * (`BATON_LLM_TIMEOUT_MS`) to 30 s.
 */
export function llmConfig(env: Env = process.env): LlmConfig | undefined {
  const url = env.BATON_LLM_URL?.trim();
  if (!url) return undefined;
  return {
    url: url.replace(/\/+$/, ''),
    model: env.BATON_LLM_MODEL?.trim() || 'gpt-4o-mini',
    apiKey: env.BATON_LLM_API_KEY || undefined,
    priceInPer1k: nonNegative(env.BATON_LLM_PRICE_IN, 'BATON_LLM_PRICE_IN'),
    priceOutPer1k: nonNegative(env.BATON_LLM_PRICE_OUT, 'BATON_LLM_PRICE_OUT'),
    timeoutMs: nonNegative(env.BATON_LLM_TIMEOUT_MS, 'BATON_LLM_TIMEOUT_MS') || 30_000,
  };
}

function nonNegative(value: string | undefined, name: string): number {
  if (value === undefined || value.trim() === '') return 0;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${value}"`);
  return n;
}
