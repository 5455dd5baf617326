/**
 * Configuration of the triage steps, read from the environment at call time (so tests and
 * deployments can point each step elsewhere without restarting).
 */
import { dirname, join, resolve } from 'node:path';
import { readEnv, type EnvSchema } from '@baton/observability';

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

/** The variables of {@link llmConfig}. */
export const LLM_ENV = {
  BATON_LLM_URL: { type: 'string', description: 'base URL of an OpenAI-compatible server' },
  BATON_LLM_MODEL: { type: 'string', default: 'gpt-4o-mini', description: 'model name' },
  BATON_LLM_API_KEY: { type: 'string', description: 'bearer token' },
  BATON_LLM_PRICE_IN: { type: 'number', minimum: 0, default: 0, unit: 'USD per 1000 prompt tokens', description: 'prompt price' },
  BATON_LLM_PRICE_OUT: { type: 'number', minimum: 0, default: 0, unit: 'USD per 1000 completion tokens', description: 'completion price' },
  BATON_LLM_TIMEOUT_MS: { type: 'number', minimum: 0, default: 0, unit: 'ms, 0 for 30 s', description: 'per request' },
} as const satisfies EnvSchema;

/**
 * The LLM configuration when `BATON_LLM_URL` is set, else `undefined` (the local template
 * drafter is used). `BATON_LLM_MODEL` defaults to `gpt-4o-mini`, prices to 0, the timeout
 * (`BATON_LLM_TIMEOUT_MS`) to 30 s.
 * @throws ConfigError naming a malformed variable (checked even when `BATON_LLM_URL` is unset)
 */
export function llmConfig(env: Env = process.env): LlmConfig | undefined {
  const e = readEnv(LLM_ENV, env);
  if (!e.BATON_LLM_URL) return undefined;
  return {
    url: e.BATON_LLM_URL.replace(/\/+$/, ''),
    model: e.BATON_LLM_MODEL,
    apiKey: env.BATON_LLM_API_KEY || undefined,
    priceInPer1k: e.BATON_LLM_PRICE_IN,
    priceOutPer1k: e.BATON_LLM_PRICE_OUT,
    timeoutMs: e.BATON_LLM_TIMEOUT_MS || 30_000,
  };
}
