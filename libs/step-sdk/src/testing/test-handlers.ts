import { Injectable } from '@nestjs/common';
import type { NoopInput, NoopOutput, TextSentimentInput, TextSentimentOutput } from '@baton/contracts';
import { NonRetryableError } from '../non-retryable-error';
import type { Step } from '../step';
import type { StepContext } from '../step-context';
import { StepHandler } from '../step-handler.decorator';
import { sleep } from './step-kit';

/** What a handler saw of one call, for assertions. */
export interface ProbeCall {
  input: unknown;
  caseId: string; stepId: string; stepType: string; attempt: number; requestId: string;
  idempotencyKey: string; params: Readonly<Record<string, unknown>>; deadline: number; remainingMs: number; isCompensation: boolean;
  ctx: StepContext;
}

/** A provider the test handlers inject: proves handlers get DI, and records every call. */
@Injectable()
export class Probe {
  readonly calls: ProbeCall[] = [];
  readonly aborted = new Set<string>();
  record(input: unknown, ctx: StepContext): void {
    this.calls.push({
      input, caseId: ctx.caseId, stepId: ctx.stepId, stepType: ctx.stepType, attempt: ctx.attempt, requestId: ctx.requestId,
      idempotencyKey: ctx.idempotencyKey, params: ctx.params, deadline: ctx.deadline, remainingMs: ctx.remainingMs(), isCompensation: ctx.isCompensation, ctx,
    });
  }
  callsOf(caseId: string): ProbeCall[] {
    return this.calls.filter((c) => c.caseId === caseId);
  }
}

class UpstreamUnavailable extends Error {
  override readonly name = 'UpstreamUnavailable';
}

/** `noop`, whose behaviour the step's params choose (`mode`). */
@StepHandler('noop')
export class NoopStep implements Step<NoopInput, NoopOutput> {
  constructor(private readonly probe: Probe) {}

  async handle(input: NoopInput, ctx: StepContext): Promise<NoopOutput> {
    this.probe.record(input, ctx);
    const ms = Number(ctx.params.ms ?? 0);
    switch (ctx.params.mode) {
      case 'throw': throw new Error('the upstream answered 503');
      case 'throw-named': throw new UpstreamUnavailable('the upstream answered 503');
      case 'non-retryable': throw new NonRetryableError('MalformedEmail', "'bob@' is not an e-mail address");
      case 'bad-output': return { ok: 'yes' } as unknown as NoopOutput;
      case 'slow': await sleep(ms); return { ok: true };
      case 'heartbeat': await ctx.heartbeat({ progress: 0.5 }); await ctx.heartbeat({ progress: 0.9 }); return { ok: true };
      case 'hang': {
        ctx.signal.addEventListener('abort', () => this.probe.aborted.add(ctx.caseId));
        await sleep(ms);
        return { ok: true };
      }
      default: return { ok: true };
    }
  }
}

/** `text.sentiment`: a word-list scorer that reports metering like a model call. */
@StepHandler('text.sentiment')
export class SentimentStep implements Step<TextSentimentInput, TextSentimentOutput> {
  constructor(private readonly probe: Probe) {}

  async handle(input: TextSentimentInput, ctx: StepContext): Promise<TextSentimentOutput> {
    this.probe.record(input, ctx);
    const words = input.text.split(/\s+/).filter(Boolean);
    const score = words.filter((w) => /good|great|thanks/i.test(w)).length - words.filter((w) => /bad|awful|broken/i.test(w)).length;
    ctx.reportMetering({ model: 'lexicon', modelVersion: '2024-01', inputTokens: words.length, outputTokens: 3, costUsd: 0.0002 });
    ctx.reportMetering({ model: 'lexicon', modelVersion: '2024-01', inputTokens: 1, outputTokens: 1, costUsd: 0.0001 });
    return { score, comparative: words.length ? score / words.length : 0, label: score > 0 ? 'positive' : score < 0 ? 'negative' : 'neutral' };
  }
}
