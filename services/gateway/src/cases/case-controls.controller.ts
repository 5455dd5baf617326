import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { PauseRequest, ResetRequest, ResumeRequest, schemaRef as ref } from '@baton/http-contract';
import { ApiProblems } from '../http/api-problem.decorator';
import { readBody } from '../http/body-reader';
import type { Principal } from '@baton/auth';
import { Requires } from '../auth/access';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { CaseControlActions } from './case-controls';
import { CaseReader } from './case-reader';

/** `/cases/{id}/pause`, `/resume`, `/reset`: case-level operator controls, each published as a signal. */
@ApiTags('cases')
@Controller('cases')
export class CaseControlsController {
  constructor(@Inject(CaseControlActions) private readonly controls: CaseControlActions, @Inject(CaseReader) private readonly cases: CaseReader) {}

  @Post(':id/pause')
  @HttpCode(202)
  @Requires('operate')
  @ApiOperation({ summary: 'Pause a case', description: 'Publishes a PauseCase signal: from CasePaused on, nothing new starts (no dispatch, no retry, no timer-started step); results of running attempts are still recorded. The case deadline still applies.' })
  @ApiParam({ name: 'id', description: 'case id' })
  @ApiBody({ schema: ref('PauseRequest'), required: false })
  @ApiAcceptedResponse({ schema: ref('SignalAccepted') })
  @ApiProblems({ 400: 'a malformed body', 404: 'unknown case', 409: 'the case is not open (ended or compensating), or is already paused' })
  async pause(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal): Promise<{ caseId: string; signalId: string }> {
    const { reason, requestedBy } = readBody(PauseRequest, body ?? {});
    await this.cases.requireInTenant(id, principal.tenant); // another tenant's case is a 404
    return this.controls.pause(id, { ...(reason !== undefined && { reason }), ...(requestedBy !== undefined && { requestedBy }), principal: principal.subject });
  }

  @Post(':id/resume')
  @HttpCode(202)
  @Requires('operate')
  @ApiOperation({ summary: 'Resume a paused case', description: 'Publishes a ResumeCase signal: CaseResumed, then what the pause held starts (due retries, fallbacks, ready steps). Also ends a pause by the budget.' })
  @ApiParam({ name: 'id', description: 'case id' })
  @ApiBody({ schema: ref('ResumeRequest'), required: false })
  @ApiAcceptedResponse({ schema: ref('SignalAccepted') })
  @ApiProblems({ 400: 'a malformed body', 404: 'unknown case', 409: 'the case is not paused' })
  async resume(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal): Promise<{ caseId: string; signalId: string }> {
    const { requestedBy } = readBody(ResumeRequest, body ?? {});
    await this.cases.requireInTenant(id, principal.tenant); // another tenant's case is a 404
    return this.controls.resume(id, { ...(requestedBy !== undefined && { requestedBy }), principal: principal.subject });
  }

  @Post(':id/reset')
  @HttpCode(202)
  @Requires('operate')
  @ApiOperation({ summary: 'Reset an open case to a step', description: 'Publishes a ResetCase signal: the step and every step after it are abandoned where running and run again as new attempts (CaseReset); the history is kept. Nothing is compensated.' })
  @ApiParam({ name: 'id', description: 'case id' })
  @ApiBody({ schema: ref('ResetRequest') })
  @ApiAcceptedResponse({ schema: ref('SignalAccepted') })
  @ApiProblems({ 400: 'missing step, a step the case workflow does not have, or a fallback-only step', 404: 'unknown case', 409: 'the case is not open (ended, or compensating): retry a failed case instead' })
  async reset(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal): Promise<{ caseId: string; signalId: string }> {
    const { step, reason, requestedBy } = readBody(ResetRequest, body);
    await this.cases.requireInTenant(id, principal.tenant); // another tenant's case is a 404
    return this.controls.reset(id, step, { ...(reason !== undefined && { reason }), ...(requestedBy !== undefined && { requestedBy }), principal: principal.subject });
  }
}
