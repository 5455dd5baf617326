import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { LimitsRequest, ResolveStepRequest, schemaRef as ref } from '@baton/http-contract';
import type { BreakerStatus, StepTypeLimits } from '@baton/event-store';
import { ApiProblems } from '../http/api-problem.decorator';
import { readBody } from '../http/body-reader';
import type { Principal } from '@baton/auth';
import { Requires } from '../auth/access';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { CaseReader } from '../cases/case-reader';
import { FlowControl } from './flow-control';

/** `/limits`, `/breakers` and `/cases/{id}/steps/{stepId}/resolve`: flow control per step type, and steps waiting for an operator. */
@ApiTags('flow control')
@Controller()
export class FlowControlController {
  constructor(@Inject(FlowControl) private readonly flow: FlowControl, @Inject(CaseReader) private readonly cases: CaseReader) {}

  @Get('limits')
  @Requires('read')
  @ApiOperation({ summary: 'Every step type with limits (concurrency, rate, circuit breaker)' })
  @ApiOkResponse({ schema: { type: 'array', items: ref('StepTypeLimits') } })
  limits(): Promise<StepTypeLimits[]> {
    return this.flow.listLimits();
  }

  @Put('limits/:stepType')
  @Requires('administer')
  @ApiOperation({ summary: "Set (replace) a step type's limits", description: 'Enforced by every orchestrator within a second: requests of the type wait durably for a slot, a rate token and a closed breaker.' })
  @ApiParam({ name: 'stepType', description: 'e.g. text.draft' })
  @ApiBody({ schema: ref('LimitsRequest') })
  @ApiOkResponse({ schema: ref('StepTypeLimits') })
  @ApiProblems({ 400: 'a bad step type, number or rate (naming the field)' })
  setLimits(@Param('stepType') stepType: string, @Body() body: unknown): Promise<StepTypeLimits> {
    return this.flow.setLimits(stepType, readBody(LimitsRequest, body ?? {}));
  }

  @Delete('limits/:stepType')
  @Requires('administer')
  @HttpCode(204)
  @ApiOperation({ summary: "Remove a step type's limits: its waiting requests are admitted" })
  @ApiNoContentResponse()
  @ApiProblems({ 404: 'the step type has no limits' })
  async removeLimits(@Param('stepType') stepType: string): Promise<void> {
    await this.flow.removeLimits(stepType);
  }

  @Get('breakers')
  @Requires('read')
  @ApiOperation({ summary: 'The circuit breaker and admission queue of every limited step type' })
  @ApiOkResponse({ schema: { type: 'array', items: ref('BreakerStatus') } })
  breakers(): Promise<BreakerStatus[]> {
    return this.flow.breakers();
  }

  @Post('cases/:id/steps/:stepId/resolve')
  @Requires('operate')
  @HttpCode(202)
  @ApiOperation({ summary: 'Resolve a step waiting for an operator', description: 'retry: a new attempt with a fresh retry budget; skip: the step completes with output (checked against its output record). Publishes a ResolveExhaustedStep signal.' })
  @ApiParam({ name: 'id', description: 'case id' })
  @ApiParam({ name: 'stepId', description: 'step id' })
  @ApiBody({ schema: ref('ResolveStepRequest') })
  @ApiAcceptedResponse({ schema: { type: 'object', properties: { caseId: { type: 'string' }, taskId: { type: 'string' }, signalId: { type: 'string' } } } })
  @ApiProblems({ 400: 'a bad action, a skip without output or with an output its record refuses (one error per field)', 409: 'the step is not waiting for an operator' })
  async resolve(@Param('id') id: string, @Param('stepId') stepId: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal): Promise<{ caseId: string; taskId: string; signalId: string }> {
    const request = readBody(ResolveStepRequest, body);
    await this.cases.requireInTenant(id, principal.tenant); // another tenant's case is a 404
    return this.flow.resolve(id, stepId, request, principal.subject);
  }
}
