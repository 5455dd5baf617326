/**
 * Input and output of `text.draft`, and the interface both drafters implement.
 */
import { type Entities } from '../entities/extract-entities';
import { type Sentiment } from '../sentiment/sentiment';

/** Input of `text.draft`: the parsed message with what `text.entities` and `text.sentiment` found. */
export interface DraftInput {
  readonly subject: string;
  readonly from: string;
  readonly text: string;
  readonly entities: Entities;
  readonly sentiment: Sentiment;
}

/** Output of `text.draft`: the reply and what it cost. */
export interface DraftOutput {
  readonly reply: string;
  /** The model that wrote it (`local-template` for the template drafter). */
  readonly model: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** USD. */
  readonly costUsd: number;
}

/** Something that drafts replies. */
export interface Drafter {
  /**
   * Drafts a reply; `idempotencyKey`, when given, is passed on to a remote service, and `signal`
   * (the step's deadline) aborts a remote call.
   */
  draft(input: DraftInput, idempotencyKey?: string, signal?: AbortSignal): Promise<DraftOutput>;
}
