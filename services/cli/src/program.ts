import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { loadDefinition, toMermaid } from '@baton/workflow-engine';
import { CliError, type ApiClient } from './api-client';
import type {
  CancelRequest, CaseDetailView, CasePageView, CaseReplayView, CaseTraceView, DecisionAcceptedView, RepairRequest, RetryRequest, SignalAcceptedView, SignalRequest, StartedCaseView, StuckCaseView, TaskView,
} from './api-types';
import { readJsonArg } from './json-arg';
import { runCaseControl, type CaseControlOptions } from './case-controls';
import { addFlowCommands } from './flow-commands';
import { addLoginCommand } from './login-command';
import { renderCase, renderCasePage, renderReplays, renderStuckCases, renderTasks } from './render/views';
import { renderWaterfall } from './render/waterfall';
import { addScheduleCommands } from './schedule-commands';
import type { Style } from './render/style';

/** Where a command's output goes, and how it looks there. */
export interface CliIo {
  out: (text: string) => void;
  style: Style;
  /** Bar width of `trace`, from the terminal's columns. */
  barWidth: number;
}

const positiveInt = (v: string): number => {
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new InvalidArgumentError('must be a positive integer');
  return Number(v);
};
const seg = encodeURIComponent;

/**
 * The `baton` command line over the gateway's HTTP API. Every action throws on failure
 * (`ProblemResponse` from the gateway, `CliError` otherwise); `main.ts` prints it and exits 1.
 */
