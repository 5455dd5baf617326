import type { Wire } from '@baton/contracts';
import { UnprocessableMessageError } from '@baton/kafka';
import type { InboundCommand } from './inbound';

/**
 * Maps a `ResolveExhaustedStep` signal to its command. A `SKIP` whose `output` is not JSON is
 * dead-lettered (`InvalidOperatorOutput`, naming the field); the decider checks the output against
 * the step type's contract.
 */
export function resolveExhausted(s: Wire.ResolveExhaustedStep): InboundCommand {
  let output: unknown;
  if (s.output !== null) {
    try {
      output = JSON.parse(s.output);
    } catch (error) {
      throw new UnprocessableMessageError('InvalidOperatorOutput', `signal ${s.signalId}: field 'output' is not JSON: ${(error as Error).message}`);
    }
  }
  return {
    caseId: s.caseId, messageId: s.signalId,
    command: {
      type: 'ResolveExhaustedStep',
      data: { stepId: s.stepId, action: s.action === 'RETRY' ? 'retry' : 'skip', ...(output !== undefined && { output }), ...(s.principal ? { principal: s.principal } : {}) },
    },
  };
}
