import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject, type SchemaObject } from '@nestjs/swagger';

import { HTTP_SCHEMAS } from '@baton/http-contract';

/** The gateway's OpenAPI document, built from the route decorators plus every body of `@baton/http-contract` as a component schema (the objects the gateway validates with). */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Baton gateway')
    .setDescription('The HTTP API of Baton: start and trace cases, decide review tasks, register workflows. Errors are RFC 9457 problem details (application/problem+json) whose errors[] name each invalid field.')
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'a JWT from the OIDC issuer (or the development issuer): roles and tenant in its claims' }, 'bearer')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'an API key of an upstream system (`npm run orchestrator -- api-key create`)' }, 'apiKey')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...(HTTP_SCHEMAS as unknown as Record<string, SchemaObject>) } };
  return document;
}

/** Serves the Swagger UI at `/docs` and the document at `/docs-json`. */
export function serveOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, openApiDocument(app), { jsonDocumentUrl: 'docs-json' });
}

/** A `@baton/http-contract` field schema as the swagger decorators type it (TypeBox's JSON Schema types `exclusiveMaximum` as a number, OpenAPI 3.0 as a boolean; neither is used). */
export function asOpenApi(schema: object): SchemaObject {
  return schema as SchemaObject;
}
