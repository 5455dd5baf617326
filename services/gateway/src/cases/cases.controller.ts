import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { MAX_PAGE_SIZE, type StuckCase } from '@baton/projections';
import type { CaseStatus } from '@baton/workflow-engine';
import { ApiProblems } from '../http/api-problem.decorator';
import { Requires } from '../auth/access';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { TenantQuota } from '../auth/tenant-quota';
import type { Principal } from '@baton/auth';
import { asOpenApi } from '../http/openapi';
import { CancelRequest, PositiveInt, RepairRequest, RetryRequest, schemaRef as ref, StartCaseRequest, Text, type HttpBody } from '@baton/http-contract';
import { readBody } from '../http/body-reader';
import { ValidationProblem, type FieldError } from '../errors/validation-problem';
import { FieldReader } from '../http/field-reader';
import { CaseReader, type CaseEventView } from './case-reader';
import { CaseStarter } from './case-starter';
import { OperatorActions } from './operator-actions';
import type { CaseTrace } from './trace';

const STATUSES: readonly CaseStatus[] = ['new', 'running', 'awaiting-review', 'compensating', 'completed', 'failed', 'cancelled'];

/** `/cases`: start cases, read them (summary, events, trace), retry and cancel them. */
@ApiTags('cases')
@Controller('cases')
export class CasesController {
  constructor(
    @Inject(CaseStarter) private readonly starter: CaseStarter,
    @Inject(CaseReader) private readonly reader: CaseReader,
    @Inject(OperatorActions) private readonly operator: OperatorActions,
    @Inject(TenantQuota) private readonly quota: TenantQuota,
  ) {}

  @Post()
  @HttpCode(202)
  @Requires('start')
  @ApiOperation({ summary: 'Start a case', description: "Publishes a trigger; the orchestrator starts the case when it reads it. The same workflow and key always name the same case. The case appears in GET /cases/{id} once the projection has recorded it (usually within milliseconds): a 404 just after a 202 means 'not yet'." })
  @ApiBody({ schema: ref('StartCaseRequest') })
  @ApiAcceptedResponse({ description: 'trigger published; Location: /cases/{caseId}', schema: ref('StartedCase') })
  @ApiProblems({ 400: "a missing or malformed field, text PostgreSQL cannot store (a NUL), or an input that does not match the workflow's input record (one error per field path)", 404: 'unknown workflow or version', 413: 'a body above 1 000 000 bytes, or an input above 512 KiB as JSON', 415: 'a body that is not JSON', 429: "the tenant's cases-per-second quota is spent (Retry-After)" })
  async start(@Body() body: unknown, @Res({ passthrough: true }) res: Response, @CurrentPrincipal() principal: Principal): Promise<HttpBody<'StartedCase'>> {
    const { workflow, version, key, input } = readBody(StartCaseRequest, body);
    this.quota.take(principal.tenant);
    const started = await this.starter.start({ workflow, input, ...(version !== undefined && { version }), ...(key !== undefined && { key }) }, principal.tenant);
    res.setHeader('Location', `/cases/${started.caseId}`);
    return started;
  }

  @Get()
  @Requires('read')
  @ApiOperation({ summary: 'List cases', description: 'Newest start first, by keyset pages: pass nextCursor as cursor.' })
  @ApiQuery({ name: 'workflow', required: false, schema: asOpenApi(Text()), description: 'only cases of this workflow' })
  @ApiQuery({ name: 'status', required: false, enum: STATUSES })
  @ApiQuery({ name: 'key', required: false, schema: asOpenApi(Text(1000)), description: 'only cases whose key starts with this text' })
  @ApiQuery({ name: 'from', required: false, schema: { type: 'string', format: 'date-time' }, description: 'only cases started at or after this instant' })
  @ApiQuery({ name: 'to', required: false, schema: { type: 'string', format: 'date-time' }, description: 'only cases started before this instant' })
  @ApiQuery({ name: 'limit', required: false, schema: asOpenApi(PositiveInt(MAX_PAGE_SIZE, { default: 50 })), description: `page size, 1..${MAX_PAGE_SIZE}; out of range is a 400` })
  @ApiQuery({ name: 'cursor', required: false, schema: { type: 'string', format: 'base64url' }, description: 'nextCursor of the previous page' })
  @ApiOkResponse({ schema: ref('CasePage') })
  @ApiProblems({ 400: 'a bad limit, status, key, from, to or cursor (named in errors[].field)' })
  async list(@Query() query: unknown, @CurrentPrincipal() principal: Principal): Promise<HttpBody<'CasePage'>> {
    const q = FieldReader.query(query);
    const workflow = q.string('workflow');
    const status = q.oneOf('status', STATUSES);
    const keyPrefix = q.string('key', { maxLength: 1000 });
    const instantProblems: FieldError[] = [];
    const startedFrom = readInstant(q.string('from'), 'from', instantProblems);
    const startedBefore = readInstant(q.string('to'), 'to', instantProblems);
    const limit = q.positiveInt('limit', { max: MAX_PAGE_SIZE });
    const cursor = q.string('cursor');
    q.done();
    if (instantProblems.length > 0) throw new ValidationProblem(instantProblems);
    return this.reader.list({ tenant: principal.tenant,
      ...(workflow !== undefined && { workflow }), ...(status !== undefined && { status }), ...(keyPrefix !== undefined && { keyPrefix }),
      ...(startedFrom !== undefined && { startedFrom }), ...(startedBefore !== undefined && { startedBefore }), ...(limit !== undefined && { limit }), ...(cursor !== undefined && { cursor }) });
  }

