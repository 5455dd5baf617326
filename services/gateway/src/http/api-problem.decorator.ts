import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from './problem-details';
import { schemaRef as ref } from '@baton/http-contract';

/** Documents error responses of a route as `application/problem+json` bodies, one per status. */
export function ApiProblems(problems: Record<number, string>): MethodDecorator & ClassDecorator {
  return applyDecorators(...Object.entries(problems).map(([status, description]) =>
    ApiResponse({ status: Number(status), description, content: { [PROBLEM_CONTENT_TYPE]: { schema: ref('Problem') } } })));
}
