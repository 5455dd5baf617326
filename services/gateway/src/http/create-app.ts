import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Gateway } from '../gateway';
import { YAML_MEDIA_TYPES } from '../workflows/definition-body';
import { GatewayHttpModule } from './app.module';
import { httpMetrics } from './http-metrics';
import { serveOpenApi } from './openapi';

/**
 * Builds the gateway's Nest application in the order requests meet it: HTTP metrics, body
 * parsers (JSON, and YAML as text for `PUT /workflows`), the routes, then the OpenAPI document.
 */
export async function createHttpApp(gateway: Gateway): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(GatewayHttpModule.forRoot(gateway), { logger: ['error', 'warn'], bodyParser: false });
  app.use(httpMetrics(gateway.metricsRegistry));
  app.useBodyParser('json', { limit: '5mb', type: ['application/json', 'application/*+json'] });
  app.useBodyParser('text', { limit: '1mb', type: [...YAML_MEDIA_TYPES] });
  app.enableShutdownHooks();
  serveOpenApi(app);
  return app;
}
