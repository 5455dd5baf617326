import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../http/api-problem.decorator';
import { assertTaskAccess, Requires } from '../auth/access';
import { CurrentPrincipal } from '../auth/principal.decorator';
import type { Principal } from '@baton/auth';
import { ValidationProblem } from '../errors/validation-problem';
import { TaskInbox, type OutputCheck, type OutputSchema } from './task-inbox';

const fieldError = { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string', example: 'output.confidence' }, message: { type: 'string' } } };

/**
 * `/tasks/{id}/output-schema` and `/tasks/{id}/output/check`: what a reviewer's edit must match,
 * and the check of an edit before it is sent (the console's editor asks both).
 */
@ApiTags('tasks')
@Controller('tasks')
export class TaskOutputController {
  constructor(@Inject(TaskInbox) private readonly inbox: TaskInbox) {}

  @Get(':id/output-schema')
  @Requires('review-or-read')
  @ApiOperation({ summary: "The output record an edit of this task must match (the step type's Avro contract)" })
  @ApiParam({ name: 'id', description: 'task id' })
  @ApiOkResponse({ schema: { type: 'object', required: ['stepType', 'record', 'schema'], properties: { stepType: { type: 'string' }, record: { type: 'string', example: 'baton.steps.text_classify.Output' }, schema: { type: 'object', description: 'the Avro schema (JSON)' } } } })
  @ApiProblems({ 404: 'unknown task' })
  async schema(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<OutputSchema> {
    assertTaskAccess(principal, (await this.inbox.get(id, principal.tenant)).queue, 'read');
    return this.inbox.outputSchema(id);
  }

  @Post(':id/output/check')
  @HttpCode(200)
  @Requires('review')
  @ApiOperation({ summary: 'Check an edited output without deciding', description: "The check POST /tasks/{id}/decision applies to decision 'edit': valid, or one error per field (output.<path>). Nothing is sent." })
  @ApiParam({ name: 'id', description: 'task id' })
  @ApiBody({ schema: { type: 'object', required: ['output'], properties: { output: { description: 'the edited output' } } } })
  @ApiOkResponse({ schema: { type: 'object', required: ['valid', 'record', 'errors'], properties: { valid: { type: 'boolean' }, record: { type: 'string' }, errors: { type: 'array', items: fieldError } } } })
  @ApiProblems({ 400: 'no output in the body', 404: 'unknown task' })
  async check(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal): Promise<OutputCheck> {
    assertTaskAccess(principal, (await this.inbox.get(id, principal.tenant)).queue, 'review');
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw ValidationProblem.of('(body)', 'must be a JSON object (Content-Type: application/json)');
    const output = (body as { output?: unknown }).output;
    if (output === undefined || output === null) throw ValidationProblem.of('output', 'is required');
    return this.inbox.checkOutput(id, output);
  }
}
