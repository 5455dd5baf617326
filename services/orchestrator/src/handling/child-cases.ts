import type { SchemaCatalog } from '@baton/avro';
import { caseIdFor, ContractNames, type TopicNames } from '@baton/contracts';
import type { DefinitionRegistry } from '@baton/definitions';
import type { OutboxMessage, Tx } from '@baton/event-store';
import { Headers } from '@baton/kafka';
import type { ChildEndNotice, ChildStart, Decision, InputProblem, WorkflowDefinition } from '@baton/workflow-engine';
import { checkedSize } from './outbox-message-too-large';

/**
 * The sub-workflow edge of one decision: the child workflow definitions a case's sub-workflow
 * steps name (read before deciding, so the decider's `validateChild` stays synchronous), the
 * child case ids (`caseIdFor({ workflow, key })`), and the messages a decision's `children`,
 * `cancelChildren` and `parentNotice` become: a `StartChildCase` on `baton.triggers` (keyed by the
 * child), a `CancelCase` and a `ChildCaseEnded` on `baton.signals` (keyed by the case they are for).
 */
export class ChildCases {
  private readonly encoded = new Map<string, OutboxMessage>();

  private constructor(private readonly catalog: SchemaCatalog, private readonly topics: TopicNames, private readonly definitions: ReadonlyMap<string, WorkflowDefinition | Error>, private readonly now: number) {}

  /** Reads the child definitions `workflow` names (a missing one is kept as its error, refused at dispatch). */
  static async prepare(deps: { catalog: SchemaCatalog; registry: DefinitionRegistry; topics: TopicNames }, workflow: WorkflowDefinition, tx: Tx, now: number): Promise<ChildCases> {
    const definitions = new Map<string, WorkflowDefinition | Error>();
    for (const step of Object.values(workflow.steps)) {
      if (!step.workflow) continue;
      const { name, version } = step.workflow;
      const id = `${name}@${version}`;
      if (definitions.has(id)) continue;
      definitions.set(id, await deps.registry.get(name, version, tx).catch((e: unknown) => e as Error));
    }
    return new ChildCases(deps.catalog, deps.topics, definitions, now);
  }

  /** The decider's `childCaseId`. */
  readonly childCaseId = (workflow: string, key: string): string => caseIdFor({ workflow, key, triggerId: key });

  /** The decider's `validateChild`: the child version is registered, has an input record, and the input encodes with it. */
  readonly validate = (child: ChildStart): InputProblem | undefined => {
    const def = this.definitions.get(`${child.workflow}@${child.version}`);
    if (def === undefined || def instanceof Error) {
      return { name: 'ChildWorkflowNotFound', message: `workflow ${child.workflow} version ${child.version} is not registered${def instanceof Error ? `: ${def.message}` : ''}` };
    }
    if (def.input === undefined) return { name: 'InputSchemaViolation', message: `workflow ${child.workflow}@${child.version} declares no input record, so a child case of it cannot be started` };
    try {
      const value = this.catalog.encode(ContractNames.StartChildCase, {
        triggerId: `${child.caseId}:start`, workflow: child.workflow, version: child.version, key: child.key,
        input: this.catalog.encode(def.input, child.input), parentCaseId: child.parent.caseId, parentStepId: child.parent.stepId,
        parentAttempt: child.parent.attempt, requestedAt: this.now,
      });
      this.encoded.set(child.caseId, checkedSize({ topic: this.topics.triggers, key: child.caseId, value, headers: headers(child.caseId, `${child.caseId}:start`) }));
      return undefined;
    } catch (error) {
      return { name: 'InputSchemaViolation', message: `the input of the child case of workflow ${child.workflow}@${child.version} does not match its input record ${def.input}: ${(error as Error).message}` };
    }
  };

  /** The outbox messages of a decision's sub-workflow outputs (`caseId`: the deciding case). */
  messages(caseId: string, decision: Decision): OutboxMessage[] {
    const out: OutboxMessage[] = [];
    for (const child of decision.children ?? []) {
      const checked = this.encoded.get(child.caseId);
      if (checked) out.push(checked);
      else if (this.validate(child) === undefined) out.push(this.encoded.get(child.caseId)!);
    }
    for (const childId of decision.cancelChildren ?? []) {
      const signalId = `${childId}:cancelled-by:${caseId}`;
      const value = this.catalog.encode(ContractNames.CancelCase, { signalId, caseId: childId, reason: `its parent case ${caseId} no longer waits for it`, requestedBy: `case ${caseId}`, requestedAt: this.now });
      out.push({ topic: this.topics.signals, key: childId, value, headers: headers(childId, signalId) });
    }
    if (decision.parentNotice) out.push(this.ended(decision.parentNotice));
    return out;
  }

  private ended(n: ChildEndNotice): OutboxMessage {
    const signalId = `${n.childCaseId}:ended`;
    const value = this.catalog.encode(ContractNames.ChildCaseEnded, {
      signalId, caseId: n.parentCaseId, stepId: n.stepId, attempt: n.attempt, childCaseId: n.childCaseId, status: n.status,
      output: n.output === undefined ? null : JSON.stringify(n.output), error: n.error ?? null, endedAt: this.now,
    });
    return checkedSize({ topic: this.topics.signals, key: n.parentCaseId, value, headers: headers(n.parentCaseId, signalId) });
  }
}

function headers(caseId: string, messageId: string): Record<string, string> {
  return { [Headers.messageId]: messageId, [Headers.caseId]: caseId };
}
