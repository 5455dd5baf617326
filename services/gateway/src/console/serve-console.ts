import { dirname, join, resolve } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';

/** The console's own files (`index.html`, `app.js`, `pages/`, `style.css`), served as they are: there is no build step. */
export const CONSOLE_DIR = resolve(__dirname, '../../console');

/** Where the console lives on the gateway. */
export const CONSOLE_PATH = '/console';

/**
 * The npm packages the console imports in the browser, each served from its own `dist/` folder
 * under `/console/vendor/<name>/` (the page's import map names the files): Preact and its hooks,
 * htm (JSX-like tagged templates, so no compiler), Mermaid (its self-contained `mermaid.min.js`).
 */
function vendorDirs(): Record<string, string> {
  const preact = dirname(require.resolve('preact/package.json'));
  return {
    preact: join(preact, 'dist'),
    'preact-hooks': join(preact, 'hooks', 'dist'),
    htm: dirname(require.resolve('htm')),
    mermaid: dirname(require.resolve('mermaid')),
  };
}

/**
 * Serves the web console at `/console/` (static files; the page calls the gateway's own HTTP API
 * from the browser) and redirects `/` there. GET and HEAD only; a path the console does not have
 * falls through to the routes (a 404 problem).
 */
export function serveConsole(app: NestExpressApplication): void {
  for (const [name, dir] of Object.entries(vendorDirs())) app.useStaticAssets(dir, { prefix: `${CONSOLE_PATH}/vendor/${name}/`, maxAge: '1h' });
  app.useStaticAssets(CONSOLE_DIR, { prefix: `${CONSOLE_PATH}/`, index: 'index.html', maxAge: 0 });
  const http = app.getHttpAdapter();
  http.get('/', (_req: unknown, res: unknown) => http.redirect(res, 302, `${CONSOLE_PATH}/`));
}
