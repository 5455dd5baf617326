import { Counter, type Registry } from 'prom-client';
import { caseIdFor } from '@baton/contracts';
import type { DefinitionRegistry } from '@baton/definitions';
import { log } from '@baton/observability';
import type { FileTrigger } from '@baton/workflow-engine';
import type { CaseHandler } from '../handling/case-handler';
import { DirectorySource } from './directory-source';
import type { Landing, TriggerSource } from './trigger-source';

/** Options of {@link FileTriggers}. */
export interface FileTriggersOptions {
  /** How often the watched directories are made what the workflows' latest versions declare, ms; default 5 000. */
  syncMs?: number;
  /** Scan interval of each directory, ms; default 250. */
  pollMs?: number;
  /** How long a file's size and modification time must hold still before it counts as complete, ms; default 1 000. */
  stableMs?: number;
  /** Where `baton_file_landings_total` goes. */
  metrics?: Registry;
  /** Makes the source of a trigger; default a {@link DirectorySource} (a bucket source plugs in here). */
  sourceFor?: (trigger: FileTrigger) => TriggerSource;
}

interface Watched { source: TriggerSource; dir: string; pattern: string; version: number }

/**
 * Runs the `files` triggers of every workflow's latest version: one {@link TriggerSource} per
 * trigger, each complete file starting a case whose input is a reference to it
 * (`{path, name, size, sha256, landedAt}`) and whose key is `file:<sha256>`, so one content starts
 * one case per workflow, whichever name it lands under, however often, and however many
 * orchestrators watch the same directory (the case id is derived from the key; the inbox id is
 * `file:<workflow>:<sha256>`).
 */
export class FileTriggers {
  private readonly watched = new Map<string, Watched>();
  private timer: NodeJS.Timeout | null = null;
  private syncing: Promise<void> | null = null;
  private readonly landings: Counter<'trigger'>;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly registry: DefinitionRegistry, private readonly handler: CaseHandler, private readonly options: FileTriggersOptions = {}) {
    this.landings = new Counter({ name: 'baton_file_landings_total', help: 'Complete files that a files trigger reported (a case started, or found already started for that content).', labelNames: ['trigger'], registers: options.metrics ? [options.metrics] : [] });
  }

  start(): void {
    const tick = () => {
      this.syncing = this.sync().catch((e: Error) => log('error', 'files', `syncing the file triggers failed: ${e.message}`));
      this.timer = setTimeout(() => void this.syncing!.then(tick), this.options.syncMs ?? 5000);
    };
    tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.syncing;
    await Promise.all([...this.watched.values()].map((w) => w.source.stop()));
    this.watched.clear();
  }

  /** Starts a source for each `files` trigger of the workflows' latest versions and stops the ones no longer declared (one sync at a time). @throws database errors */
  sync(): Promise<void> {
    const run = this.chain.then(() => this.syncNow());
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async syncNow(): Promise<void> {
    const latest = new Map<string, number>();
    for (const v of await this.registry.list()) latest.set(v.name, Math.max(latest.get(v.name) ?? 0, v.version));
    const wanted = new Set<string>();
    for (const [name, version] of latest) {
      const definition = await this.registry.get(name, version);
      for (const t of (definition.triggers ?? []).filter((x): x is FileTrigger => x.kind === 'files')) {
        const id = `${name}:${t.id}`;
        wanted.add(id);
        const w = this.watched.get(id);
        if (w && w.dir === t.dir && w.pattern === t.pattern && w.version === version) continue;
        await w?.source.stop();
        const source = this.options.sourceFor?.(t) ?? new DirectorySource(t.dir, { pattern: t.pattern, pollMs: this.options.pollMs, stableMs: this.options.stableMs });
        this.watched.set(id, { source, dir: t.dir, pattern: t.pattern, version });
        source.start((landing) => this.land(id, name, version, landing));
        log('info', 'files', `watching ${source.name} (${t.pattern}) for ${id}`);
      }
    }
    for (const [id, w] of this.watched) {
      if (wanted.has(id)) continue;
      await w.source.stop();
      this.watched.delete(id);
    }
  }

  /** Starts the case of a landing (nothing when its content already started one). @throws what the case handler throws (the source reports it again) */
  private async land(triggerId: string, workflow: string, version: number, landing: Landing): Promise<void> {
    const definition = await this.registry.get(workflow, version);
    const key = `file:${landing.sha256}`;
    const caseId = caseIdFor({ workflow, key, triggerId: key });
    const input = { path: landing.path, name: landing.name, size: landing.size, sha256: landing.sha256, landedAt: new Date(landing.landedAt).toISOString() };
    await this.handler.handle(caseId, { type: 'StartCase', data: { caseId, input, key, triggeredBy: 'file' } }, {
      consumer: 'files', messageId: `file:${workflow}:${landing.sha256}`, workflow: definition,
    });
    this.landings.inc({ trigger: triggerId });
  }
}
