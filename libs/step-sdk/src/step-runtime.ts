import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Observable, Subscription } from 'rxjs';
import { telemetry } from '@baton/observability';
import { StepTransport } from './step-transport';
import type { StepWorker } from './worker/step-worker';

/**
 * The module's step worker and who runs it. When the app has a `StepTransport` (Nest registers
 * it as an RPC target when the microservice is created), the transport starts and stops the
 * worker; otherwise the module does, on application bootstrap and shutdown. At shutdown, once the
 * worker stopped, the spans the OpenTelemetry SDK still holds are exported (`startTelemetry`).
 */
export class StepRuntime implements OnApplicationBootstrap, OnApplicationShutdown {
  private transport: StepTransport | undefined;
  private readonly subscription: Subscription;

  /**
   * @param worker - the worker over the module's handlers
   * @param rpcTargets - `ModulesContainer.getRpcTargetRegistry()`: the app's microservice servers, replayed
   */
  constructor(readonly worker: StepWorker, rpcTargets: Observable<unknown>) {
    this.subscription = rpcTargets.subscribe((target) => {
      if (!(target instanceof StepTransport)) return;
      target.attach(worker);
      this.transport = target;
    });
  }

  /** Who starts the worker: a `StepTransport`, or the module itself. */
  get runBy(): 'transport' | 'module' {
    return this.transport ? 'transport' : 'module';
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.transport) await this.worker.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.subscription.unsubscribe();
    await this.worker.stop();
    await telemetry().shutdown();
  }
}
