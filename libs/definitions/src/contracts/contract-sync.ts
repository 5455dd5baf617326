/**
 * Keeps a service's schema catalog in step with the contract registry, without a restart: it
 * loads every stored version at start, polls for new ones, and looks the registry up at once on a
 * miss (an unknown name or fingerprint), so a step type registered a second ago is usable now.
 */
import { readHeader, type SchemaCatalog } from '@baton/avro';
import { stepSchemaNames } from '@baton/contracts';
import type { ContractRegistry } from './contract-registry';

/** Options of {@link ContractSync}. */
export interface ContractSyncOptions {
  /** How often to look for versions registered elsewhere, ms; default 5 000. 0: never (misses still look). */
  pollMs?: number;
  /** Called when a poll fails (the database is down); default: ignored, the next poll retries. */
  onError?: (error: Error) => void;
}

/**
 * Teaches a `SchemaCatalog` every version in the registry, in registration order (so the latest
 * version of a subject is its current one). Concurrent refreshes share one query.
 */
export class ContractSync {
  private lastId = 0;
  private inFlight: Promise<number> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly registry: ContractRegistry, readonly catalog: SchemaCatalog, private readonly options: ContractSyncOptions = {}) {}

  /**
   * Registers in the catalog every version stored since the last refresh.
   * @returns how many versions were new to this catalog
   */
  refresh(): Promise<number> {
    this.inFlight ??= (async () => {
      try {
        const rows = await this.registry.since(this.lastId);
        for (const row of rows) {
          this.catalog.register(row.schema);
          this.lastId = row.id;
        }
        return rows.length;
      } finally {
        this.inFlight = undefined;
      }
    })();
    return this.inFlight;
  }

  /** Refreshes when any of these full names is not in the catalog yet. */
  async ensureNames(names: readonly string[]): Promise<void> {
    if (names.some((n) => !this.catalog.has(n))) await this.refresh();
  }

  /** Refreshes when any of these step types lacks an input or output record in the catalog. */
  async ensureStepTypes(types: readonly string[]): Promise<void> {
    await this.ensureNames(types.flatMap((t) => Object.values(stepSchemaNames(t))));
  }

  /** Refreshes when the writer fingerprint of this single-object message is unknown (a malformed header is left to the decoder). */
  async ensureWriterOf(buf: Buffer): Promise<void> {
    let fingerprint: bigint;
    try {
      fingerprint = readHeader(buf).fingerprint;
    } catch {
      return;
    }
    if (!this.catalog.byFingerprint(fingerprint)) await this.refresh();
  }

  /** Starts polling every `pollMs` (no-op when 0). */
  start(): void {
    const ms = this.options.pollMs ?? 5000;
    if (ms <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      this.refresh().catch((e: Error) => this.options.onError?.(e));
    }, ms);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
