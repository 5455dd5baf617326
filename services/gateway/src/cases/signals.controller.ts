import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { SignalRequest, schemaRef as ref } from '@baton/http-contract';
import { ApiProblems } from '../http/api-problem.decorator';
import { readBody } from '../http/body-reader';
import type { Principal } from '@baton/auth';
import { Requires } from '../auth/access';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { CaseReader } from './case-reader';
import { CaseSignals, checkSignalName } from './case-signals';

/** `POST /cases/{id}/signals/{name}`: a signal for a case's `wait` steps. */
@ApiTags('cases')
@Controller('cases')
export class SignalsController {
  constructor(@Inject(CaseSignals) private readonly signals: CaseSignals, @Inject(CaseReader) private readonly cases: CaseReader) {}

  @Post(':id/signals/:name')
  @HttpCode(202)
  @Requires('operate')
  @ApiOperation({
    summary: 'Send a signal to a case',
    description: 'Publishes a SignalCase on baton.signals. A running `wait: { signal: <name> }` step that the signal matches completes with `data` as its output; '
      + 'with none waiting yet the signal is kept (a SignalReceived event) and taken when the wait starts. A repeated `signalId`, or a signal no step can take any more, is ignored.',
  })
  @ApiParam({ name: 'id', description: 'case id' })
  @ApiParam({ name: 'name', description: 'the signal name a wait step waits for' })
  @ApiBody({ schema: ref('SignalRequest'), required: false })
  @ApiAcceptedResponse({ schema: ref('SignalAccepted') })
  @ApiProblems({ 400: 'a malformed body or signal name', 404: 'unknown case' })
  async signal(@Param('id') id: string, @Param('name') name: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal): Promise<{ caseId: string; signalId: string }> {
    const { data, signalId } = readBody(SignalRequest, body ?? {});
    checkSignalName(name);
    await this.cases.requireInTenant(id, principal.tenant); // another tenant's case is a 404
    return this.signals.send(id, name, data, signalId, principal.subject);
  }
}
