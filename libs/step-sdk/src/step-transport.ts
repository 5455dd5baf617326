import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { StepConfigurationError } from './step-configuration-error';
import type { StepWorker } from './worker/step-worker';

/** The states `StepTransport.status` reports. */
export type StepTransportStatus = 'connected' | 'disconnected';

/**
 * A NestJS custom transport that runs the step consumer of `StepModule.forRoot` with the
 * microservice's lifecycle: it starts consuming on `listen` (`app.listen()` of
 * `NestFactory.createMicroservice`, or `app.startAllMicroservices()` of a hybrid app) and stops on
 * `close`. It is built on `@baton/kafka` (eachBatch, explicit commits, dead-letter topics), not on
 * Nest's `ServerKafka` (`eachMessage` only, `-server` group suffixes, no dead-letter handling, values
 * stringified where Avro needs raw bytes).
 *
 * It has no options: everything is configured once, in `StepModule.forRoot`, whose handlers it
 * receives through Nest's RPC target registry when the microservice is created. Without a
 * `StepModule` in the app, `listen` fails with `StepConfigurationError`.
 *
 * @example
 * const app = await NestFactory.createMicroservice(StepsModule, { strategy: new StepTransport() });
 * await app.listen();
 */
export class StepTransport extends Server<Record<string, never>, StepTransportStatus> implements CustomTransportStrategy {
  private worker: StepWorker | undefined;

  /**
   * Hands the module's worker to this transport (called by the module when Nest registers the transport).
   * @throws StepConfigurationError when a second `StepModule` tries to attach
   * @internal
   */
  attach(worker: StepWorker): void {
    if (this.worker && this.worker !== worker) throw new StepConfigurationError('two StepModule.forRoot() in one app: list every handler in one StepModule');
    this.worker = worker;
  }

  /** Starts consuming; calls back once the consumer has joined its group, or with the error that stopped it. */
  listen(callback: (error?: unknown) => void): void {
    const worker = this.worker;
    if (!worker) {
      callback(new StepConfigurationError('StepTransport has no step handlers: import StepModule.forRoot({ handlers }) in the module of this app'));
      return;
    }
    worker.start().then(() => {
      this._status$.next('connected');
      callback();
    }, (error: unknown) => callback(error));
  }

  /** Stops consuming (an unfinished batch is redelivered) and disconnects. */
  async close(): Promise<void> {
    await this.worker?.stop();
    this._status$.next('disconnected');
  }

  /**
   * Not supported: the transport emits no events; watch `status`, the `baton_step_*` metrics and `/health/ready`.
   * @throws Error always
   */
  on(event: never): never {
    throw new Error(`StepTransport emits no events (asked for ${String(event)})`);
  }

  /**
   * The step worker.
   * @throws StepConfigurationError before a `StepModule` attached
   */
  unwrap<T>(): T {
    if (!this.worker) throw new StepConfigurationError('StepTransport has no step worker yet: import StepModule.forRoot({ handlers }) in the module of this app');
    return this.worker as T;
  }
}
