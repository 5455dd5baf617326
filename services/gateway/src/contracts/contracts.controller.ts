import { Body, Controller, Get, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { ContractVersion } from '@baton/definitions';
import { ApiProblems } from '../http/api-problem.decorator';
import { Requires } from '../auth/access';
import { RegisterSchemaRequest, schemaRef } from '@baton/http-contract';
import { readBody } from '../http/body-reader';
import { ContractAdmin } from './contract-admin';

/** The Confluent Schema Registry's media type, which its clients send and expect. */
const REGISTRY_MEDIA_TYPE = 'application/vnd.schemaregistry.v1+json';

/**
 * The contract registry over HTTP, as the subset of the Confluent Schema Registry REST API
 * (https://docs.confluent.io/platform/current/schema-registry/develop/api.html) that registers and
 * reads Avro schemas: subjects are record full names (RecordNameStrategy), ids are global.
 * Errors are problem details that also carry Confluent's `error_code` and `message` members.
 */
@ApiTags('contracts')
@Controller()
export class ContractsController {
  constructor(@Inject(ContractAdmin) private readonly admin: ContractAdmin) {}

  @Post('subjects/:subject/versions')
  @HttpCode(200)
  @Requires('administer')
  @ApiOperation({ summary: 'Register a schema version (Confluent: POST /subjects/{subject}/versions)', description: 'The subject is the record\'s full name. A schema already registered returns its id. A version that cannot read data written with every earlier version of its subject (Avro schema resolution) is refused, naming the field.' })
  @ApiParam({ name: 'subject', description: 'the record\'s full name, e.g. baton.steps.user_welcome.Input' })
  @ApiConsumes('application/json', REGISTRY_MEDIA_TYPE)
  @ApiBody({ schema: schemaRef('RegisterSchemaRequest') })
  @ApiOkResponse({ schema: schemaRef('RegisteredSchema') })
  @ApiProblems({ 400: 'the schema is not JSON, not a named Avro record, in the reserved namespace baton.v1, or not named as the subject', 409: 'incompatible with an earlier version of the subject (each reason names a field)' })
  async register(@Param('subject') subject: string, @Body() body: unknown, @Res({ passthrough: true }) res: Response): Promise<{ id: number; version: number; created: boolean }> {
    const { schema } = readBody(RegisterSchemaRequest, body);
    const v = await this.admin.register(subject, schema);
    res.type(REGISTRY_MEDIA_TYPE);
    return { id: v.id, version: v.version, created: v.created };
  }

  @Get('subjects')
  @Requires('read')
  @ApiOperation({ summary: 'Every subject (Confluent: GET /subjects)' })
  @ApiOkResponse({ schema: { type: 'array', items: { type: 'string' } } })
  subjects(): Promise<string[]> {
    return this.admin.registry.subjects();
  }

  @Get('subjects/:subject/versions')
  @Requires('read')
  @ApiOperation({ summary: 'The versions of a subject (Confluent: GET /subjects/{subject}/versions)' })
  @ApiOkResponse({ schema: { type: 'array', items: { type: 'integer' } } })
  @ApiProblems({ 404: 'unknown subject' })
  async versions(@Param('subject') subject: string): Promise<number[]> {
    return (await this.admin.versionsOf(subject)).map((v) => v.version);
  }

  @Get('subjects/:subject/versions/:version')
  @Requires('read')
  @ApiOperation({ summary: 'One version of a subject, or `latest` (Confluent: GET /subjects/{subject}/versions/{version})' })
  @ApiParam({ name: 'version', schema: { oneOf: [{ type: 'integer', minimum: 1, maximum: 2147483647 }, { type: 'string', enum: ['latest'] }] } })
  @ApiOkResponse({ schema: schemaRef('SchemaVersion') })
  @ApiProblems({ 400: 'a version that is neither a positive int4 nor latest', 404: 'unknown subject or version' })
  async version(@Param('subject') subject: string, @Param('version') version: string): Promise<object> {
    return view(await this.admin.version(subject, version));
  }

  @Get('schemas/ids/:id')
  @Requires('read')
  @ApiOperation({ summary: 'A schema by global id (Confluent: GET /schemas/ids/{id})' })
  @ApiParam({ name: 'id', schema: { type: 'integer', minimum: 1, maximum: 2147483647 } })
  @ApiOkResponse({ schema: { type: 'object', properties: { schema: { type: 'string' } } } })
  @ApiProblems({ 400: 'an id that is not a positive int4', 404: 'unknown id' })
  async byId(@Param('id') id: string): Promise<{ schema: string; schemaType: 'AVRO' }> {
    const v = await this.admin.byId(id);
    return { schema: JSON.stringify(v.schema), schemaType: 'AVRO' };
  }
}

function view(v: ContractVersion): object {
  return { subject: v.subject, version: v.version, id: v.id, schemaType: 'AVRO', schema: JSON.stringify(v.schema), fingerprint: v.fingerprint };
}
