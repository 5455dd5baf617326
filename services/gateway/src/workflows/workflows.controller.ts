import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiProblems } from '../http/api-problem.decorator';
import { Requires } from '../auth/access';
import { asOpenApi } from '../http/openapi';
import { FieldReader } from '../http/field-reader';
import { PositiveInt, schemaRef as ref } from '@baton/http-contract';
import { definitionFromBody } from './definition-body';
import { WorkflowAdmin, type WorkflowVersionView, type WorkflowView } from './workflow-admin';

/** `/workflows`: register versioned definitions, read them, draw them. */
@ApiTags('workflows')
@Controller('workflows')
export class WorkflowsController {
  constructor(@Inject(WorkflowAdmin) private readonly admin: WorkflowAdmin) {}

  @Put()
  @Requires('administer')
  @ApiOperation({ summary: 'Register a workflow definition version', description: 'Versions are immutable: the same content again is harmless (200), other content under a registered version is refused (409). Creates the topics of its step types and compensation types.' })
  @ApiConsumes('application/json', 'text/yaml', 'application/yaml')
  @ApiBody({ schema: ref('WorkflowDefinition') })
  @ApiResponse({ status: 201, description: 'registered', schema: ref('RegisteredWorkflow') })
  @ApiResponse({ status: 200, description: 'this exact content was already registered', schema: ref('RegisteredWorkflow') })
  @ApiProblems({
    400: 'the definition is refused: every issue names its step and field (schema, unknown needs/fallback, cycle, JSONata syntax, durations, a record or step type without a contract)',
    409: 'this version is registered with other content; register the change as the next version',
    415: 'a body that is neither JSON nor YAML',
  })
  async register(@Headers('content-type') contentType: string | undefined, @Body() body: unknown, @Res({ passthrough: true }) res: Response): Promise<{ created: boolean; workflow: WorkflowVersionView }> {
    const result = await this.admin.register(definitionFromBody(contentType, body));
    res.status(result.created ? 201 : 200);
    return result;
  }

  @Post('validate')
  @HttpCode(200)
  @Requires('read')
  @ApiOperation({ summary: 'Check a workflow definition as registration does, storing nothing', description: 'The same checks as PUT /workflows (shape, needs, cycles, JSONata, durations, and every record and step type against contracts/ and the contract registry); what `baton workflow validate` asks.' })
  @ApiConsumes('application/json', 'text/yaml', 'application/yaml')
  @ApiBody({ schema: ref('WorkflowDefinition') })
  @ApiOkResponse({ schema: { type: 'object', properties: { valid: { type: 'boolean', enum: [true] }, name: { type: 'string' }, version: { type: 'integer' } } } })
  @ApiProblems({ 400: 'the definition is refused: every issue names its step and field', 415: 'a body that is neither JSON nor YAML' })
  validate(@Headers('content-type') contentType: string | undefined, @Body() body: unknown): Promise<{ valid: true; name: string; version: number }> {
    return this.admin.validate(definitionFromBody(contentType, body));
  }

  @Get()
  @Requires('read')
  @ApiOperation({ summary: 'List every registered version, newest first within a name' })
  @ApiOkResponse({ schema: { type: 'array', items: ref('WorkflowVersion') } })
  list(): Promise<WorkflowVersionView[]> {
    return this.admin.list();
  }

  @Get(':name')
  @Requires('read')
  @ApiOperation({ summary: 'A workflow version: the definition as written, its version and checksum' })
  @ApiParam({ name: 'name' })
  @ApiQuery({ name: 'version', required: false, schema: asOpenApi(PositiveInt()), description: 'default: the newest' })
  @ApiOkResponse({ schema: ref('Workflow') })
  @ApiProblems({ 400: 'a version that is not an integer from 1 to 2147483647', 404: 'unknown workflow or version' })
  get(@Param('name') name: string, @Query() query: unknown): Promise<WorkflowView> {
    return this.admin.get(name, readVersion(query));
  }

  @Get(':name/graph')
  @Requires('read')
  @ApiOperation({ summary: 'The workflow as a Mermaid flowchart', description: 'text/plain by default; JSON {name, version, mermaid} with Accept: application/json.' })
  @ApiParam({ name: 'name' })
  @ApiQuery({ name: 'version', required: false, schema: asOpenApi(PositiveInt()), description: 'default: the newest' })
  @ApiProduces('text/plain', 'application/json')
  @ApiResponse({ status: 200, description: 'the Mermaid text, or JSON with Accept: application/json', content: { 'text/plain': { schema: { type: 'string' } }, 'application/json': { schema: ref('WorkflowGraph') } } })
  @ApiProblems({ 400: 'a version that is not an integer from 1 to 2147483647', 404: 'unknown workflow or version' })
  async graph(@Param('name') name: string, @Query() query: unknown, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) res: Response): Promise<unknown> {
    const graph = await this.admin.graph(name, readVersion(query));
    if (prefersJson(accept)) return graph;
    res.type('text/plain; charset=utf-8');
    return graph.mermaid;
  }
}

function readVersion(query: unknown): number | undefined {
  const q = FieldReader.query(query);
  const version = q.positiveInt('version');
  q.done();
  return version;
}

/** JSON when the client asks for it and not for text first. */
function prefersJson(accept: string | undefined): boolean {
  if (!accept) return false;
  const types = accept.split(',').map((t) => t.split(';')[0]!.trim().toLowerCase());
  const json = types.findIndex((t) => t === 'application/json');
  const text = types.findIndex((t) => t === 'text/plain' || t === 'text/*');
  return json >= 0 && (text < 0 || json < text);
}
