import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DevIssuer } from '@baton/auth';
import { DevTokenRequest, schemaRef as ref, type HttpBody } from '@baton/http-contract';
import type { JSONWebKeySet } from 'jose';
import { ApiProblems } from '../http/api-problem.decorator';
import { readBody } from '../http/body-reader';
import { Requires } from './access';

/**
 * The local development issuer's routes, mounted only when `BATON_DEV_ISSUER_DIR` is set:
 * anyone who reaches them gets a token with any role, which is the point on a developer's
 * machine (`npm start`, `baton login --dev`, the console's dev sign-in) and why a deployment never
 * sets it (docs/SECURITY.md).
 */
@ApiTags('dev-issuer')
@Controller('dev-issuer')
export class DevIssuerController {
  constructor(@Inject(DevIssuer) private readonly issuer: DevIssuer) {}

  @Post('token')
  @HttpCode(200)
  @Requires('public')
  @ApiOperation({ summary: 'Mint a development token (local stack only)', description: 'Signs a JWT with the key pair in BATON_DEV_ISSUER_DIR for any subject, tenant and roles. Present only when the gateway runs with the development issuer.' })
  @ApiBody({ schema: ref('DevTokenRequest') })
  @ApiOkResponse({ schema: ref('DevToken') })
  @ApiProblems({ 400: 'a missing subject or roles' })
  async token(@Body() body: unknown): Promise<HttpBody<'DevToken'>> {
    const r = readBody(DevTokenRequest, body);
    const expiresIn = r.expiresInSeconds ?? 3600;
    const token = await this.issuer.mint({ subject: r.subject, roles: r.roles, expiresInSeconds: expiresIn, ...(r.tenant !== undefined && { tenant: r.tenant }) });
    return { access_token: token, token_type: 'Bearer', expires_in: expiresIn };
  }

  @Get('jwks.json')
  @Requires('public')
  @ApiOperation({ summary: "The development issuer's public keys (RFC 7517)" })
  @ApiOkResponse({ schema: { type: 'object', required: ['keys'], properties: { keys: { type: 'array', items: { type: 'object' } } } } })
  jwks(): JSONWebKeySet {
    return this.issuer.jwks;
  }
}
