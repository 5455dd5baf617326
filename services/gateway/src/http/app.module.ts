import { Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { DevIssuer } from '@baton/auth';
import { AuthGuard } from '../auth/auth.guard';
import { Authenticator } from '../auth/authenticator';
import { DevIssuerController } from '../auth/dev-issuer.controller';
import { TenantQuota } from '../auth/tenant-quota';
import { ObservabilityModule, telemetry } from '@baton/observability';
import { CaseReader } from '../cases/case-reader';
import { CaseStarter } from '../cases/case-starter';
import { CasesController } from '../cases/cases.controller';
import { OperatorActions } from '../cases/operator-actions';
import type { Gateway } from '../gateway';
import { TaskInbox } from '../tasks/task-inbox';
import { TasksController } from '../tasks/tasks.controller';
import { TaskOutputController } from '../tasks/task-output.controller';
import { FlowControlController } from '../flow/flow-control.controller';
import { FlowControl } from '../flow/flow-control';
import { ContractAdmin } from '../contracts/contract-admin';
import { ContractsController } from '../contracts/contracts.controller';
import { WorkflowAdmin } from '../workflows/workflow-admin';
import { WorkflowsController } from '../workflows/workflows.controller';
import { ProblemDetailsFilter } from './problem-details.filter';
import { REPLAY_STORE, ReplayController } from '../cases/replay.controller';
import { CaseSignals } from '../cases/case-signals';
import { SignalsController } from '../cases/signals.controller';
import { CaseControlActions } from '../cases/case-controls';
import { CaseControlsController } from '../cases/case-controls.controller';
import { SCHEDULE_STORE, SchedulesController } from '../schedules/schedules.controller';

/** Stops the gateway's producer and pool when Nest shuts down, then exports the last spans. */
class GatewayLifecycle implements OnApplicationShutdown {
  constructor(private readonly gateway: Gateway) {}
  async onApplicationShutdown(): Promise<void> {
    await this.gateway.stop();
    await telemetry().shutdown();
  }
}

/**
 * The gateway's HTTP edge: the controllers, given the parts the composition root built (no
 * provider discovery), the problem-details filter for every route, `/metrics` and `/health`.
 */
@Module({})
export class GatewayHttpModule {
  static forRoot(gateway: Gateway): DynamicModule {
    return {
      module: GatewayHttpModule,
      imports: [ObservabilityModule.forRoot({
        registry: gateway.metricsRegistry,
        readiness: { postgres: () => gateway.postgresReady(), kafkaProducer: () => gateway.kafkaReady() },
      })],
      controllers: [CasesController, ReplayController, TasksController, TaskOutputController, WorkflowsController, ContractsController, SignalsController,
        CaseControlsController, FlowControlController, SchedulesController,
        ...(gateway.devIssuer ? [DevIssuerController] : [])],
      providers: [
        { provide: CaseStarter, useValue: gateway.starter },
        { provide: CaseReader, useValue: gateway.cases },
        { provide: REPLAY_STORE, useValue: gateway.store },
        { provide: SCHEDULE_STORE, useValue: gateway.store },
        { provide: OperatorActions, useValue: gateway.operator },
        { provide: CaseSignals, useValue: gateway.caseSignals },
        { provide: CaseControlActions, useValue: gateway.controls },
        { provide: TaskInbox, useValue: gateway.tasks },
        { provide: WorkflowAdmin, useValue: gateway.workflows },
        { provide: ContractAdmin, useValue: gateway.contracts },
        { provide: FlowControl, useValue: gateway.flow },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: Authenticator, useValue: gateway.authenticator },
        { provide: TenantQuota, useValue: gateway.quota },
        ...(gateway.devIssuer ? [{ provide: DevIssuer, useValue: gateway.devIssuer }] : []),
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: GatewayLifecycle, useFactory: () => new GatewayLifecycle(gateway) },
      ],
    };
  }
}
