import type { Command } from 'commander';
import { CliError, type ApiClient } from './api-client';
import { saveToken } from './credentials';

/** Every role, what `baton login --dev` asks for by default. */
const DEV_ROLES = 'admin,operator,viewer,starter:*,reviewer:*';

/**
 * `baton login`: saves the token later commands send (`BATON_TOKEN` still wins). `--dev` asks the
 * local stack's development issuer (`POST /dev-issuer/token`) for one; `--token` saves a token
 * obtained from the organisation's OIDC issuer.
 */
export function addLoginCommand(program: Command, api: ApiClient, out: (text: string) => void): void {
  program.command('login').description('save a token for later commands: --dev from the local development issuer, or --token <jwt>')
    .option('--dev', "ask the local stack's development issuer for a token")
    .option('--token <jwt>', 'a token from your OIDC issuer')
    .option('--subject <sub>', 'with --dev: who you are', process.env.USER ?? 'developer')
    .option('--tenant <tenant>', 'with --dev: the tenant (default "default")')
    .option('--roles <roles>', 'with --dev: comma-separated roles', DEV_ROLES)
    .action(async (o: { dev?: boolean; token?: string; subject: string; tenant?: string; roles: string }) => {
      let token = o.token;
      if (o.dev) {
        const body = { subject: o.subject, roles: o.roles.split(',').map((r) => r.trim()).filter(Boolean), ...(o.tenant !== undefined && { tenant: o.tenant }) };
        token = (await api.request<{ access_token: string }>('POST', '/dev-issuer/token', { body, anonymous: true })).access_token;
      }
      if (!token) throw new CliError('give --dev or --token <jwt>');
      out(`logged in; token saved to ${saveToken(token)}\n`);
    });
}
