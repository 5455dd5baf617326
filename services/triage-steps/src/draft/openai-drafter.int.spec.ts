/**
 * The HTTP drafter against a fake OpenAI-compatible server on 127.0.0.1 (a hosted LLM cannot run
 * here): the one fake in these tests.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { llmConfig, type LlmConfig } from '../config';
import { isNonRetryable, NonRetryableError, RetryableFailure } from '../errors';
import { draftReply, drafterFromEnv } from './draft-reply';
import { type DraftInput } from './draft-types';
import { OpenAiDrafter } from './openai-drafter';

interface Recorded {
  url: string;
  headers: IncomingMessage['headers'];
  body: { model: string; messages: Array<{ role: string; content: string }> };
}

let server: Server;
let base: string;
const requests: Recorded[] = [];
/** What the fake answers next: a status and a body (a function of the request). */
let answer: (req: Recorded) => { status: number; body: string; delayMs?: number } = () => ({ status: 500, body: 'unset' });

before(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      const rec: Recorded = { url: req.url ?? '', headers: req.headers, body: JSON.parse(data || '{}') as Recorded['body'] };
      requests.push(rec);
      const { status, body, delayMs } = answer(rec);
      setTimeout(() => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(body);
      }, delayMs ?? 0);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((ok) => server.close(() => ok()));
});

const input: DraftInput = {
  subject: 'Order 77 arrived damaged',
  from: 'Ann Lee <ann@example.com>',
  text: 'The parcel arrived on Monday with a broken lid. I paid $45.',
  entities: { people: ['Ann Lee'], organizations: [], dates: ['Monday'], money: ['$45'] },
  sentiment: { score: -0.3, comparative: -0.3, label: 'negative' },
};

function config(over: Partial<LlmConfig> = {}): LlmConfig {
  return { url: base, model: 'test-model', apiKey: 'sk-test', priceInPer1k: 0.5, priceOutPer1k: 1.5, timeoutMs: 2000, ...over };
}

const completion = (content: string, usage?: object): string =>
  JSON.stringify({ id: 'c1', object: 'chat.completion', model: 'test-model-2024', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], ...(usage ? { usage } : {}) });

/** The failure `p` rejects with, and whether the step SDK would retry it. */
async function failure(p: Promise<unknown>): Promise<{ name: string; message: string; retryable: boolean }> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof NonRetryableError || err instanceof RetryableFailure, `a NonRetryableError or a RetryableFailure, got ${String(err)}`);
    return { name: err.name, message: err.message, retryable: !isNonRetryable(err) };
  }
  assert.fail('expected a failure');
}

test('a completion gives the reply, the tokens the server counted and their cost at the configured prices', async () => {
  requests.length = 0;
  answer = () => ({ status: 200, body: completion('Dear Ann, sorry about order 77.', { prompt_tokens: 1200, completion_tokens: 300, total_tokens: 1500 }) });
  const out = await new OpenAiDrafter(config()).draft(input, 'case-1:reply');
  assert.deepEqual(out, { reply: 'Dear Ann, sorry about order 77.', model: 'test-model-2024', inputTokens: 1200, outputTokens: 300, costUsd: 0.6 + 0.45 });
  assert.equal(requests.length, 1);
  const req = requests[0];
  assert.equal(req.url, '/v1/chat/completions');
  assert.equal(req.headers.authorization, 'Bearer sk-test');
  assert.equal(req.headers['idempotency-key'], 'case-1:reply');
  assert.equal(req.body.model, 'test-model');
  assert.deepEqual(req.body.messages.map((m) => m.role), ['system', 'user']);
  assert.match(req.body.messages[1].content, /Subject: Order 77 arrived damaged/);
  assert.match(req.body.messages[1].content, /Amounts: \$45/);
});

