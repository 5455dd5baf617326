import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stepSchemaNames } from '@baton/contracts';
import { StepConfigurationError } from './step-configuration-error';

/**
 * Publishes the contracts of a step team's own step types to the contract registry, over the
 * gateway's Confluent-compatible API (`POST /subjects/{record full name}/versions`), before the
 * consumer starts. Only types whose `steps/<type>/{input,output}.avsc` are in `dir` are sent (the
 * built-in ones live in Baton's `contracts/`). Registering an unchanged schema again is harmless.
 *
 * @param registryUrl - the gateway's base URL, e.g. `http://127.0.0.1:3000`
 * @param credential - headers that authenticate the step service as an `admin` (`Authorization: Bearer`, or `X-API-Key`; docs/SECURITY.md)
 * @throws StepConfigurationError when the registry refuses a schema (its message names the field) or cannot be reached
 * @internal
 */
export async function registerContracts(registryUrl: string, dir: string, types: readonly string[], credential: Record<string, string> = {}): Promise<string[]> {
  const registered: string[] = [];
  for (const type of types) {
    const names = stepSchemaNames(type);
    for (const part of ['input', 'output'] as const) {
      const file = join(dir, 'steps', type, `${part}.avsc`);
      if (!existsSync(file)) continue;
      const url = `${registryUrl.replace(/\/$/, '')}/subjects/${encodeURIComponent(names[part])}/versions`;
      let res: Response;
      try {
        res = await fetch(url, { method: 'POST', headers: { ...credential, 'content-type': 'application/vnd.schemaregistry.v1+json' }, body: JSON.stringify({ schema: readFileSync(file, 'utf8'), schemaType: 'AVRO' }) });
      } catch (e) {
        throw new StepConfigurationError(`registering the contract ${names[part]} at ${url}: ${(e as Error).message}`);
      }
      if (!res.ok) {
        const body = await res.text();
        let detail = body;
        try { detail = (JSON.parse(body) as { detail?: string }).detail ?? body; } catch { /* not JSON */ }
        throw new StepConfigurationError(`the contract registry refused ${file} (HTTP ${res.status}): ${detail}`);
      }
      registered.push(names[part]);
    }
  }
  return registered;
}
