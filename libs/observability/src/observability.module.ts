import { Controller, Get, Header, HttpStatus, Inject, Module, Res, type DynamicModule } from '@nestjs/common';
import type { Response } from 'express';
import type { Registry } from 'prom-client';
import { runReadiness, type ReadinessCheck } from './health';

/** What {@link ObservabilityModule.forRoot} serves. */
export interface ObservabilityOptions {
  registry: Registry;
  /** Named readiness checks (database, broker...). `/health/live` needs none. */
  readiness: Record<string, ReadinessCheck>;
}

const OPTIONS = Symbol('ObservabilityOptions');

@Controller()
class ObservabilityController {
  constructor(@Inject(OPTIONS) private readonly options: ObservabilityOptions) {}

  @Get('metrics')
  async metrics(@Res() res: Response): Promise<void> {
    res.setHeader('Content-Type', this.options.registry.contentType);
    res.send(await this.options.registry.metrics());
  }

  @Get('health/live')
  @Header('Cache-Control', 'no-store')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('health/ready')
  @Header('Cache-Control', 'no-store')
  async ready(@Res() res: Response): Promise<void> {
    const report = await runReadiness(this.options.readiness);
    res.status(report.status === 'ok' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json(report);
  }
}

/** Serves `GET /metrics` (Prometheus text format), `GET /health/live` and `GET /health/ready` on every service. */
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    return { module: ObservabilityModule, controllers: [ObservabilityController], providers: [{ provide: OPTIONS, useValue: options }] };
  }
}
