import { hostname } from 'node:os';
import { Module, type DynamicModule } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { SchemaCatalog } from '@baton/avro';
import { ClaimCheck, claimStoreFrom, type ClaimStore } from '@baton/claims';
import { DEFAULT_CLAIM_THRESHOLD_BYTES, loadContracts, topicNames } from '@baton/contracts';
import { brokersFromEnv, createKafka } from '@baton/kafka';
import { COMMON_ENV, KAFKA_AUTH_ENV, createMetricsRegistry, ObservabilityModule, readEnv, startTelemetry, type EnvSchema } from '@baton/observability';
import { bindHandlers, defaultGroupId, handlerProviders, handlerTypes } from './bind-handlers';
import { registerContracts } from './register-contracts';
import type { StepModuleOptions } from './step-module-options';
import { StepRuntime } from './step-runtime';
import { STEP_METRICS_REGISTRY } from './step-tokens';
import { StepMetrics } from './worker/step-metrics';
import { StepWorker } from './worker/step-worker';

/** Kafka session timeout of a step service when neither the options nor `BATON_KAFKA_SESSION_TIMEOUT_MS` set one, ms. */
export const DEFAULT_SESSION_TIMEOUT_MS = 10_000;

/** What a step service's `StepModule` reads from its environment where its options leave a value unset; checked at start-up. */
export const STEP_SDK_ENV = {
  KAFKA_BROKERS: COMMON_ENV.KAFKA_BROKERS,
  BATON_TOPIC_NAMESPACE: COMMON_ENV.BATON_TOPIC_NAMESPACE,
  ...KAFKA_AUTH_ENV,
  BATON_REGISTRY_URL: { type: 'string', pattern: '^https?://', expected: 'an http(s) URL of the gateway', description: 'where the contracts are published' },
  BATON_REGISTRY_TOKEN: { type: 'string', expected: 'a bearer token (JWT)', description: 'the credential contracts are published with (an admin token)' },
  BATON_REGISTRY_API_KEY: { type: 'string', expected: 'an API key', description: 'the credential contracts are published with, instead of a token (an admin key)' },
  BATON_KAFKA_SESSION_TIMEOUT_MS: { type: 'integer', minimum: 1, default: DEFAULT_SESSION_TIMEOUT_MS, unit: 'ms', description: 'Kafka consumer session timeout' },
  BATON_CLAIM_STORE: { type: 'string', description: 'the claim store (claim check): a PostgreSQL URL (its claims table) or a directory; without it large inputs cannot be read nor large outputs sent' },
  BATON_CLAIM_THRESHOLD_BYTES: { type: 'integer', minimum: 1, default: DEFAULT_CLAIM_THRESHOLD_BYTES, unit: 'bytes', description: 'outputs longer than this travel by claim check' },
} as const satisfies EnvSchema;

/**
 * The step SDK's entry point: registers the handler classes (and `stepHandler` functions) as
 * providers (so they get their dependencies) and runs one step consumer over their step topics.
 *
 * It runs in any Nest app: an application context or an HTTP app start the consumer on bootstrap;
 * an app with a `StepTransport` (`createMicroservice`, `connectMicroservice`) lets the transport
 * start it. With `observability` (default) an HTTP app serves the `baton_step_*` metrics on `/metrics`.
 *
 * @example
 * \@Module({ imports: [StepModule.forRoot({ handlers: [Classify], providers: [ModelClient] })] })
 * export class StepsModule {}
 */
