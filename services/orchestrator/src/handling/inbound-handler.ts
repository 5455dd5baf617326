import type { DecodedMessage } from '@baton/avro';
import { injectTraceHeaders, UnprocessableMessageError, type ConsumedMessage } from '@baton/kafka';
import { log } from '@baton/observability';
import { CaseCommandError } from '@baton/workflow-engine';
import type { OrchestratorMetrics } from '../metrics/orchestrator-metrics';
import type { BatchItem, CaseHandler, HandleOptions, HandleOutcome } from './case-handler';
import type { Inbound, InboundCommand, InboundTopic } from './inbound';

/**
 * What the orchestrator's consumers call: maps consumed records to decider commands (`Inbound`)
 * and hands them to the case handler, a whole Kafka batch in one transaction
 * ({@link InboundHandler.handleBatch}) or one message at a time ({@link InboundHandler.handleOne},
 * for what a batch left: each such message is then retried or dead-lettered on its own).
 */
export class InboundHandler {
  constructor(
    private readonly inbound: Inbound,
    private readonly kind: InboundTopic,
    private readonly handler: CaseHandler,
    private readonly metrics: OrchestratorMetrics,
  ) {}

  /**
   * Handles one message in a transaction of its own.
   * @throws UnprocessableMessageError for a command its case refuses (it is dead-lettered), database errors (retried)
   */
  async handleOne(m: ConsumedMessage<DecodedMessage>): Promise<void> {
    const c = await this.inbound.toCommand(m, this.kind);
    try {
      this.observe(c, m, await this.handler.handle(c.caseId, c.command, options(c, m)));
    } catch (error) {
      if (error instanceof CaseCommandError) throw new UnprocessableMessageError(error.name, error.message, { cause: error });
      throw error;
    }
  }

  /**
   * Handles a batch of one partition in one transaction (group commit). Returns, in offset order,
   * the messages to handle one at a time instead: one that does not map to a command, one whose
   * command its case refuses, and every later message of the same key.
   * @throws database errors (the consumer then handles the whole batch one at a time)
   */
  async handleBatch(messages: ConsumedMessage<DecodedMessage>[]): Promise<ConsumedMessage<DecodedMessage>[]> {
    const left: ConsumedMessage<DecodedMessage>[] = [];
    const leftKeys = new Set<string>();
    const items: { item: BatchItem; c: InboundCommand; m: ConsumedMessage<DecodedMessage> }[] = [];
    for (const m of messages) {
      const key = m.key ?? `offset:${m.offset}`;
      if (leftKeys.has(key)) { left.push(m); continue; }
      try {
        const c = await this.inbound.toCommand(m, this.kind);
        items.push({ item: { caseId: c.caseId, command: c.command, options: options(c, m) }, c, m });
      } catch {
        leftKeys.add(key);
        left.push(m);
      }
    }
    if (items.length > 0) {
      const outcomes = await this.handler.handleBatch(items.map((i) => i.item));
      outcomes.forEach((o, i) => {
        const { c, m } = items[i]!;
        if ('deferred' in o) left.push(m);
        else this.observe(c, m, o.outcome);
      });
    }
    return left.sort((a, b) => (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1));
  }

  /** Counts and logs a step result the decider dropped as late or stale (every ignored command is counted by the handler). */
  private observe(c: InboundCommand, m: ConsumedMessage<DecodedMessage>, outcome: HandleOutcome): void {
    if (outcome.status !== 'applied' || !outcome.ignored) return;
    if (c.command.type !== 'StepResultCompleted' && c.command.type !== 'StepResultFailed') return;
    this.metrics.resultsIgnored.inc({ reason: outcome.ignored });
    const data = c.command.data as { stepId?: string; attempt?: number };
    log('info', 'orchestrator', `ignored a ${c.command.type} for case ${c.caseId} step ${data.stepId} attempt ${data.attempt} (${m.topic} ${m.partition}@${m.offset}): ${outcome.ignored}`);
  }
}

function options(c: InboundCommand, m: ConsumedMessage<DecodedMessage>): HandleOptions {
  // What the handling writes (outbox rows, events) carries the context of this message's process span.
  const traceHeaders: Record<string, string> = m.traceContext ? injectTraceHeaders({}, m.traceContext) : {};
  if (!traceHeaders.traceparent) for (const h of ['traceparent', 'tracestate']) if (m.headers[h]) traceHeaders[h] = m.headers[h]!;
  return {
    consumer: 'orchestrator',
    ...(c.messageId ? { messageId: c.messageId } : {}),
    ...(c.correlationId ? { correlationId: c.correlationId } : {}),
    ...(c.workflow ? { workflow: c.workflow } : {}),
    traceHeaders,
  };
}
