import { createHash } from 'node:crypto';
import type { Pool, QueryResult, QueryResultRow } from 'pg';

/** A pool or a transaction: anything that runs a query. */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}
import { defineWorkflow, type WorkflowDefinition, type WorkflowDefinitionInput } from '@baton/workflow-engine';
import { DefinitionVersionConflict, WorkflowNotFound } from './errors';

/** A registered version as listed by {@link DefinitionRegistry.list}. */
export interface RegisteredWorkflow {
  name: string;
  version: number;
  checksum: string;
  registeredAt: Date;
}

/**
 * Workflow definitions by name and version, stored in Postgres. A version, once registered, never
 * changes, so compiled definitions are cached in memory for ever; a case pins the version it
 * started on and a new version never changes a case in flight.
 */
export class DefinitionRegistry {
  private readonly compiled = new Map<string, WorkflowDefinition>();

  constructor(private readonly pool: Pool) {}

  /**
   * Registers a validated definition. Registering the same content again is harmless.
   * @returns `created` false when this exact version was already there
   * @throws DefinitionVersionConflict when the version exists with other content
   */
  async register(definition: WorkflowDefinition): Promise<{ created: boolean; checksum: string }> {
    const checksum = checksumOf(definition.source);
    const inserted = await this.pool.query(
      `INSERT INTO workflow_definitions (name, version, definition, checksum) VALUES ($1, $2, $3, $4)
       ON CONFLICT (name, version) DO NOTHING`,
      [definition.name, definition.version, JSON.stringify(definition.source), checksum],
    );
    if (inserted.rowCount === 1) {
      this.compiled.set(key(definition.name, definition.version), definition);
      return { created: true, checksum };
    }
    const existing = await this.pool.query<{ checksum: string }>('SELECT checksum FROM workflow_definitions WHERE name = $1 AND version = $2', [definition.name, definition.version]);
    if (existing.rows[0]?.checksum !== checksum) throw new DefinitionVersionConflict(definition.name, definition.version);
    return { created: false, checksum };
  }

  /**
   * The compiled definition of a version, or of the newest version when `version` is omitted.
   * @param db - where to read on a cache miss: the pool, or an open transaction's connection
   *   (a caller inside a transaction must pass it, or it holds two connections at once)
   * @throws WorkflowNotFound
   */
  async get(name: string, version?: number, db: Queryable = this.pool): Promise<WorkflowDefinition> {
    if (version !== undefined) {
      const cached = this.compiled.get(key(name, version));
      if (cached) return cached;
    }
    const row = version === undefined
      ? await db.query<{ version: number; definition: WorkflowDefinitionInput }>('SELECT version, definition FROM workflow_definitions WHERE name = $1 ORDER BY version DESC LIMIT 1', [name])
      : await db.query<{ version: number; definition: WorkflowDefinitionInput }>('SELECT version, definition FROM workflow_definitions WHERE name = $1 AND version = $2', [name, version]);
    const found = row.rows[0];
    if (!found) throw new WorkflowNotFound(name, version);
    const cached = this.compiled.get(key(name, found.version));
    if (cached) return cached;
    const compiled = defineWorkflow(found.definition);
    this.compiled.set(key(name, found.version), compiled);
    return compiled;
  }

  /** Every registered version, newest first within a name; `name` narrows to one workflow. */
  async list(name?: string): Promise<RegisteredWorkflow[]> {
    const rows = await this.pool.query<{ name: string; version: number; checksum: string; registered_at: Date }>(
      `SELECT name, version, checksum, registered_at FROM workflow_definitions WHERE ($1::text IS NULL OR name = $1) ORDER BY name, version DESC`,
      [name ?? null],
    );
    return rows.rows.map((r) => ({ name: r.name, version: r.version, checksum: r.checksum, registeredAt: r.registered_at }));
  }
}

const key = (name: string, version: number) => `${name}@${version}`;

/** SHA-256 of the definition's JSON with object keys sorted, so formatting never counts as a change. */
export function checksumOf(source: WorkflowDefinitionInput): string {
  return createHash('sha256').update(stableJson(source)).digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
