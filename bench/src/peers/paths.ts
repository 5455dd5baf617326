import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root. */
export const ROOT = resolve(__dirname, '../../..');
/** Where `bench/peers/install.sh` puts the peers (git-ignored): `$BATON_HOME/peers`, by default `.baton/peers`. */
export const PEERS_HOME = join(process.env['BATON_HOME'] ?? join(ROOT, '.baton'), 'peers');
/** The peers' npm packages, installed apart from the workspace's. */
export const PEERS_NODE_MODULES = join(PEERS_HOME, 'npm', 'node_modules');
/** The temporal CLI's pinned version: the one `install.sh` builds. */
export const TEMPORAL_CLI_VERSION = process.env['BATON_PEER_TEMPORAL_CLI'] ?? 'v1.5.1';

/**
 * Why an install part is missing: the error `install.sh` wrote (`<part>.error`), or a default; null when `path` exists.
 * @param part - `npm` or `temporal`
 */
export function missingInstall(part: string, path: string): string | null {
  if (existsSync(path)) return null;
  const error = join(PEERS_HOME, `${part}.error`);
  const why = existsSync(error) ? readFileSync(error, 'utf8').trim().split('\n').slice(-2).join(' ') : `${path} is not there (bench/peers/install.sh did not run?)`;
  return `${part} install failed: ${why}`;
}

/** The version of an installed peer package, from its package.json; `?` when unreadable. */
export function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(PEERS_NODE_MODULES, name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

/** A port from the environment variable `name`, or `fallback`. */
export function port(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
}
