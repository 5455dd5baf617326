import type { ModuleMetadata, Provider } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';
import type { SchemaCatalog } from '@baton/avro';
import type { ClaimStore } from '@baton/claims';
import type { TopicPlan } from '@baton/kafka';
import type { HandlerEntry } from './bind-handlers';

/** Options of `StepModule.forRoot`: the handlers and how this process consumes their step topics. */
export interface StepModuleOptions {
  /**
   * One handler per step type: classes decorated with `@StepHandler('<type>')` (they become
   * providers of the module and get their dependencies) and functions made by `stepHandler('<type>', fn)`.
   */
  handlers: HandlerEntry[];
  /** Modules whose exported providers the handlers inject (a model client's module, `ConfigModule`...). */
  imports?: ModuleMetadata['imports'];
  /** More providers the handlers inject, declared in the step module itself. */
  providers?: Provider[];
  /** Topic namespace (`topicNames(namespace)`): `<ns>.baton.step.<type>`; default `BATON_TOPIC_NAMESPACE` or none. */
  namespace?: string;
  /**
   * Consumer group; default `baton-step-<type>` (several types: `baton-step-<type>+<type>...`, sorted),
   * prefixed by `<namespace>.` when there is one. Every process serving the same types shares it.
   */
  groupId?: string;
  /** Bootstrap brokers; default `KAFKA_BROKERS`, else `127.0.0.1:9092`. Ignored when `kafka` is given. */
  brokers?: string[];
  /** A kafkajs client to use instead of creating one. */
  kafka?: Kafka;
  /** kafkajs client id; default `baton-steps`. */
  clientId?: string;
  /** The contracts; default `loadContracts()` (every schema under Baton's `contracts/schemas`). */
  catalog?: SchemaCatalog;
  /**
   * The team's own contracts folder, laid out as `steps/<type>/input.avsc` and `output.avsc`
   * (contracts/README.md): loaded into the catalog and, when `registryUrl` is set, registered in the
   * contract registry before the consumer starts (the service fails to start if a version is refused).
   */
  contracts?: string;
  /** The contract registry: the gateway's base URL; default `BATON_REGISTRY_URL`. Without it `contracts` are only loaded locally. */
  registryUrl?: string;
  /** Where the `baton_step_*` metrics go; default a new registry from `createMetricsRegistry(service)`. */
  registry?: Registry;
  /**
   * The `service` label of a registry the module creates, and the Kafka principal whose password the local broker's
   * credentials file gives when `KAFKA_SASL_USERNAME` is unset (deploy/kafka-acls.json's step teams); default `baton-steps`.
   */
  service?: string;
  /**
   * Serve `/metrics`, `/health/live` and `/health/ready` (`ObservabilityModule`) when the app
   * serves HTTP; default true. Turn off when the app mounts `ObservabilityModule` itself (pass it `registry`).
   */
  observability?: boolean;
  /** Cases whose requests run at once within a batch (one case's requests stay in order); default 8. */
  concurrency?: number;
  /** Partitions whose batches run at once; default 3. */
  partitionsConsumedConcurrently?: number;
  /** Least time between two heartbeats sent for one attempt, ms; default 1 000. */
  heartbeatIntervalMs?: number;
  /** Finished attempts remembered to drop duplicates (an LRU); default 10 000. */
  finishedAttemptsCacheSize?: number;
  /** Create missing step topics, their DLTs and the results topic at start; default true. */
  ensureTopics?: boolean;
  /** Partition counts for created topics; default `loadTopicPlan()` (`deploy/topics.json`). */
  topicPlan?: TopicPlan;
  /** Where a new group starts: true (default) reads requests sent before the first deployment. */
  fromBeginning?: boolean;
  /**
   * Kafka session timeout, ms; default `BATON_KAFKA_SESSION_TIMEOUT_MS`, else 10 000 (the broker's
   * floor is 6 000). A step service that dies holds its partitions this long before a restarted or
   * other instance takes them, so keep it well under the step timeouts (the default 30 s).
   */
  sessionTimeoutMs?: number;
  /** The `worker` field of results; default `<hostname>/<pid>`. */
  worker?: string;
  /**
   * The claim store (claim check): a request whose input arrives as a `baton.v1.ClaimReference` is
   * read from it before the handler runs, and an output longer than `claimThresholdBytes` is stored
   * in it and sent as a reference. Default `claimStoreFrom(BATON_CLAIM_STORE)` (a PostgreSQL URL or
   * a directory), else none: such an input then fails its attempt (`ClaimUnavailable`).
   */
  claims?: ClaimStore;
  /** Outputs longer than this many bytes travel by claim check; default `BATON_CLAIM_THRESHOLD_BYTES`, else 262 144 (256 KiB). */
  claimThresholdBytes?: number;
  /** Called when kafkajs gives up; default: log and exit so a supervisor restarts the process. */
  onCrash?: (error: Error) => void;
}
