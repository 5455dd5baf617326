import type { ContractRegistry, ContractSync, ContractVersion } from '@baton/definitions';
import { ValidationProblem } from '../errors/validation-problem';
import { ResourceNotFound } from '../errors/resource-not-found';

/** The largest value of a Postgres `integer` (int4): versions and ids are stored as one. */
const INT4_MAX = 2_147_483_647;

/**
 * The registry's routes' logic: register (then teach the gateway's own catalog at once) and read
 * versions, with Confluent's path parameters (`latest`, decimal ids) checked against int4.
 */
export class ContractAdmin {
  constructor(readonly registry: ContractRegistry, private readonly sync: ContractSync) {}

  /** @throws InvalidContractError, IncompatibleContractError (see `ContractRegistry.register`) */
  async register(subject: string, schema: string): Promise<ContractVersion & { created: boolean }> {
    const v = await this.registry.register(schema, subject);
    await this.sync.refresh();
    return v;
  }

  /** @throws ResourceNotFound when the subject has no version */
  async versionsOf(subject: string): Promise<ContractVersion[]> {
    const all = await this.registry.versionsOf(subject);
    if (all.length === 0) throw new ResourceNotFound('subject', subject);
    return all;
  }

  /** @throws ValidationProblem for a version that is neither `latest` nor an int4 above 0; ResourceNotFound */
  async version(subject: string, version: string): Promise<ContractVersion> {
    const n = version === 'latest' ? 'latest' : positiveInt4('version', version);
    const v = await this.registry.version(subject, n);
    if (!v) throw new ResourceNotFound('subject', subject, `no version ${version}`);
    return v;
  }

  /** @throws ValidationProblem for an id that is not an int4 above 0; ResourceNotFound */
  async byId(id: string): Promise<ContractVersion> {
    const v = await this.registry.byId(positiveInt4('id', id));
    if (!v) throw new ResourceNotFound('schema', id);
    return v;
  }
}

function positiveInt4(field: string, text: string): number {
  const n = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= INT4_MAX)) throw ValidationProblem.of(field, `must be an integer from 1 to ${INT4_MAX}, got '${text.slice(0, 40)}'`);
  return n;
}