test('429 and 5xx answers are retryable failures', async () => {
  for (const status of [429, 500, 502, 503]) {
    answer = () => ({ status, body: '{"error":{"message":"busy"}}' });
    const err = await failure(new OpenAiDrafter(config()).draft(input));
    assert.equal(err.retryable, true, `status ${status}`);
    assert.equal(err.name, 'LlmUnavailable');
    assert.match(err.message, new RegExp(`answered ${status}`));
  }
});

test('other 4xx answers are the non-retryable LlmRequestRejected', async () => {
  for (const status of [400, 401, 404, 422]) {
    answer = () => ({ status, body: '{"error":{"message":"bad request"}}' });
    const err = await failure(new OpenAiDrafter(config()).draft(input));
    assert.equal(err.retryable, false, `status ${status}`);
    assert.equal(err.name, 'LlmRequestRejected');
    assert.match(err.message, /bad request/);
  }
});

test('a refused connection and a timeout are retryable', async () => {
  const closed = createServer();
  await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((ok) => closed.close(() => ok()));
  const refused = await failure(new OpenAiDrafter(config({ url: `http://127.0.0.1:${port}` })).draft(input));
  assert.equal(refused.retryable, true);
  assert.equal(refused.name, 'LlmUnavailable');

  answer = () => ({ status: 200, body: completion('late'), delayMs: 500 });
  const slow = await failure(new OpenAiDrafter(config({ timeoutMs: 100 })).draft(input));
  assert.equal(slow.retryable, true);
  assert.match(slow.message, /no answer within 100 ms/);
});

test('a 2xx answer without a reply is a retryable LlmBadResponse', async () => {
  answer = () => ({ status: 200, body: 'not json' });
  assert.equal((await failure(new OpenAiDrafter(config()).draft(input))).name, 'LlmBadResponse');
  answer = () => ({ status: 200, body: JSON.stringify({ choices: [] }) });
  const err = await failure(new OpenAiDrafter(config()).draft(input));
  assert.equal(err.name, 'LlmBadResponse');
  assert.equal(err.retryable, true);
});

test('without usage in the answer, tokens are counted as words; prices default to 0', async () => {
  answer = () => ({ status: 200, body: completion('one two three') });
  const out = await new OpenAiDrafter(config({ priceInPer1k: 0, priceOutPer1k: 0 })).draft(input);
  assert.equal(out.outputTokens, 3);
  assert.ok(out.inputTokens > 10);
  assert.equal(out.costUsd, 0);
});

test('with BATON_LLM_URL set, text.draft uses the HTTP drafter with the environment\'s model, key and prices', async () => {
  const saved = { ...process.env };
  try {
    Object.assign(process.env, { BATON_LLM_URL: `${base}/`, BATON_LLM_MODEL: 'env-model', BATON_LLM_API_KEY: 'sk-env', BATON_LLM_PRICE_IN: '2', BATON_LLM_PRICE_OUT: '4' });
    assert.deepEqual(llmConfig(), { url: base, model: 'env-model', apiKey: 'sk-env', priceInPer1k: 2, priceOutPer1k: 4, timeoutMs: 30_000 });
    assert.ok(drafterFromEnv() instanceof OpenAiDrafter);
    requests.length = 0;
    answer = (req) => ({ status: 200, body: JSON.stringify({ choices: [{ message: { content: `reply by ${req.body.model}` } }], usage: { prompt_tokens: 500, completion_tokens: 250 } }) });
    const ctx = { caseId: 'c-9', stepId: 'reply', attempt: 1, idempotencyKey: 'c-9:reply', params: {} };
    const out = await draftReply(input, ctx);
    assert.deepEqual(out, { reply: 'reply by env-model', model: 'env-model', inputTokens: 500, outputTokens: 250, costUsd: 2 });
    assert.equal(requests[0].headers.authorization, 'Bearer sk-env');
    process.env.BATON_LLM_PRICE_IN = 'cheap';
    assert.throws(() => llmConfig(), /BATON_LLM_PRICE_IN: expected a non-negative number \(USD per 1000 prompt tokens\), got/);
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
});
