import { brokersFromEnv } from '@baton/kafka';
import { COMMON_ENV, readEnv, type EnvSchema } from '@baton/observability';

/** Everything the gateway reads from its environment, read once at start-up. */
export interface GatewayConfig {
  /** Owner connection (`DATABASE_URL`): used as is only for migrations (`BATON_MIGRATE=true`). */
  databaseUrl: string;
  /** Connection the gateway runs on (`BATON_SERVICE_DATABASE_URL`); default the `baton_gateway` role on the same server (reads events and projections, registers definitions and contracts). */
  serviceDatabaseUrl?: string;
  brokers: string[];
  /** HTTP port (`PORT`, default 3000); 0 picks a free one. */
  httpPort: number;
  /** Interface to listen on (`HOST`, default 127.0.0.1). */
  host: string;
  /** Topic namespace (`BATON_TOPIC_NAMESPACE`), empty for the contract's names. */
  topicNamespace: string;
  /** Run the migrations at start-up (`BATON_MIGRATE`, default false: the orchestrator owns them). */
  migrate: boolean;
  /** Postgres pool size (`BATON_DB_POOL`, default 10). */
  poolSize: number;
  /** How often the catalog looks for contracts registered elsewhere (`BATON_CONTRACT_POLL_MS`, default 5 000 ms); a miss looks at once. */
  contractPollMs: number;
  /** Authentication and quotas (docs/SECURITY.md). */
  auth: AuthConfig;
}

/** Who the gateway trusts, and the per-tenant quota. */
export interface AuthConfig {
  /** `BATON_DEV_ISSUER_DIR`: the development issuer's key directory; unset: no development issuer. */
  devIssuerDir?: string;
  /** `BATON_OIDC_ISSUER`: the OIDC issuer whose tokens are accepted (its discovery document names the JWKS). */
  oidcIssuer?: string;
  /** `BATON_OIDC_JWKS_URL`: the JWKS, when discovery should not be used. */
  oidcJwksUrl?: string;
  /** `BATON_OIDC_AUDIENCE` (default `baton`): the `aud` every token must carry. */
  audience: string;
  /** `BATON_OIDC_ROLES_CLAIM` / `BATON_OIDC_TENANT_CLAIM` (default `roles` / `tenant`). */
  rolesClaim: string;
  tenantClaim: string;
  /** `BATON_TENANT_CASES_PER_SECOND` (default 50) and `BATON_TENANT_CASES_BURST` (default 100). */
  casesPerSecond: number;
  casesBurst: number;
}

/** The gateway's environment (README.md, "Environment"), checked at boot. */
export const GATEWAY_ENV = {
  DATABASE_URL: { type: 'string', required: true, expected: 'a PostgreSQL URL', description: 'the PostgreSQL of the projections, the registry and the events' },
  BATON_SERVICE_DATABASE_URL: { type: 'string', expected: 'a PostgreSQL URL', description: 'the connection the gateway runs on' },
  ...COMMON_ENV,
  PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 3000, description: 'HTTP port' },
  BATON_MIGRATE: { type: 'boolean', default: false, description: 'run the migrations at start-up' },
  BATON_DB_POOL: { type: 'integer', minimum: 1, default: 10, description: 'Postgres pool size' },
  BATON_CONTRACT_POLL_MS: { type: 'integer', minimum: 1, default: 5000, unit: 'ms', description: 'how often the catalog reads the contract registry' },
  BATON_DEV_ISSUER_DIR: { type: 'string', expected: 'a directory', description: 'the development issuer (key pair kept there, tokens minted at /dev-issuer/token); never in a deployment' },
  BATON_OIDC_ISSUER: { type: 'string', pattern: '^https?://', expected: 'an http(s) issuer URL', description: 'the OIDC issuer whose tokens are accepted' },
  BATON_OIDC_JWKS_URL: { type: 'string', pattern: '^https?://', expected: 'an http(s) URL', description: "the issuer's JWKS (default: from its discovery document)" },
  BATON_OIDC_AUDIENCE: { type: 'string', default: 'baton', description: 'the audience every token must name' },
  BATON_OIDC_ROLES_CLAIM: { type: 'string', default: 'roles', description: 'the claim holding the roles' },
  BATON_OIDC_TENANT_CLAIM: { type: 'string', default: 'tenant', description: 'the claim holding the tenant' },
  BATON_TENANT_CASES_PER_SECOND: { type: 'integer', minimum: 1, default: 50, description: 'cases per second one tenant may start (POST /cases)' },
  BATON_TENANT_CASES_BURST: { type: 'integer', minimum: 1, default: 100, description: 'cases one tenant may start at once before the rate applies' },
} as const satisfies EnvSchema;

/**
 * Reads the configuration ({@link GATEWAY_ENV}).
 * @throws ConfigError naming each variable that is missing or malformed
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const e = readEnv(GATEWAY_ENV, env);
  return {
    databaseUrl: e.DATABASE_URL,
    ...(e.BATON_SERVICE_DATABASE_URL ? { serviceDatabaseUrl: e.BATON_SERVICE_DATABASE_URL } : {}),
    brokers: brokersFromEnv({ KAFKA_BROKERS: e.KAFKA_BROKERS }),
    httpPort: e.PORT,
    host: e.HOST,
    topicNamespace: e.BATON_TOPIC_NAMESPACE,
    migrate: e.BATON_MIGRATE,
    poolSize: e.BATON_DB_POOL,
    contractPollMs: e.BATON_CONTRACT_POLL_MS,
    auth: {
      ...(e.BATON_DEV_ISSUER_DIR ? { devIssuerDir: e.BATON_DEV_ISSUER_DIR } : {}),
      ...(e.BATON_OIDC_ISSUER ? { oidcIssuer: e.BATON_OIDC_ISSUER } : {}),
      ...(e.BATON_OIDC_JWKS_URL ? { oidcJwksUrl: e.BATON_OIDC_JWKS_URL } : {}),
      audience: e.BATON_OIDC_AUDIENCE, rolesClaim: e.BATON_OIDC_ROLES_CLAIM, tenantClaim: e.BATON_OIDC_TENANT_CLAIM,
      casesPerSecond: e.BATON_TENANT_CASES_PER_SECOND, casesBurst: e.BATON_TENANT_CASES_BURST,
    },
  };
}
