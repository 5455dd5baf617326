/**
 * The web console in a real browser: the system's headless Chromium driven by playwright-core,
 * against the real stack (orchestrator, triage step service and gateway as child processes, Kafka,
 * a fresh database). A held-out email the committed model is unsure of runs into review; the
 * reviewer finds it in the inbox with its context, tries an edit the schema refuses, approves, and
 * watches the case complete on its page. A second case is cancelled from its page. Screenshots of
 * every page go to tmp/console/. Skipped, saying why, when no Chromium is installed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { devIssuer, freePort, freshDatabase, kafkaBrokers, ServiceProcess, uniqueName, type FreshDatabase } from '@baton/testing';
import type { CorpusEmail } from '../../services/triage-steps/src/corpus/corpus';
import { uncertainHams } from '../main-job/left-for-review';
import { systemChromium } from './chromium';

const root = resolve(__dirname, '../..');
const shots = join(root, 'tmp', 'console');
const executable = systemChromium();
const skip = executable ? false : 'no Chromium installed (apt-get install chromium, or set BATON_CHROMIUM to a Chrome binary): the console browser test needs one';

async function poll<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('the web console in headless Chromium, on the real stack', () => {
  let db: FreshDatabase;
  let browser: Browser;
  let page: Page;
  let base = '';
  const home = mkdtempSync(join(tmpdir(), 'baton-console-'));
  const processes: ServiceProcess[] = [];
  const errors: string[] = [];
  let auth: Record<string, string> = {};
  const run = uniqueName('console').replace(/[^A-Za-z0-9_-]/g, '');

  const get = async <T>(path: string): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${base}${path}`, { headers: auth });
    return { status: res.status, body: (await res.json()) as T };
  };
  const startCase = async (key: string, email: CorpusEmail): Promise<string> => {
    const res = await fetch(`${base}/cases`, {
      method: 'POST', headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ workflow: 'inbox-triage', key, input: { messageId: email.id, raw: email.raw, receivedAt: Date.now(), mailbox: 'console-test' } }),
    });
    assert.equal(res.status, 202, await res.clone().text());
    return ((await res.json()) as { caseId: string }).caseId;
  };
  const openTask = (caseId: string) => poll(`a review task of case ${caseId}`, async () => {
    const tasks = (await get<{ taskId: string; caseId: string }[]>('/tasks?queue=triage')).body;
    return tasks.find((t) => t.caseId === caseId);
  });
  const caseStatus = async (caseId: string) => {
    const res = await get<{ summary: { status: string } }>(`/cases/${caseId}`);
    return res.status === 200 ? res.body.summary.status : undefined;
  };
  const shoot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

  before(async () => {
    if (skip) return;
    mkdirSync(shots, { recursive: true });
    db = await freshDatabase('console');
    const common = { DATABASE_URL: db.url, KAFKA_BROKERS: kafkaBrokers().join(','), BATON_TOPIC_NAMESPACE: run, BATON_KAFKA_SESSION_TIMEOUT_MS: '6000' };
    const orchestrator = new ServiceProcess('services/orchestrator/src/main.ts', { ...common, PORT: '0', BATON_ORCHESTRATOR_GROUP: `${run}-orchestrator` });
    processes.push(orchestrator);
    await orchestrator.start(90000);
    const steps = new ServiceProcess('services/triage-steps/src/main.ts', {
      ...common, PORT: '0', BATON_STEP_GROUP: `${run}-steps`, BATON_NOTIFY_FILE: join(home, 'notifications.jsonl'), BATON_QUARANTINE_DIR: join(home, 'quarantine'),
    });
    const port = await freePort();
    const issuer = await devIssuer();
    auth = await issuer.headers({ subject: 'console-test' });
    const gateway = new ServiceProcess('services/gateway/src/main.ts', { ...common, PORT: String(port), ...issuer.env });
    processes.push(gateway);
    await gateway.start(90000);
    base = `http://127.0.0.1:${port}`;
    // Registering creates the step topics, which the step service then subscribes to.
    const put = await fetch(`${base}/workflows`, { method: 'PUT', headers: { ...auth, 'content-type': 'application/yaml' }, body: readFileSync(join(root, 'services/triage-steps/workflows/inbox-triage.yaml'), 'utf8') });
    assert.ok(put.status === 201 || put.status === 200, await put.text());
    processes.push(steps);
    await steps.start(90000);
    browser = await chromium.launch({ executablePath: executable!, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text()); });
    page.on('response', (r) => { if (r.status() >= 400) errors.push(`${r.status()} ${r.request().method()} ${r.url()}`); });
  });

  after(async () => {
    await browser?.close();
    for (const p of processes.reverse()) await p.stop();
    await db?.drop();
    rmSync(home, { recursive: true, force: true });
  });

  it('runs a case into review, approves it in the inbox, and shows it completed with its graph, trace and events', { skip }, async () => {
    const [email] = await uncertainHams(1);
    const caseId = await startCase(`${run}:review`, email!);
    const task = await openTask(caseId);

    // Signed out, the console shows only the sign-in; the development issuer's button signs in (a token in this tab).
    await page.goto(`${base}/console/#/cases?key=${encodeURIComponent(run)}`);
    await page.locator('[data-sign-in]').waitFor();
    await page.click('[data-dev-sign-in]');
    await page.locator(`[data-case="${caseId}"]`).waitFor();
    assert.match(await page.locator(`[data-case="${caseId}"]`).innerText(), /awaiting-review/);
    await shoot('cases');

    await page.goto(`${base}/console/#/inbox?task=${encodeURIComponent(task.taskId)}`);
    await page.locator(`[data-task="${task.taskId}"]`).waitFor();
    const panel = await page.locator(`[data-task="${task.taskId}"]`).innerText();
    assert.match(panel, /Why a person is asked/);
    assert.match(panel, /confidence/, 'the output under review');
    assert.match(panel, /parse/, 'the prior steps');
    assert.match(await page.locator('[data-open-tasks]').innerText(), /^1$/);

    // An edit is checked against baton.steps.text.classify.Output before it can be sent.
    await page.click('[data-decide="edit"]');
    await page.fill('[data-edit-output]', JSON.stringify({ label: 'ham', confidence: 'very' }));
    await page.locator('[data-check-errors]').waitFor();
    assert.match(await page.locator('[data-check-errors]').innerText(), /output\.confidence/);
    assert.equal(await page.locator('[data-send-edit]').isDisabled(), true, 'a refused edit cannot be sent');
    await shoot('inbox');
    await page.click('[data-decide="edit"]');

    await page.getByLabel('Reviewer').fill('console-reviewer');
    await page.click('[data-decide="approve"]');
    await page.click('[data-confirm]');
    await page.locator('[data-decided]').waitFor();
    assert.match(await page.locator('[data-decided]').innerText(), /approve by console-reviewer/);

    await page.goto(`${base}/console/#/cases/${caseId}`);
    await page.locator('[data-case-page="completed"]').waitFor({ timeout: 60000 });
    await page.locator('[data-graph] svg').waitFor();
    assert.equal(await caseStatus(caseId), 'completed');
    const trace = await page.locator('[data-trace]').innerText();
    for (const step of ['parse', 'classify', 'entities', 'sentiment', 'reply', 'notify']) assert.match(trace, new RegExp(step));
    await page.locator('.wf-row', { hasText: 'classify' }).first().click();
    const opened = await page.locator('[data-trace]').innerText();
    assert.match(opened, /attempt 1/);
    assert.match(opened, /approve by console-reviewer/);
    assert.match(await page.locator('[data-events]').innerText(), /ReviewDecided|CaseCompleted/);
    assert.ok(await page.locator('[data-graph] .node').count() >= 7, 'every step of the definition is drawn');
    await shoot('case');

    await page.goto(`${base}/console/#/workflows/inbox-triage`);
    await page.locator('[data-workflow="inbox-triage"] [data-graph] svg').waitFor();
    await shoot('workflows');
    assert.deepEqual(errors, [], 'no error in the page');
  });

  it('cancels a case from its page after a confirmation that asks for a reason', { skip }, async () => {
    const [email] = await uncertainHams(1);
    const caseId = await startCase(`${run}:cancel`, email!);
    await openTask(caseId);
    await page.goto(`${base}/console/#/cases/${caseId}`);
    await page.locator('[data-case-page="awaiting-review"]').waitFor();
    await page.getByRole('button', { name: 'Cancel case...' }).click();
    assert.equal(await page.locator('[data-confirm]').isDisabled(), true, 'no cancel without a reason');
    await page.getByLabel('Reason (recorded in the case)').fill('customer withdrew the request');
    await page.click('[data-confirm]');
    await page.locator('[data-case-page="cancelled"]').waitFor({ timeout: 60000 });
    assert.equal(await caseStatus(caseId), 'cancelled');
    assert.match(await page.locator('main').innerText(), /customer withdrew the request/);
    assert.deepEqual(errors, [], 'no error in the page');
  });
});
