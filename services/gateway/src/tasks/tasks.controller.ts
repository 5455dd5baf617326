import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { MAX_PAGE_SIZE, type HumanTask } from '@baton/projections';
import { ApiProblems } from '../http/api-problem.decorator';
import { assertTaskAccess, Requires, visibleQueues } from '../auth/access';
import { CurrentPrincipal } from '../auth/principal.decorator';
import type { Principal } from '@baton/auth';
import { asOpenApi } from '../http/openapi';
import { DecisionRequest, PositiveInt, schemaRef as ref, Text } from '@baton/http-contract';
import { readBody } from '../http/body-reader';
import { FieldReader } from '../http/field-reader';
import { TaskInbox } from './task-inbox';

const TASK_STATUSES = ['open', 'decided', 'withdrawn'] as const;

/** `/tasks`: the review inbox and its decisions. */
@ApiTags('tasks')
@Controller('tasks')
export class TasksController {
  constructor(@Inject(TaskInbox) private readonly inbox: TaskInbox) {}

  @Get()
  @Requires('review-or-read')
  @ApiOperation({ summary: 'List review tasks', description: 'Oldest request first; by default the open tasks of every queue.' })
  @ApiQuery({ name: 'queue', required: false, schema: asOpenApi(Text()), description: 'only tasks of this queue' })
  @ApiQuery({ name: 'status', required: false, enum: TASK_STATUSES })
  @ApiQuery({ name: 'limit', required: false, schema: asOpenApi(PositiveInt(MAX_PAGE_SIZE, { default: 100 })), description: `1..${MAX_PAGE_SIZE}, default 100; out of range is a 400` })
  @ApiOkResponse({ schema: { type: 'array', items: ref('HumanTask') } })
  @ApiProblems({ 400: 'a bad status or limit' })
  list(@Query() query: unknown, @CurrentPrincipal() principal: Principal): Promise<HumanTask[]> {
    const q = FieldReader.query(query);
    const queue = q.string('queue');
    const status = q.oneOf('status', TASK_STATUSES);
    const limit = q.positiveInt('limit', { max: MAX_PAGE_SIZE });
    q.done();
    const queues = visibleQueues(principal);
    return this.inbox.list({ ...(queue !== undefined && { queue }), ...(queues !== undefined && { queues }), tenant: principal.tenant, ...(status !== undefined && { status }), ...(limit !== undefined && { limit }) });
  }

  @Get(':id')
  @Requires('review-or-read')
  @ApiOperation({ summary: 'A review task with everything a reviewer needs: case input, prior steps, the output under review' })
  @ApiParam({ name: 'id', description: 'task id' })
  @ApiOkResponse({ schema: ref('HumanTask') })
  @ApiProblems({ 404: 'unknown task' })
  async get(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<HumanTask> {
    const task = await this.inbox.get(id, principal.tenant);
    assertTaskAccess(principal, task.queue, 'read');
    return task;
  }

  @Post(':id/decision')
  @HttpCode(202)
  @Requires('review')
  @ApiOperation({ summary: 'Decide a review task', description: 'approve: the output stands; reject: the step fails (non-retryable); edit: the corrected output replaces it. Publishes a ReviewDecision signal.' })
  @ApiParam({ name: 'id', description: 'task id' })
  @ApiBody({ schema: ref('DecisionRequest') })
  @ApiAcceptedResponse({ schema: ref('DecisionAccepted') })
  @ApiProblems({ 400: "a bad decision, an edit without output, or an output that does not match the step type's output record (one error per field)", 404: 'unknown task', 409: 'the task is already decided or withdrawn' })
  async decide(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal): Promise<{ taskId: string; caseId: string; signalId: string }> {
    const { decision, output, comment, reviewer } = readBody(DecisionRequest, body);
    assertTaskAccess(principal, (await this.inbox.get(id, principal.tenant)).queue, 'review');
    return this.inbox.decide(id, { principal: principal.subject,
      decision, ...(output !== undefined && output !== null && { output }), ...(comment !== undefined && { comment }), ...(reviewer !== undefined && { reviewer }),
    }, principal.tenant);
  }
}
