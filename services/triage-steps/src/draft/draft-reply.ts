/**
 * `text.draft`: a reply draft, by the OpenAI-compatible drafter when `BATON_LLM_URL` is set, by
 * the local template drafter otherwise.
 */
import { llmConfig, type Env } from '../config';
import { type StepContext } from '../context';
import { type DraftInput, type DraftOutput, type Drafter } from './draft-types';
import { OpenAiDrafter } from './openai-drafter';
import { TemplateDrafter } from './template-drafter';

/** The drafter the environment asks for. */
export function drafterFromEnv(env: Env = process.env): Drafter {
  const config = llmConfig(env);
  return config ? new OpenAiDrafter(config) : new TemplateDrafter();
}

/**
 * The `text.draft` handler (reads the environment on each call). A step whose parameters say
 * `drafter: template` (the workflow's fallback for the LLM) always uses the local template drafter.
 */
export async function draftReply(input: DraftInput, ctx?: StepContext): Promise<DraftOutput> {
  const drafter = ctx?.params.drafter === 'template' ? new TemplateDrafter() : drafterFromEnv();
  return drafter.draft(input, ctx?.idempotencyKey, ctx?.signal);
}
