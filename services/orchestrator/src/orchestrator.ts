import type { Registry } from 'prom-client';
import type { DecodedMessage, SchemaCatalog } from '@baton/avro';
import { ClaimCheck, claimStoreFrom, PostgresClaimStore } from '@baton/claims';
import { loadContracts, topicNames, type TopicNames } from '@baton/contracts';
import { ContractRegistry, ContractSync, DefinitionRegistry, migrateDefinitions, registerWorkflow, stepTopicsOf } from '@baton/definitions';
import { createEventStore, isPermanentDatabaseError, migrate, serviceUrl, type EventStore } from '@baton/event-store';
import {
  ConsumerRunner, createKafka, ensureTopics, loadTopicPlan, MessageProducer, topicSpecs,
  type ConsumedMessage,
} from '@baton/kafka';
import { createMetricsRegistry, log } from '@baton/observability';
import { migrateAuth } from '@baton/auth';
import { migrateProjections, ProjectionQueries, projectionLag, Projector } from '@baton/projections';
import type { WorkflowDefinition } from '@baton/workflow-engine';
import type { Kafka } from 'kafkajs';
import { AdmissionEdge } from './admission/admission-edge';
import { AdmissionMetrics } from './admission/admission-metrics';
import { Admitter } from './admission/admitter';
import type { OrchestratorConfig } from './config';
import { CaseHandler } from './handling/case-handler';
import { decodeCurrent, Inbound, type InboundTopic } from './handling/inbound';
import { InboundHandler } from './handling/inbound-handler';
import { Outbound } from './handling/outbound';
import { OrchestratorMetrics } from './metrics/orchestrator-metrics';
import { OutboxRelay } from './relay/outbox-relay';
import { HAND_OFF_LEASE_MS } from './relay/hand-off';
import { StuckCaseMonitor } from './stuck/stuck-case-monitor';
import { TimerLoop } from './timers/timer-loop';
import { ScheduleLoop } from './triggers/schedule-loop';
import { FileTriggers } from './triggers/file-triggers';

/**
 * The orchestrator's composition root: every part and the order they start and stop in, wired
 * explicitly. Start: migrations, topics, outbox relay, timer loop, projector, then the consumer
 * (so nothing is consumed before its effects can be published). Stop: the reverse, the consumers
 * first and the database pool last.
 *
 * Triggers, step results and signals are consumed by three runners in three consumer groups
 * (`<groupId>.triggers`, `.step-results`, `.signals`), so a slow or stuck trigger (a new case's
 * first transaction, a poison message being retried) never delays the results of running cases.
 */
export class Orchestrator {
  readonly metricsRegistry: Registry;
  readonly registry: DefinitionRegistry;
  readonly handler: CaseHandler;
  readonly relay: OutboxRelay;
  readonly timers: TimerLoop;
  /** Lets held requests of limited step types through (`admission/`). */
  readonly admission: Admitter;
  /** Fires the workflows' cron triggers (`triggers/`). */
  readonly schedules: ScheduleLoop;
  /** Starts cases for files landing in the directories of the workflows' `files` triggers (`triggers/`). */
  readonly files: FileTriggers;
  readonly projector: Projector | null;
  readonly stuck: StuckCaseMonitor;
  readonly queries: ProjectionQueries;
  readonly topics: TopicNames;
  /** Keeps `catalog` in step with the contract registry (start, poll, and at once on a miss). */
  readonly contractSync: ContractSync;
  /** The claim check: large step inputs, outputs and case event data travel by reference (`BATON_CLAIM_*`). */
  readonly claimCheck: ClaimCheck;
  /** One consumer runner per inbound topic, each in its own group. */
  readonly consumers: Readonly<Record<InboundTopic, ConsumerRunner<DecodedMessage>>>;
  private readonly producer: MessageProducer;