export function createProgram(api: ApiClient, io: CliIo): Command {
  const program = new Command('baton')
    .description(`Baton from a terminal, over the gateway's HTTP API (BATON_URL, now ${api.baseUrl})`)
    .showHelpAfterError()
    .configureOutput({ writeOut: io.out });
  addLoginCommand(program, api, io.out);
  const print = (json: boolean, value: unknown, render: () => string) => io.out(json ? `${JSON.stringify(value, null, 2)}\n` : render());

  program.command('start <workflow>').description('start a case')
    .requiredOption('--input <json|@file>', 'the case input, inline JSON or @file')
    .option('--key <key>', 'idempotency key: the same key names the same case')
    .option('--version <n>', 'workflow version (default: the newest)', positiveInt)
    .option('--json', 'print the raw response')
    .action(async (workflow: string, o: { input: string; key?: string; version?: number; json?: boolean }) => {
      const started = await api.post<StartedCaseView>('/cases', {
        workflow, input: readJsonArg('--input', o.input), ...(o.key !== undefined && { key: o.key }), ...(o.version !== undefined && { version: o.version }),
      });
      print(Boolean(o.json), started, () => `${started.deduplicated ? 'already started' : 'started'}: case ${started.caseId} (${started.workflow} v${started.version})\n`);
    });

  program.command('cases').description('list cases, newest first')
    .option('--workflow <name>').option('--status <status>').option('--limit <n>', 'page size (default 50)', positiveInt).option('--cursor <cursor>', 'the next page, from a previous listing')
    .option('--stuck', 'only open cases that nothing will wake, with the reasons and the repair')
    .option('--json', 'print the raw response')
    .action(async (o: { workflow?: string; status?: string; limit?: number; cursor?: string; stuck?: boolean; json?: boolean }) => {
      if (o.stuck) {
        const stuck = await api.get<StuckCaseView[]>(`/cases/stuck${o.workflow !== undefined ? `?${new URLSearchParams({ workflow: o.workflow })}` : ''}`);
        print(Boolean(o.json), stuck, () => renderStuckCases(stuck, io.style));
        return;
      }
      const q = new URLSearchParams();
      for (const k of ['workflow', 'status', 'limit', 'cursor'] as const) if (o[k] !== undefined) q.set(k, String(o[k]));
      const page = await api.get<CasePageView>(`/cases${q.size > 0 ? `?${q}` : ''}`);
      print(Boolean(o.json), page, () => renderCasePage(page, io.style));
    });

  program.command('case <id>').description("a case's status and step attempts").option('--json', 'print the raw response')
    .option('--repair', "set again what the case's events say must be pending (for a case `cases --stuck` reports)")
    .option('--pause', 'hold the case: nothing new starts until --resume').option('--resume', 'end a pause (also one by the budget)')
    .option('--reset <step>', 'run the open case again from this step (it and every step after it)').option('--reason <text>', 'why (--pause, --reset)')
    .action(async (id: string, o: { json?: boolean; repair?: boolean } & CaseControlOptions) => {
      const controlled = await runCaseControl(api, id, o);
      if (controlled !== undefined) return io.out(controlled);
      if (o.repair) {
        const res = await api.post<SignalAcceptedView>(`/cases/${seg(id)}/repair`, { ...(process.env.USER && { requestedBy: process.env.USER }) } satisfies RepairRequest);
        io.out(`repair requested: case ${id} (signal ${res.signalId})\n`);
        return;
      }
      const detail = await api.get<CaseDetailView>(`/cases/${seg(id)}`);
      print(Boolean(o.json), detail, () => renderCase(detail, io.style));
    });

  program.command('trace <id>').description("a case's steps as a waterfall").option('--json', 'print the raw response')
    .action(async (id: string, o: { json?: boolean }) => {
      const trace = await api.get<CaseTraceView>(`/cases/${seg(id)}/trace`);
      print(Boolean(o.json), trace, () => renderWaterfall(trace, { style: io.style, barWidth: io.barWidth }));
    });

  program.command('replay [caseId]').description("re-fold a case's events with today's decider and list every difference from its projection (exit 1 if any)")
    .option('--from <time>', 'replay every case with an event at or after this time (ISO 8601)').option('--to <time>', 'end of the range, exclusive; default now').option('--json', 'print the raw response')
    .action(async (caseId: string | undefined, o: { from?: string; to?: string; json?: boolean }) => {
      if (!caseId && !o.from) throw new CliError('give a case id, or --from <time> [--to <time>]');
      const cases = caseId ? [await api.get<CaseReplayView>(`/cases/${seg(caseId)}/replay`)]
        : (await api.get<{ cases: CaseReplayView[] }>(`/replay?from=${seg(o.from!)}${o.to ? `&to=${seg(o.to)}` : ''}`)).cases;
      print(Boolean(o.json), caseId ? cases[0] : { cases }, () => renderReplays(cases));
      if (cases.some((c) => c.differences.length > 0)) process.exitCode = 1;
    });

  program.command('tasks').description('open review tasks').option('--queue <queue>').option('--status <status>', 'open (default), decided or withdrawn')
    .option('--json', 'print the raw response')
    .action(async (o: { queue?: string; status?: string; json?: boolean }) => {
      const q = new URLSearchParams();
      if (o.queue !== undefined) q.set('queue', o.queue);
      if (o.status !== undefined) q.set('status', o.status);
      const tasks = await api.get<TaskView[]>(`/tasks${q.size > 0 ? `?${q}` : ''}`);
      print(Boolean(o.json), tasks, () => renderTasks(tasks, io.style));
    });

  program.command('decide <taskId> <decision>').description('decide a review task: approve, reject or edit')
    .option('--output <json|@file>', 'edit: the corrected output').option('--comment <text>').option('--reviewer <name>', 'who decides (default $USER)')
    .action(async (taskId: string, decision: string, o: { output?: string; comment?: string; reviewer?: string }) => {
      const reviewer = o.reviewer ?? process.env.USER;
      const res = await api.post<DecisionAcceptedView>(`/tasks/${seg(taskId)}/decision`, {
        decision, ...(o.output !== undefined && { output: readJsonArg('--output', o.output) }), ...(o.comment !== undefined && { comment: o.comment }), ...(reviewer && { reviewer }),
      });
      io.out(`decision sent: ${decision} on task ${taskId} (case ${res.caseId}, signal ${res.signalId})\n`);
    });

  program.command('retry <caseId> <step>').description('re-open a failed case from a step')
    .action(async (caseId: string, step: string) => {
      const res = await api.post<SignalAcceptedView>(`/cases/${seg(caseId)}/retry`, { step, ...(process.env.USER && { requestedBy: process.env.USER }) } satisfies RetryRequest);
      io.out(`retry requested: case ${caseId} from step ${step} (signal ${res.signalId})\n`);
    });

  program.command('signal <caseId> <name>').description("send a signal to a case's wait steps")
    .option('--data <json>', "the signal's data, inline JSON or @file: the wait step's output")
    .option('--id <signalId>', 'idempotency key (default: a fresh id)')
    .action(async (caseId: string, name: string, o: { data?: string; id?: string }) => {
      const body: SignalRequest = { ...(o.data !== undefined && { data: readJsonArg('--data', o.data) }), ...(o.id !== undefined && { signalId: o.id }) };
      const res = await api.post<SignalAcceptedView>(`/cases/${seg(caseId)}/signals/${seg(name)}`, body);
      io.out(`signal ${name} sent: case ${caseId} (signal ${res.signalId})
`);
    });

  program.command('cancel <caseId>').description('cancel a case in progress').requiredOption('--reason <text>')
    .action(async (caseId: string, o: { reason: string }) => {
      const res = await api.post<SignalAcceptedView>(`/cases/${seg(caseId)}/cancel`, { reason: o.reason, ...(process.env.USER && { requestedBy: process.env.USER }) } satisfies CancelRequest);
      io.out(`cancel requested: case ${caseId} (signal ${res.signalId})\n`);
    });

  const workflow = program.command('workflow').description('validate, register and draw workflow definitions');
  workflow.command('validate <file>')
    .description('check a definition: its shape locally (schema, needs, cycles, JSONata, durations), then its contracts through the gateway, as registration does (--offline: the local checks only)')
    .option('--offline', 'do not ask the gateway: contracts (input record, step types) are not checked')
    .action(async (file: string, o: { offline?: boolean }) => {
      const text = readText(file);
      const d = loadDefinition(text);
      const summary = `${d.name} v${d.version}, ${d.stepOrder.length} steps${d.input ? `, input ${d.input}` : ''}`;
      if (o.offline) {
        io.out(`ok (contracts not checked: --offline): ${summary}\n`);
        return;
      }
      const isJson = extname(file).toLowerCase() === '.json';
      await api.request('POST', '/workflows/validate', { body: text, contentType: isJson ? 'application/json' : 'text/yaml' });
      io.out(`ok: ${summary}\n`);
    });
  workflow.command('register <file>').description('register a definition (YAML or JSON) with the gateway')
    .action(async (file: string) => {
      const isJson = extname(file).toLowerCase() === '.json';
      const res = await api.request<{ created: boolean; workflow: { name: string; version: number; checksum: string } }>('PUT', '/workflows', { body: readText(file), contentType: isJson ? 'application/json' : 'text/yaml' });
      io.out(`${res.created ? 'registered' : 'already registered (same content)'}: ${res.workflow.name} v${res.workflow.version} (checksum ${res.workflow.checksum.slice(0, 12)})\n`);
    });
  workflow.command('graph <nameOrFile>').description('a definition as a Mermaid flowchart: a registered workflow by name, or a local file')
    .option('--version <n>', 'version of a registered workflow', positiveInt)
    .action(async (nameOrFile: string, o: { version?: number }) => {
      if (isFile(nameOrFile)) {
        io.out(toMermaid(loadDefinition(readText(nameOrFile))));
        return;
      }
      io.out(await api.get<string>(`/workflows/${seg(nameOrFile)}/graph${o.version ? `?version=${o.version}` : ''}`, 'text/plain'));
    });
  const contracts = program.command('contracts').description('the contract registry: step teams publish their Avro schemas');
  contracts.command('register <dir>').description('register every .avsc under a folder (one named schema per file), e.g. from CI; refused versions name the field')
    .action(async (dir: string) => {
      const files = avscFiles(dir);
      if (files.length === 0) throw new CliError(`no .avsc file under ${dir}`);
      for (const file of files) {
        const text = readText(file);
        const subject = fullNameOf(file, text);
        const res = await api.request<{ id: number; version: number; created: boolean }>('POST', `/subjects/${seg(subject)}/versions`, { body: { schema: text, schemaType: 'AVRO' } });
        io.out(`${res.created ? 'registered' : 'unchanged'}: ${subject} version ${res.version} (id ${res.id})\n`);
      }
    });
  addFlowCommands(program, api, io);
  addScheduleCommands(program, api, io);
  return program;
}

/** Every `.avsc` under a folder, sorted. */
function avscFiles(dir: string): string[] {
  try {
    return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.avsc')).sort().map((f) => join(dir, f));
  } catch (error) {
    throw new CliError(`cannot read ${dir}: ${(error as Error).message}`);
  }
}

/** The full name a schema file declares (Avro specification: `namespace` + `name`, unless `name` has a dot). */
function fullNameOf(file: string, text: string): string {
  let s: { name?: unknown; namespace?: unknown };
  try {
    s = JSON.parse(text) as typeof s;
  } catch (error) {
    throw new CliError(`${file} is not JSON: ${(error as Error).message}`);
  }
  if (typeof s.name !== 'string') throw new CliError(`${file} declares no named schema (no "name")`);
  return s.name.includes('.') || typeof s.namespace !== 'string' || s.namespace === '' ? s.name : `${s.namespace}.${s.name}`;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

function isFile(path: string): boolean {
  try {
    readFileSync(path);
    return true;
  } catch {
    return false;
  }
}
