import { NestFactory } from '@nestjs/core';
import { nestLogger } from '@baton/observability';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { MAX_MESSAGE_BYTES } from '@baton/contracts';
import { serveConsole } from '../console/serve-console';
import type { Gateway } from '../gateway';
import { YAML_MEDIA_TYPES } from '../workflows/definition-body';
import { GatewayHttpModule } from './app.module';
import { httpMetrics } from './http-metrics';
import { httpTrace } from './http-trace';
import { serveOpenApi } from './openapi';
import { requireReadableMediaType } from './request-rules';
import { StorableTextPipe } from './storable-text.pipe';

/**
 * Builds the gateway's Nest application in the order requests meet it: HTTP metrics, the request's
 * span, the media
 * type of any body (one rule for every route: a 415 when the route does not read it), body
 * parsers (JSON, and YAML as text for `PUT /workflows`; a body above `MAX_MESSAGE_BYTES`, what
 * one Kafka message can carry, is a 413), the text check of every body, query and path
 * parameter ({@link StorableTextPipe}), the routes, the OpenAPI document, then the web console
 * (`/console/`, static files).
 */
export async function createHttpApp(gateway: Gateway): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(GatewayHttpModule.forRoot(gateway), { logger: nestLogger(), bodyParser: false });
  app.use(httpMetrics(gateway.metricsRegistry));
  app.use(httpTrace);
  app.use(requireReadableMediaType);
  app.useBodyParser('json', { limit: MAX_MESSAGE_BYTES, type: ['application/json', 'application/*+json'] });
  app.useBodyParser('text', { limit: '1mb', type: [...YAML_MEDIA_TYPES] });
  app.useGlobalPipes(new StorableTextPipe());
  app.enableShutdownHooks();
  serveOpenApi(app);
  serveConsole(app);
  return app;
}