  private constructor(
    readonly config: OrchestratorConfig,
    readonly store: EventStore,
    readonly catalog: SchemaCatalog,
    private readonly kafka: Kafka,
  ) {
    this.topics = topicNames(config.topicNamespace);
    this.metricsRegistry = createMetricsRegistry('orchestrator');
    this.registry = new DefinitionRegistry(store.pool);
    this.queries = new ProjectionQueries(store.pool);
    const metrics = new OrchestratorMetrics(this.metricsRegistry, {
      stalls: () => Object.values(this.consumers).flatMap((c) => c.stalls()),
      outboxBacklog: () => store.outboxBacklog(),
      timersDue: () => store.dueCount(Date.now()),
      openTasksByQueue: () => this.queries.openTasksByQueue(),
      consumerLag: async () => (await Promise.all(Object.values(this.consumers).map((c) => c.lag()))).flat(),
      outboxOldestUnsentSeconds: () => store.outboxOldestUnsentSeconds(),
      timersOldestDueSeconds: () => store.oldestDueSeconds(Date.now()),
      projectionLag: async () => (config.projector ? projectionLag(store.pool) : null),
    });
    this.producer = new MessageProducer(kafka);
    this.relay = new OutboxRelay(store, this.producer, { pipeline: config.relayPipeline ?? false, onOversized: (row) => metrics.outboxOversized.inc({ topic: row.topic }) });
    const edge = new AdmissionEdge();
    this.claimCheck = new ClaimCheck(catalog, config.claimStore ? claimStoreFrom(config.claimStore) : new PostgresClaimStore(store.pool), { thresholdBytes: config.claimThresholdBytes });
    this.handler = new CaseHandler({ store, registry: this.registry, catalog, outbound: new Outbound(catalog, this.topics, config.instanceId, this.claimCheck), claims: this.claimCheck.store, metrics,
      onCommitted: (handOff) => this.relay.committed(handOff), ...(config.relayHandOff ?? true ? { handOffLeaseMs: HAND_OFF_LEASE_MS } : {}), topics: this.topics, admission: edge });
    this.admission = new Admitter({ store, handler: this.handler, edge, metrics: new AdmissionMetrics(this.metricsRegistry), catalog, topics: this.topics, onAdmitted: () => this.relay.wake() });
    this.timers = new TimerLoop(store, this.handler, { pollMs: config.timerPollMs });
    this.files = new FileTriggers(this.registry, this.handler, { metrics: this.metricsRegistry, pollMs: config.filePollMs, stableMs: config.fileStableMs });
    this.schedules = new ScheduleLoop(store, this.registry, this.handler, { catchupWindowMs: config.scheduleCatchupMs, pollMs: config.schedulePollMs, metrics: this.metricsRegistry });
    this.projector = config.projector ? new Projector(store) : null;
    this.stuck = new StuckCaseMonitor(store, { intervalMs: config.stuckCheckMs, gauge: metrics.casesStuck });
    this.contractSync = new ContractSync(new ContractRegistry(store.pool), catalog, { pollMs: config.contractPollMs, onError: (e) => log('warn', 'orchestrator', `reading the contract registry: ${e.message}`) });
    const inbound = new Inbound(catalog, this.registry, this.contractSync, this.claimCheck);
    const runner = (kind: InboundTopic, topic: string, handler = new InboundHandler(inbound, kind, this.handler, metrics)) => new ConsumerRunner<DecodedMessage>({
      kafka,
      groupId: `${config.groupId}.${kind}`,
      topics: [topic],
      decode: (buf) => decodeCurrent(catalog, buf),
      handle: (m) => handler.handleOne(m),
      ...(config.batch ? { handleBatch: (ms: ConsumedMessage<DecodedMessage>[]) => handler.handleBatch(ms) } : {}),
      nonRetryable: isPermanentDatabaseError,
      retry: { maxRetryMs: config.consumerMaxRetryMs },
      deadLetters: this.producer,
      concurrency: 16,
      sessionTimeoutMs: config.sessionTimeoutMs,
      // A group with no committed offset on a partition (a first deployment, or a crash before the
      // first commit) must read it from the start: "latest" would skip messages nobody handled.
      fromBeginning: true,
      partitionsConsumedConcurrently: 3,
      onDeadLetter: (t, reason, error) => {
        metrics.deadLettered.inc({ topic: t, reason });
        log('warn', 'orchestrator', `dead-lettered a message from ${t}: ${error.name}: ${error.message}`);
      },
    });
    this.consumers = {
      triggers: runner('triggers', this.topics.triggers),
      'step-results': runner('step-results', this.topics.stepResults),
      signals: runner('signals', this.topics.signals),
    };
  }

