/**
 * Operator commands that run against the database directly (the HTTP API comes with the gateway):
 *   npm run orchestrator -- migrate
 *   npm run orchestrator -- projections rebuild          (progress on stderr)
 *   npm run orchestrator -- replay <caseId>              (or --from <time> --to <time>)
 *   npm run orchestrator -- workflow validate|register|graph <file.yaml>
 *   npm run orchestrator -- api-key create --tenant <t> --name <n> --roles <r,...> | list | revoke <keyId>
 *   npm run orchestrator -- pii shred <subject> | rotate-kek | rewrap <subject>...   (pii-commands.ts)
 * Reads DATABASE_URL (owner connection) and KAFKA_BROKERS like the service.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { checkContracts, ContractRegistry, ContractSync, DefinitionRegistry, migrateDefinitions, registerWorkflow } from '@baton/definitions';
import { createEventStore, migrate } from '@baton/event-store';
import { createKafka } from '@baton/kafka';
import { migrateAuth } from '@baton/auth';
import { addApiKeyCommands } from './api-key-commands';
import { migrateProjections, ProjectionQueries, rebuildProjections, replayCase, replayRange, type CaseReplay } from '@baton/projections';
import { DefinitionError, loadDefinition, toMermaid, type WorkflowDefinition } from '@baton/workflow-engine';
import { loadContracts, topicNames } from '@baton/contracts';
import { addPiiCommands } from './pii-commands';

function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  return url;
}

function readDefinition(file: string): WorkflowDefinition {
  return loadDefinition(readFileSync(file, 'utf8'));
}

async function migrateAll(): Promise<void> {
  const url = databaseUrl();
  await migrate(url);
  await migrateDefinitions(url);
  await migrateProjections(url);
  await migrateAuth(url);
}

const program = new Command('orchestrator').description('Baton orchestrator operator commands');

program.command('migrate').description('create or upgrade the event store, registry and projection tables').action(async () => {
  await migrateAll();
  console.log('migrations: up to date');
});

program.command('projections').argument('<action>', 'rebuild').description('rebuild every projection from the event store').action(async (action: string) => {
  if (action !== 'rebuild') throw new Error(`unknown projections action '${action}'; use: rebuild`);
  const store = await createEventStore(databaseUrl());
  try {
    const started = Date.now();
    const applied = await rebuildProjections(store, {
      onProgress: (n, total) => process.stderr.write(`projections: ${n} of ${total} events (${total ? Math.floor((100 * n) / total) : 100}%)\n`),
    });
    console.log(`projections: rebuilt from ${applied} events in ${Date.now() - started} ms`);
  } finally {
    await store.close();
  }
});

program.command('replay').argument('[caseId]', 'the case to replay')
  .option('--from <time>', 'replay every case with an event at or after this time (ISO 8601)')
  .option('--to <time>', 'end of the time range, exclusive (ISO 8601); default now')
  .description("re-fold a case's stored events with today's decider and report every difference from its stored projection; exits 1 when there is one")
  .action(async (caseId: string | undefined, opts: { from?: string; to?: string }) => {
    const time = (v: string, name: string) => { const t = Date.parse(v); if (Number.isNaN(t)) throw new Error(`--${name} is not a time: '${v}'`); return t; };
    if (!caseId && !opts.from) throw new Error('give a case id, or --from <time> [--to <time>]');
    const store = await createEventStore(databaseUrl());
    try {
      const queries = new ProjectionQueries(store.pool);
      const replays: CaseReplay[] = caseId ? [await replayCase(store, queries, caseId)]
        : await replayRange(store, queries, { from: time(opts.from!, 'from'), to: opts.to ? time(opts.to, 'to') : Date.now() });
      for (const r of replays) {
        console.log(`${r.caseId}: ${r.events} events, ${r.state.status}: ${r.differences.length === 0 ? 'matches its projection' : `${r.differences.length} difference(s)`}`);
        for (const d of r.differences) console.log(`  ${d.path}: stored ${JSON.stringify(d.stored)}, replayed ${JSON.stringify(d.replayed)}`);
      }
      const differing = replays.filter((r) => r.differences.length > 0).length;
      console.log(`replay: ${replays.length} case(s), ${differing} with differences`);
      if (differing > 0) process.exitCode = 1;
    } finally {
      await store.close();
    }
  });

const workflow = program.command('workflow').description('workflow definitions');
workflow.command('validate').argument('<file>').description('the checks of register (shape, then every record and step type against contracts/ and the contract registry), storing nothing').action(async (file: string) => {
  const d = readDefinition(file);
  await migrateAll();
  const store = await createEventStore(databaseUrl());
  try {
    const issues = await checkContracts(d, { contracts: new ContractSync(new ContractRegistry(store.pool), loadContracts()) });
    if (issues.length > 0) throw new DefinitionError(d.name, issues);
    console.log(`${file}: workflow '${d.name}' version ${d.version} is valid (${d.stepOrder.length} steps)`);
  } finally {
    await store.close();
  }
});
workflow.command('graph').argument('<file>').action((file: string) => {
  console.log(toMermaid(readDefinition(file)));
});
workflow.command('register').argument('<file>').action(async (file: string) => {
  const d = readDefinition(file);
  await migrateAll();
  const store = await createEventStore(databaseUrl());
  try {
    const deps = { registry: new DefinitionRegistry(store.pool), contracts: new ContractSync(new ContractRegistry(store.pool), loadContracts()), kafka: createKafka({ clientId: 'baton-orchestrator-cli', principal: 'baton-orchestrator' }), topics: topicNames() };
    const { created } = await registerWorkflow(deps, d);
    console.log(`workflow '${d.name}' version ${d.version}: ${created ? 'registered' : 'already registered with the same content'}`);
  } finally {
    await store.close();
  }
});

addApiKeyCommands(program, databaseUrl);

addPiiCommands(program);

program.parseAsync().catch((error: unknown) => {
  if (error instanceof DefinitionError) console.error(error.message);
  else console.error(`orchestrator: ${(error as Error).message}`);
  process.exit(1);
});
