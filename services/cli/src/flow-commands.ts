import { InvalidArgumentError, type Command } from 'commander';
import type { HttpBody, LimitsRequest, ResolveStepRequest } from '@baton/http-contract';
import type { ApiClient } from './api-client';
import { readJsonArg } from './json-arg';
import { renderTable } from './render/table';
import type { Style } from './render/style';

type Limits = HttpBody<'StepTypeLimits'>;
type Breaker = HttpBody<'BreakerStatus'>;

const positiveInt = (v: string): number => {
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new InvalidArgumentError('must be a positive integer');
  return Number(v);
};
const seg = encodeURIComponent;

/** Limits as a table (one row per step type). */
export function renderLimits(rows: readonly Limits[], style?: Style): string {
  if (rows.length === 0) return 'no step type has limits\n';
  return renderTable([
    { header: 'STEP TYPE', value: (l) => l.stepType },
    { header: 'CONCURRENCY', value: (l) => (l.concurrency !== undefined ? String(l.concurrency) : '-'), align: 'right' },
    { header: 'RATE', value: (l) => (l.ratePerSecond !== undefined ? `${l.ratePerSecond}/s` : '-'), align: 'right' },
    { header: 'BURST', value: (l) => (l.burst !== undefined ? String(l.burst) : '-'), align: 'right' },
    { header: 'BREAKER', value: (l) => (l.breaker ? `${l.breaker.failures} in ${l.breaker.windowMs} ms, open ${l.breaker.openMs} ms` : '-') },
  ], rows, style);
}

/** Breakers as a table. */
export function renderBreakers(rows: readonly Breaker[], style?: Style): string {
  if (rows.length === 0) return 'no step type has a breaker or waiting requests\n';
  return renderTable([
    { header: 'STEP TYPE', value: (b) => b.stepType },
    { header: 'STATE', value: (b) => b.state, status: true },
    { header: 'SINCE', value: (b) => b.changedAt },
    { header: 'WAITING', value: (b) => String(b.waiting), align: 'right' },
    { header: 'IN FLIGHT', value: (b) => String(b.inFlight), align: 'right' },
  ], rows, style);
}

/**
 * `baton limits [set|rm]`, `baton breakers`, `baton resolve`: flow control per step type and steps
 * waiting for an operator, over `/limits`, `/breakers` and `/cases/{id}/steps/{stepId}/resolve`.
 */
export function addFlowCommands(program: Command, api: ApiClient, io: { out: (text: string) => void; style: Style }): void {
  const print = (json: boolean, value: unknown, render: () => string) => io.out(json ? `${JSON.stringify(value, null, 2)}\n` : render());

  const limits = program.command('limits').description('per-step-type concurrency, rate and circuit breaker limits')
    .option('--json', 'print the raw response')
    .action(async (o: { json?: boolean }) => {
      const rows = await api.get<Limits[]>('/limits');
      print(Boolean(o.json), rows, () => renderLimits(rows, io.style));
    });
  limits.command('set <stepType>').description("set (replace) a step type's limits")
    .option('--concurrency <n>', 'attempts at once, at most', positiveInt)
    .option('--rate <rate>', 'admissions per s, m or h, e.g. 50/s')
    .option('--burst <n>', 'admissions in a burst, at most', positiveInt)
    .option('--breaker <json|@file>', 'circuit breaker: {"failures":5,"windowMs":30000,"openMs":10000}')
    .action(async (stepType: string, o: { concurrency?: number; rate?: string; burst?: number; breaker?: string }) => {
      const body: LimitsRequest = {
        ...(o.concurrency !== undefined && { concurrency: o.concurrency }), ...(o.rate !== undefined && { rate: o.rate }),
        ...(o.burst !== undefined && { burst: o.burst }),
        ...(o.breaker !== undefined && { breaker: readJsonArg('--breaker', o.breaker) as LimitsRequest['breaker'] }),
        ...(process.env.USER && { updatedBy: process.env.USER }),
      };
      const set = await api.request<Limits>('PUT', `/limits/${seg(stepType)}`, { body });
      io.out(renderLimits([set], io.style));
    });
  limits.command('rm <stepType>').description("remove a step type's limits (its waiting requests are admitted)")
    .action(async (stepType: string) => {
      await api.request('DELETE', `/limits/${seg(stepType)}`);
      io.out(`limits removed: ${stepType}\n`);
    });

  program.command('breakers').description('the circuit breaker and admission queue of every limited step type')
    .option('--json', 'print the raw response')
    .action(async (o: { json?: boolean }) => {
      const rows = await api.get<Breaker[]>('/breakers');
      print(Boolean(o.json), rows, () => renderBreakers(rows, io.style));
    });

  program.command('resolve <caseId> <step>').description('resolve a step waiting for an operator: --retry, or --skip with --output')
    .option('--retry', 'run a new attempt (a fresh retry budget)')
    .option('--skip', 'complete the step with --output')
    .option('--output <json|@file>', "the skipped step's output (its step type's output record)")
    .action(async (caseId: string, step: string, o: { retry?: boolean; skip?: boolean; output?: string }) => {
      if (Boolean(o.retry) === Boolean(o.skip)) throw new InvalidArgumentError('give exactly one of --retry and --skip');
      const body: ResolveStepRequest = {
        action: o.retry ? 'retry' : 'skip', ...(o.output !== undefined && { output: readJsonArg('--output', o.output) as Record<string, unknown> }),
        ...(process.env.USER && { principal: process.env.USER }),
      };
      const res = await api.post<{ taskId: string; signalId: string }>(`/cases/${seg(caseId)}/steps/${seg(step)}/resolve`, body);
      io.out(`${body.action} requested: case ${caseId} step ${step} (task ${res.taskId}, signal ${res.signalId})\n`);
    });
}
