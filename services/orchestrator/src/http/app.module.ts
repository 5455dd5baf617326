import { Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { ObservabilityModule, telemetry } from '@baton/observability';
import type { Orchestrator } from '../orchestrator';

/** Stops the orchestrator's loops and consumer when Nest shuts down, before the HTTP server closes, then exports the last spans. */
class OrchestratorLifecycle implements OnApplicationShutdown {
  constructor(private readonly orchestrator: Orchestrator) {}
  async onApplicationShutdown(): Promise<void> {
    await this.orchestrator.stop();
    await telemetry().shutdown();
  }
}

/** The orchestrator's HTTP edge: `/metrics`, `/health/live`, `/health/ready`. */
@Module({})
export class OrchestratorHttpModule {
  static forRoot(orchestrator: Orchestrator): DynamicModule {
    return {
      module: OrchestratorHttpModule,
      imports: [ObservabilityModule.forRoot({
        registry: orchestrator.metricsRegistry,
        readiness: {
          postgres: async () => (await orchestrator.store.pool.query('SELECT 1')).rowCount === 1,
          kafkaConsumer: async () => orchestrator.consumersReady(),
        },
      })],
      providers: [{ provide: OrchestratorLifecycle, useFactory: () => new OrchestratorLifecycle(orchestrator) }],
    };
  }
}