  /** True when every consumer runs and none has held one message longer than `stallReadyMs`: what readiness reports. */
  consumersReady(): boolean {
    return Object.values(this.consumers).every((c) => c.isRunning() && !c.isStalled(this.config.stallReadyMs));
  }

  /** Connects to Postgres (migrating first when configured) and builds every part; starts nothing. */
  static async create(config: OrchestratorConfig): Promise<Orchestrator> {
    if (config.migrate) {
      await migrate(config.databaseUrl);
      await migrateDefinitions(config.databaseUrl);
      await migrateProjections(config.databaseUrl);
      await migrateAuth(config.databaseUrl);
    }
    const store = await createEventStore(config.serviceDatabaseUrl ?? serviceUrl(config.databaseUrl), { poolSize: config.poolSize, applicationName: `baton-orchestrator-${config.instanceId}` });
    const kafka = createKafka({ clientId: `baton-orchestrator-${config.instanceId}`, brokers: config.brokers, principal: 'baton-orchestrator' });
    return new Orchestrator(config, store, loadContracts(), kafka);
  }

  async start(): Promise<void> {
    const fixed = [this.topics.triggers, this.topics.stepResults, this.topics.signals, this.topics.caseEvents, this.topics.stepTypeEvents];
    const stepTopics = (await this.registeredDefinitions()).flatMap((d) => stepTopicsOf(d, this.topics));
    await ensureTopics(this.kafka, topicSpecs(loadTopicPlan(), [...new Set([...fixed, ...stepTopics])]));
    await this.contractSync.refresh();
    this.contractSync.start();
    await this.producer.connect();
    this.relay.start();
    this.timers.start();
    await this.admission.refreshLimits();
    this.admission.start();
    this.schedules.start();
    this.files.start();
    this.projector?.start();
    this.stuck.start();
    // Results and signals first: they move running cases on.
    for (const kind of ['step-results', 'signals', 'triggers'] as const) await this.consumers[kind].start();
    log('info', 'orchestrator', `started: consuming ${fixed.slice(0, 3).join(', ')} as ${this.config.groupId}.{triggers,step-results,signals}`);
  }

  async stop(): Promise<void> {
    await Promise.all(Object.entries(this.consumers).map(([kind, c]) => c.stop().catch((e: Error) => log('warn', 'orchestrator', `stopping the ${kind} consumer: ${e.message}`))));
    this.contractSync.stop();
    await this.stuck.stop();
    await this.files.stop();
    await this.schedules.stop();
    await this.timers.stop();
    await this.admission.stop();
    await this.relay.stop();
    await this.projector?.stop();
    await this.producer.disconnect().catch(() => undefined);
    await this.claimCheck.store.close?.();
    await this.store.close();
  }

  /** Registers a definition (contracts checked, step topics created), as the gateway does. */
  async registerWorkflow(definition: WorkflowDefinition): Promise<{ created: boolean }> {
    return registerWorkflow({ registry: this.registry, contracts: this.contractSync, kafka: this.kafka, topics: this.topics }, definition);
  }

  private async registeredDefinitions(): Promise<WorkflowDefinition[]> {
    const versions = await this.registry.list();
    return Promise.all(versions.map((v) => this.registry.get(v.name, v.version)));
  }

}
