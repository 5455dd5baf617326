/**
 * The contract registry: step teams' Avro schemas stored durably in Postgres (`contract_schemas`),
 * every version of every subject, each checked for backward compatibility against every earlier
 * version (the rule of `contracts:check --transitive`). Its shapes follow the subject/version/id
 * model of the Confluent Schema Registry REST API (subject = the record's full name, the
 * RecordNameStrategy), so the gateway can serve that API over it.
 */
import type { Pool } from 'pg';
import { createType, fingerprintToHex, typeFingerprint } from '@baton/avro';
import { checkCompatibility } from '@baton/contracts';
import type { Queryable } from '../registry';
import { IncompatibleContractError, InvalidContractError } from './errors';

/** One stored schema version. */
export interface ContractVersion {
  /** Global id, unique across subjects (Confluent's schema id). */
  id: number;
  /** The record's full name, e.g. `baton.steps.user_welcome.Input`. */
  subject: string;
  /** 1, 2, ... per subject. */
  version: number;
  /** CRC-64-AVRO fingerprint of the Parsing Canonical Form, 16 hex digits in wire order. */
  fingerprint: string;
  /** The schema JSON as registered (defaults, docs and all). */
  schema: object;
}

/** Options of {@link ContractRegistry}. */
export interface ContractRegistryOptions {
  /**
   * Schemas of a name that exist outside the registry (the built-in `contracts/`), checked as
   * earlier versions; default none.
   */
  builtIn?: (name: string) => object | undefined;
}

/** Full names the registry never stores: the built-in envelopes stay in `contracts/`. */
const RESERVED_NAMESPACE = 'baton.v1.';

interface Row { id: number; subject: string; version: number; fingerprint: string; schema: object }

/** Reads and writes `contract_schemas`. Safe to use from several processes at once. */
export class ContractRegistry {
  constructor(private readonly pool: Pool, private readonly options: ContractRegistryOptions = {}) {}

  /**
   * Registers a schema version. Registering a schema already stored (same fingerprint) returns
   * it unchanged. Concurrent registrations of one subject are serialised (an advisory lock).
   *
   * @param schema - schema JSON (text or parsed) of a named record, enum or fixed
   * @param subject - when given, must equal the schema's full name (Confluent's path parameter)
   * @throws InvalidContractError for a schema that does not parse, is anonymous, is in `baton.v1`, or does not match `subject`
   * @throws IncompatibleContractError naming each field, when an earlier version cannot be read
   */
  async register(schema: string | object, subject?: string): Promise<ContractVersion & { created: boolean }> {
    let json: object;
    let type;
    try {
      json = typeof schema === 'string' ? JSON.parse(schema) as object : schema;
      type = createType(json);
    } catch (e) {
      throw new InvalidContractError(subject, (e as Error).message);
    }
    const name = type.name;
    if (!name) throw new InvalidContractError(subject, `only named schemas (record, enum, fixed) can be registered, got ${type.typeName}`);
    if (subject !== undefined && subject !== name) throw new InvalidContractError(subject, `the schema declares ${name}; a subject is the record's full name`);
    if (name.startsWith(RESERVED_NAMESPACE)) throw new InvalidContractError(name, `the namespace baton.v1 holds Baton's built-in contracts, which live in contracts/`);
    const fingerprint = fingerprintToHex(typeFingerprint(type));
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`contract:${name}`]);
      const earlier = await this.versionsOf(name, client);
      const same = earlier.find((v) => v.fingerprint === fingerprint);
      if (same) {
        await client.query('COMMIT');
        return { ...same, created: false };
      }
      const builtIn = this.options.builtIn?.(name);
      if (builtIn) refuseIncompatible(builtIn, json, name, 'built-in');
      for (const v of earlier) refuseIncompatible(v.schema, json, name, v.version);
      const version = (earlier.at(-1)?.version ?? 0) + 1;
      const inserted = await client.query<{ id: number }>(
        'INSERT INTO contract_schemas (subject, version, fingerprint, schema) VALUES ($1, $2, $3, $4) RETURNING id',
        [name, version, fingerprint, JSON.stringify(json)],
      );
      await client.query('COMMIT');
      return { id: inserted.rows[0]!.id, subject: name, version, fingerprint, schema: json, created: true };
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  /** Every subject with at least one version, sorted. */
  async subjects(): Promise<string[]> {
    const r = await this.pool.query<{ subject: string }>('SELECT DISTINCT subject FROM contract_schemas ORDER BY subject');
    return r.rows.map((x) => x.subject);
  }

  /** Every version of a subject, oldest first (empty when unknown). */
  async versionsOf(subject: string, db: Queryable = this.pool): Promise<ContractVersion[]> {
    const r = await db.query<Row>('SELECT id, subject, version, fingerprint, schema FROM contract_schemas WHERE subject = $1 ORDER BY version', [subject]);
    return r.rows;
  }

  /** One version of a subject, or its latest; undefined when there is none. */
  async version(subject: string, version: number | 'latest'): Promise<ContractVersion | undefined> {
    const all = await this.versionsOf(subject);
    return version === 'latest' ? all.at(-1) : all.find((v) => v.version === version);
  }

  /** A version by global id; undefined when there is none. */
  async byId(id: number): Promise<ContractVersion | undefined> {
    const r = await this.pool.query<Row>('SELECT id, subject, version, fingerprint, schema FROM contract_schemas WHERE id = $1', [id]);
    return r.rows[0];
  }

  /** Every version registered after global id `afterId`, in registration order: what a catalog has not yet seen. */
  async since(afterId: number): Promise<ContractVersion[]> {
    const r = await this.pool.query<Row>('SELECT id, subject, version, fingerprint, schema FROM contract_schemas WHERE id > $1 ORDER BY id', [afterId]);
    return r.rows;
  }
}

function refuseIncompatible(oldSchema: object, newSchema: object, subject: string, version: number | 'built-in'): void {
  const verdict = checkCompatibility(oldSchema, newSchema);
  if (verdict.status === 'incompatible') throw new IncompatibleContractError(subject, version, verdict.reasons);
}