@Module({})
export class StepModule {
  /**
   * @throws StepConfigurationError when a handler class (or function) lacks `@StepHandler`, two handle one type, or (at
   *   start-up) a type has no contract, or the contract registry refuses one of `contracts`;
   *   ConfigError (at start-up) naming a malformed variable of {@link STEP_SDK_ENV}
   */
  static forRoot(options: StepModuleOptions): DynamicModule {
    const types = handlerTypes(options.handlers);
    const handlers = handlerProviders(options.handlers);
    const registry = options.registry ?? createMetricsRegistry(options.service ?? 'baton-steps');
    const holder: { runtime?: StepRuntime } = {};
    const runtime = {
      provide: StepRuntime,
      inject: [ModulesContainer, ...handlers.tokens],
      useFactory: async (modules: ModulesContainer, ...instances: unknown[]): Promise<StepRuntime> => {
        // Every step service traces when OTEL_* asks for it (off otherwise); a no-op if the app started it already.
        startTelemetry(options.service ?? 'baton-steps');
        const env = readEnv(STEP_SDK_ENV);
        const catalog = options.catalog ?? loadContracts();
        if (options.contracts !== undefined) {
          loadContracts({ dir: options.contracts, catalog });
          const registryUrl = options.registryUrl ?? env.BATON_REGISTRY_URL;
          if (registryUrl) {
            const credential: Record<string, string> = env.BATON_REGISTRY_TOKEN ? { authorization: `Bearer ${env.BATON_REGISTRY_TOKEN}` } : env.BATON_REGISTRY_API_KEY ? { 'x-api-key': env.BATON_REGISTRY_API_KEY } : {};
            await registerContracts(registryUrl, options.contracts, types, credential);
          }
        }
        const namespace = options.namespace ?? env.BATON_TOPIC_NAMESPACE;
        const worker = new StepWorker({
          kafka: options.kafka ?? createKafka({ clientId: options.clientId ?? 'baton-steps', principal: options.service ?? 'baton-steps', brokers: options.brokers ?? brokersFromEnv({ KAFKA_BROKERS: env.KAFKA_BROKERS }) }),
          catalog,
          topics: topicNames(namespace),
          groupId: options.groupId ?? defaultGroupId(types, namespace),
          handlers: bindHandlers(catalog, types, instances),
          metrics: new StepMetrics(registry),
          worker: options.worker ?? `${hostname()}/${process.pid}`,
          concurrency: options.concurrency ?? 8,
          partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 3,
          heartbeatIntervalMs: options.heartbeatIntervalMs ?? 1000,
          finishedAttemptsCacheSize: options.finishedAttemptsCacheSize ?? 10_000,
          ensureTopics: options.ensureTopics ?? true,
          ...(options.topicPlan && { topicPlan: options.topicPlan }),
          fromBeginning: options.fromBeginning ?? true,
          sessionTimeoutMs: options.sessionTimeoutMs ?? env.BATON_KAFKA_SESSION_TIMEOUT_MS,
          ...(options.onCrash && { onCrash: options.onCrash }),
          ...claimCheckOf(catalog, options.claims ?? (env.BATON_CLAIM_STORE ? claimStoreFrom(env.BATON_CLAIM_STORE) : undefined), options.claimThresholdBytes ?? env.BATON_CLAIM_THRESHOLD_BYTES),
        });
        holder.runtime = new StepRuntime(worker, modules.getRpcTargetRegistry());
        return holder.runtime;
      },
    };
    return {
      module: StepModule,
      imports: [
        ...(options.imports ?? []),
        ...(options.observability === false ? [] : [ObservabilityModule.forRoot({
          registry,
          readiness: { stepConsumer: async () => holder.runtime?.worker.isRunning() ?? false },
        })]),
      ],
      providers: [...(options.providers ?? []), ...handlers.providers, { provide: STEP_METRICS_REGISTRY, useValue: registry }, runtime],
      exports: [StepRuntime, STEP_METRICS_REGISTRY],
    };
  }
}

/** The worker's claim check, when a store is configured. */
function claimCheckOf(catalog: SchemaCatalog, store: ClaimStore | undefined, thresholdBytes: number): { claims?: ClaimCheck } {
  return store ? { claims: new ClaimCheck(catalog, store, { thresholdBytes }) } : {};
}