  @Get('stuck')
  @Requires('operate')
  @ApiOperation({ summary: 'Open cases that nothing will wake', description: "Each running case whose events expect a timer that is gone (a retry, an attempt, review or compensation timeout), or that has nothing pending at all, with the reasons and the repair to run. Judged from each case's events and timers in one snapshot." })
  @ApiQuery({ name: 'workflow', required: false, schema: asOpenApi(Text()) })
  @ApiOkResponse({ schema: { type: 'array', items: ref('StuckCase') } })
  @ApiProblems({ 400: 'a bad workflow (named in errors[].field)' })
  async stuck(@Query() query: unknown, @CurrentPrincipal() principal: Principal): Promise<StuckCase[]> {
    const q = FieldReader.query(query);
    const workflow = q.string('workflow');
    q.done();
    return this.operator.stuck(workflow, principal.tenant);
  }

  @Get(':id')
  @Requires('read')
  @ApiOperation({ summary: 'A case: its summary and every step attempt' })
  @ApiParam({ name: 'id', description: 'case id' })
  @ApiOkResponse({ schema: ref('CaseDetail') })
  @ApiProblems({ 404: 'unknown case (or one started a few milliseconds ago)' })
  get(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<HttpBody<'CaseDetail'>> {
    return this.reader.get(id, principal.tenant);
  }

  @Get(':id/events')
  @Requires('read')
  @ApiOperation({ summary: "A case's event history (the audit log), from the event store" })
  @ApiParam({ name: 'id', description: 'case id' })
  @ApiOkResponse({ schema: { type: 'array', items: ref('CaseEvent') } })
  @ApiProblems({ 404: 'unknown case' })
  events(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<CaseEventView[]> {
    return this.reader.events(id, principal.tenant);
  }

  @Get(':id/trace')
  @Requires('read')
  @ApiOperation({ summary: "A case's step-level timeline", description: 'Every step and attempt with status, input, output, error, start offset and duration, model and tokens, and review decisions: what `baton trace` draws as a waterfall.' })
  @ApiParam({ name: 'id', description: 'case id' })
  @ApiOkResponse({ schema: ref('CaseTrace') })
  @ApiProblems({ 404: 'unknown case' })
  trace(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<CaseTrace> {
    return this.reader.trace(id, principal.tenant);
  }

  @Post(':id/retry')
  @HttpCode(202)
  @Requires('operate')
  @ApiOperation({ summary: 'Retry a failed case from a step', description: 'Publishes a RetryCase signal.' })
  @ApiParam({ name: 'id', description: 'case id' })
  @ApiBody({ schema: ref('RetryRequest') })
  @ApiAcceptedResponse({ schema: ref('SignalAccepted') })
  @ApiProblems({ 400: 'missing step, or a step the case workflow does not have', 404: 'unknown case', 409: 'the case is not failed' })
  async retry(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal): Promise<{ caseId: string; signalId: string }> {
    const { step, requestedBy } = readBody(RetryRequest, body);
    return this.operator.retry(id, step, requestedBy, principal);
  }

  @Post(':id/repair')
  @HttpCode(202)
  @Requires('operate')
  @ApiOperation({ summary: 'Repair a case that GET /cases/stuck reports', description: "Publishes a RepairCase signal: the orchestrator sets again every timer the case's events say must be pending (a retry, an attempt, review or compensation timeout) and, when nothing is pending at all, schedules the ready steps. Records a CaseRepaired event. Harmless on a case that is not stuck." })
  @ApiParam({ name: 'id', description: 'case id' })
  @ApiBody({ schema: ref('RepairRequest'), required: false })
  @ApiAcceptedResponse({ schema: ref('SignalAccepted') })
  @ApiProblems({ 400: 'a malformed body', 404: 'unknown case', 409: 'the case has ended' })
  async repair(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal): Promise<{ caseId: string; signalId: string }> {
    const { requestedBy } = readBody(RepairRequest, body ?? {});
    return this.operator.repair(id, requestedBy, principal);
  }

  @Post(':id/cancel')
  @HttpCode(202)
  @Requires('operate')
  @ApiOperation({ summary: 'Cancel a case', description: 'Publishes a CancelCase signal: in-flight attempts are abandoned, completed steps compensated.' })
  @ApiParam({ name: 'id', description: 'case id' })
  @ApiBody({ schema: ref('CancelRequest') })
  @ApiAcceptedResponse({ schema: ref('SignalAccepted') })
  @ApiProblems({ 400: 'missing reason', 404: 'unknown case', 409: 'the case has ended (completed, failed, cancelled) or is being compensated' })
  async cancel(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal): Promise<{ caseId: string; signalId: string }> {
    const { reason, requestedBy } = readBody(CancelRequest, body);
    return this.operator.cancel(id, reason, requestedBy, principal);
  }
}

/** An ISO-8601 date-time query parameter (`2026-12-02T10:00:00Z`) as ISO text; adds a problem to `problems` otherwise. */
function readInstant(v: string | undefined, field: string, problems: FieldError[]): string | undefined {
  if (v === undefined) return undefined;
  const ms = Date.parse(v);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}/.test(v)) {
    problems.push({ field, message: `must be an ISO-8601 date-time (2026-01-31T09:00:00Z), got '${v}'` });
    return undefined;
  }
  return new Date(ms).toISOString();
}
