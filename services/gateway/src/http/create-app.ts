import { NestFactory } from '@nestjs/core';
import { nestLogger } from '@baton/observability';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { MAX_MESSAGE_BYTES } from '@baton/contracts';
import type { Gateway } from '../gateway';
import { YAML_MEDIA_TYPES } from '../workflows/definition-body';
import { GatewayHttpModule } from './app.module';
import { httpMetrics } from './http-metrics';
import { serveOpenApi } from './openapi';
import { requireReadableMediaType } from './request-rules';
import { StorableTextPipe } from './storable-text.pipe';

/**
 * Builds the gateway's Nest application in the order requests meet it: HTTP metrics, the media
 * type of any body (one rule for every route: a 415 when the route does not read it), body
 * parsers (JSON, and YAML as text for `PUT /workflows`; a body above `MAX_MESSAGE_BYTES`, what
 * one Kafka message can carry, is a 413), the text check of every body, query and path
 * parameter ({@link StorableTextPipe}), the routes, then the OpenAPI document.
 */
export async function createHttpApp(gateway: Gateway): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(GatewayHttpModule.forRoot(gateway), { logger: nestLogger(), bodyParser: false });
  app.use(httpMetrics(gateway.metricsRegistry));
  app.use(requireReadableMediaType);
  app.useBodyParser('json', { limit: MAX_MESSAGE_BYTES, type: ['application/json', 'application/*+json'] });
  app.useBodyParser('text', { limit: '1mb', type: [...YAML_MEDIA_TYPES] });
  app.useGlobalPipes(new StorableTextPipe());
  app.enableShutdownHooks();
  serveOpenApi(app);
  return app;
}
