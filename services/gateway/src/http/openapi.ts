import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { openApiSchemas } from './openapi-schemas';

/** The gateway's OpenAPI document, built from the route decorators plus the shared component schemas. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Baton gateway')
    .setDescription('The HTTP API of Baton: start and trace cases, decide review tasks, register workflows. Errors are RFC 9457 problem details (application/problem+json) whose errors[] name each invalid field.')
    .setVersion('1')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...openApiSchemas } };
  return document;
}

/** Serves the Swagger UI at `/docs` and the document at `/docs-json`. */
export function serveOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, openApiDocument(app), { jsonDocumentUrl: 'docs-json' });
}
