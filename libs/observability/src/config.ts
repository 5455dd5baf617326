/**
 * A service's environment, declared as a schema and checked at boot by ajv (a JSON Schema with
 * `coerceTypes` and `useDefaults`). ajv because it is already the tree's validator (workflow
 * definitions, contracts), so configuration adds no dependency, and a JSON Schema is data the
 * README tables can be checked against; the part here only maps ajv's errors to one line per
 * variable: `BATON_CONSUMER_MAX_RETRY_MS: expected a positive integer (ms), got "abc"`.
 */
import Ajv from 'ajv';

/** One environment variable. Values are trimmed; an empty one counts as unset. */
export type EnvVar =
  | { type: 'integer'; minimum: number; maximum?: number; default: number; unit?: string; description: string }
  | { type: 'number'; minimum: number; default: number; unit?: string; description: string }
  | { type: 'boolean'; default: boolean; description: string }
  | { type: 'string'; default?: string; required?: true; pattern?: string; expected?: string; description: string };

/** Variables by name. */
export type EnvSchema = Record<string, EnvVar>;

/** What {@link readEnv} returns for a schema: numbers, booleans, and strings (`undefined` when unset without a default). */
export type EnvValues<S extends EnvSchema> = {
  [K in keyof S]: S[K] extends { type: 'integer' | 'number' } ? number
    : S[K] extends { type: 'boolean' } ? boolean
      : S[K] extends { default: string } | { required: true } ? string : string | undefined;
};

/** The environment did not fit its schema: one line per variable in `problems`, all of them in the message. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

const ajv = new Ajv({ coerceTypes: true, useDefaults: true, allErrors: true, strict: true });
const compiled = new WeakMap<EnvSchema, ReturnType<typeof ajv.compile>>();

function jsonSchemaOf(schema: EnvSchema): object {
  const properties: Record<string, object> = {};
  for (const [name, v] of Object.entries(schema)) {
    const { description } = v;
    if (v.type === 'string') properties[name] = { type: 'string', description, ...(v.default !== undefined && { default: v.default }), ...(v.pattern && { pattern: v.pattern }) };
    else if (v.type === 'boolean') properties[name] = { type: 'boolean', description, default: v.default };
    else properties[name] = { type: v.type, description, default: v.default, minimum: v.minimum, ...('maximum' in v && v.maximum !== undefined && { maximum: v.maximum }) };
  }
  const required = Object.entries(schema).filter(([, v]) => v.type === 'string' && v.required).map(([n]) => n);
  return { type: 'object', properties, required };
}

/** What a variable must look like, in words: `a positive integer (ms)`, `true or false`, ... */
export function expectation(v: EnvVar): string {
  const unit = 'unit' in v && v.unit ? ` (${v.unit})` : '';
  switch (v.type) {
    case 'boolean': return 'true or false';
    case 'string': return v.expected ?? (v.pattern ? `a value matching /${v.pattern}/` : 'a value');
    case 'number': return `a ${v.minimum === 0 ? 'non-negative' : `at least ${v.minimum}`} number${unit}`;
    case 'integer':
      if (v.maximum !== undefined) return `an integer from ${v.minimum} to ${v.maximum}${unit}`;
      return `${v.minimum === 1 ? 'a positive integer' : v.minimum === 0 ? 'a non-negative integer' : `an integer of at least ${v.minimum}`}${unit}`;
  }
}

/**
 * Reads and checks the variables of `schema` from `env`, with their defaults.
 * Booleans accept `true`, `false`, `1` and `0`.
 * @throws ConfigError naming each variable that is missing or malformed, the expectation and the value
 */
export function readEnv<S extends EnvSchema>(schema: S, env: NodeJS.ProcessEnv = process.env): EnvValues<S> {
  let validate = compiled.get(schema);
  if (!validate) { validate = ajv.compile(jsonSchemaOf(schema)); compiled.set(schema, validate); }
  const raw: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(schema)) {
    const value = env[name]?.trim();
    if (value === undefined || value === '') continue;
    raw[name] = env[name]!;
    values[name] = v.type === 'boolean' && (value === '1' || value === '0') ? value === '1' : value;
  }
  if (validate(values)) return values as EnvValues<S>;
  const problems = new Map<string, string>();
  for (const e of validate.errors ?? []) {
    const name = e.instancePath.slice(1) || String(e.params.missingProperty ?? '');
    const v = schema[name];
    if (!v || problems.has(name)) continue;
    problems.set(name, name in raw ? `${name}: expected ${expectation(v)}, got ${JSON.stringify(raw[name])}` : `${name}: is required (${v.description})`);
  }
  throw new ConfigError([...problems.values()]);
}

/**
 * How a service authenticates to Kafka (read by `@baton/kafka` `createKafka`; docs/SECURITY.md, "Kafka"):
 * explicit SASL credentials, else the local broker's credentials file for a principal.
 */
export const KAFKA_AUTH_ENV = {
  KAFKA_SASL_MECHANISM: { type: 'string', pattern: '^(scram-sha-512|scram-sha-256|plain)$', expected: 'scram-sha-512, scram-sha-256 or plain', default: 'scram-sha-512', description: 'SASL mechanism' },
  KAFKA_SASL_USERNAME: { type: 'string', description: 'the Kafka principal (SASL user); with KAFKA_SASL_PASSWORD' },
  KAFKA_SASL_PASSWORD: { type: 'string', description: 'its password' },
  BATON_KAFKA_CREDENTIALS: { type: 'string', description: 'the local broker\'s credentials file (default $BATON_HOME/kafka/credentials.json), used when KAFKA_SASL_USERNAME is unset' },
  BATON_KAFKA_PRINCIPAL: { type: 'string', description: 'the principal taken from the credentials file (default: the service\'s own)' },
} as const satisfies EnvSchema;

/** The variables every Baton service reads alike: `KAFKA_BROKERS`, `BATON_TOPIC_NAMESPACE` and `HOST`; spread into a service's schema. */
export const COMMON_ENV = {
  KAFKA_BROKERS: { type: 'string', default: '127.0.0.1:9092', description: 'bootstrap brokers, comma-separated host:port' },
  BATON_TOPIC_NAMESPACE: { type: 'string', default: '', description: 'prefix of every topic' },
  HOST: { type: 'string', default: '127.0.0.1', description: 'interface the HTTP server binds (0.0.0.0 in a container)' },
  ...KAFKA_AUTH_ENV,
} as const satisfies EnvSchema;
