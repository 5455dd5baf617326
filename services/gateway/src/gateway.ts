import type { Registry } from 'prom-client';
import type { SchemaCatalog } from '@baton/avro';
import { loadContracts, topicNames, type TopicNames } from '@baton/contracts';
import { ContractRegistry, ContractSync, DefinitionRegistry, migrateDefinitions } from '@baton/definitions';
import { createEventStore, gatewayUrl, migrate, type EventStore } from '@baton/event-store';
import { createKafka, ensureTopics, loadTopicPlan, MessageProducer, topicSpecs } from '@baton/kafka';
import { createMetricsRegistry, log } from '@baton/observability';
import { migrateProjections, ProjectionQueries } from '@baton/projections';
import type { Admin, Kafka } from 'kafkajs';
import { ApiKeys, DevIssuer, migrateAuth, localIssuer, oidcIssuer, TokenVerifier, type TrustedIssuer } from '@baton/auth';
import { Authenticator } from './auth/authenticator';
import { TenantQuota } from './auth/tenant-quota';
import { CaseReader } from './cases/case-reader';
import { ContractAdmin } from './contracts/contract-admin';
import { CaseStarter } from './cases/case-starter';
import { OperatorActions } from './cases/operator-actions';
import { CaseSignals } from './cases/case-signals';
import { CaseControlActions } from './cases/case-controls';
import type { GatewayConfig } from './config';
import { SignalPublisher } from './messaging/signal-publisher';
import { TriggerPublisher } from './messaging/trigger-publisher';
import { TaskInbox } from './tasks/task-inbox';
import { WorkflowAdmin } from './workflows/workflow-admin';
import { FlowControl } from './flow/flow-control';

/**
 * The gateway's composition root: every part the HTTP routes use, wired explicitly. Start:
 * the topics it writes (triggers, signals), then the producer. Stop: the producer, the admin
 * client, then the database pool.
 */
export class Gateway {
  readonly metricsRegistry: Registry;
  readonly topics: TopicNames;
  readonly cases: CaseReader;
  readonly starter: CaseStarter;
  readonly operator: OperatorActions;
  readonly caseSignals: CaseSignals;
  /** Pause, resume and reset of a case. */
  readonly controls: CaseControlActions;
  readonly tasks: TaskInbox;
  readonly workflows: WorkflowAdmin;
  readonly contracts: ContractAdmin;
  /** Limits, breakers, and resolving steps that wait for an operator. */
  readonly flow: FlowControl;
  /** Keeps `catalog` in step with the contract registry (start, poll, and at once on a miss). */
  readonly contractSync: ContractSync;
  /** Bearer tokens and API keys to principals (docs/SECURITY.md). */
  readonly authenticator: Authenticator;
  /** Cases per second per tenant on `POST /cases`. */
  readonly quota: TenantQuota;
  private readonly producer: MessageProducer;
  private readonly admin: Admin;
  private producerConnected = false;

  private constructor(readonly config: GatewayConfig, readonly store: EventStore, readonly catalog: SchemaCatalog, private readonly kafka: Kafka, readonly devIssuer: DevIssuer | undefined) {
    this.topics = topicNames(config.topicNamespace);
    this.metricsRegistry = createMetricsRegistry('gateway');
    const registry = new DefinitionRegistry(store.pool);
    const builtIn = loadContracts();
    const contractRegistry = new ContractRegistry(store.pool, { builtIn: (name) => (builtIn.has(name) ? builtIn.type(name).schema() as object : undefined) });
    this.contractSync = new ContractSync(contractRegistry, catalog, { pollMs: config.contractPollMs, onError: (e) => log('warn', 'gateway', `reading the contract registry: ${e.message}`) });
    this.contracts = new ContractAdmin(contractRegistry, this.contractSync);
    const queries = new ProjectionQueries(store.pool);
    this.producer = new MessageProducer(kafka);
    this.admin = kafka.admin();
    const signals = new SignalPublisher(this.producer, catalog, this.topics);
    this.cases = new CaseReader(queries, store);
    this.starter = new CaseStarter(registry, this.contractSync, queries, new TriggerPublisher(this.producer, catalog, this.topics));
    this.operator = new OperatorActions(queries, registry, signals, store);
    this.caseSignals = new CaseSignals(store, signals);
    this.controls = new CaseControlActions(queries, registry, signals);
    this.tasks = new TaskInbox(queries, catalog, signals);
    this.workflows = new WorkflowAdmin(registry, this.contractSync, kafka, this.topics);
    this.flow = new FlowControl(store, catalog, signals);
    const a = config.auth;
    const issuers: TrustedIssuer[] = [];
    if (devIssuer) issuers.push(localIssuer(devIssuer.issuer, a.audience, devIssuer.jwks));
    if (a.oidcIssuer) issuers.push(oidcIssuer(a.oidcIssuer, a.audience, { rolesClaim: a.rolesClaim, tenantClaim: a.tenantClaim, ...(a.oidcJwksUrl && { jwksUrl: a.oidcJwksUrl }) }));
    this.authenticator = new Authenticator(new TokenVerifier(issuers), new ApiKeys(store.pool));
    this.quota = new TenantQuota(a.casesPerSecond, a.casesBurst);
  }

  /** Connects to Postgres (migrating first when configured) and builds every part; starts nothing. */
  static async create(config: GatewayConfig): Promise<Gateway> {
    if (config.migrate) {
      await migrate(config.databaseUrl);
      await migrateDefinitions(config.databaseUrl);
      await migrateProjections(config.databaseUrl);
      await migrateAuth(config.databaseUrl);
    }
    const store = await createEventStore(config.serviceDatabaseUrl ?? gatewayUrl(config.databaseUrl), { poolSize: config.poolSize, applicationName: 'baton-gateway' });
    const kafka = createKafka({ clientId: 'baton-gateway', brokers: config.brokers, principal: 'baton-gateway' });
    const devIssuer = config.auth.devIssuerDir ? await DevIssuer.open(config.auth.devIssuerDir) : undefined;
    return new Gateway(config, store, loadContracts(), kafka, devIssuer);
  }

  /** Creates the topics the gateway writes (harmless when the orchestrator did already) and connects the producer. */
  async start(): Promise<void> {
    await ensureTopics(this.kafka, topicSpecs(loadTopicPlan(), [this.topics.triggers, this.topics.signals]));
    await this.contractSync.refresh();
    this.contractSync.start();
    await this.admin.connect();
    await this.producer.connect();
    this.producerConnected = true;
    log('info', 'gateway', `started: publishing to ${this.topics.triggers} and ${this.topics.signals}`);
  }

  async stop(): Promise<void> {
    this.producerConnected = false;
    this.contractSync.stop();
    await this.producer.disconnect().catch((e: Error) => log('warn', 'gateway', `disconnecting the producer: ${e.message}`));
    await this.admin.disconnect().catch(() => undefined);
    await this.store.close();
  }

  /** Readiness: Postgres answers a query. */
  async postgresReady(): Promise<boolean> {
    return (await this.store.pool.query('SELECT 1')).rowCount === 1;
  }

  /** Readiness: the producer is connected and the cluster answers a metadata request. */
  async kafkaReady(): Promise<boolean> {
    if (!this.producerConnected) return false;
    return (await this.admin.describeCluster()).brokers.length > 0;
  }
}
