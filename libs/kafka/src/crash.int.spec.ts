import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { kafkaBrokers, uniqueName } from '@baton/testing';
import { createKafka } from './client';
import { MessageProducer } from './producer';
import { ensureTopics } from './topics';

const root = resolve(__dirname, '../../..');

describe('a consumer that crashes', () => {
  it('ends its process with exit code 1 and one clear log line, so a supervisor restarts it', async () => {
    const topic = uniqueName('t.crash');
    const kafka = createKafka({ clientId: 'crash-test', brokers: kafkaBrokers() });
    await ensureTopics(kafka, [{ topic, partitions: 1 }]);
    const producer = new MessageProducer(kafka);
    await producer.send([{ topic, key: 'k', value: Buffer.from('garbage') }]);
    await producer.disconnect();
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'libs/kafka/test-fixtures/crashing-consumer.ts', topic], {
      cwd: root, env: { ...process.env, KAFKA_BROKERS: kafkaBrokers().join(','), SWC_NODE_PROJECT: join(root, 'tsconfig.json') }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    const code = await new Promise<number | null>((r) => {
      const timer = setTimeout(() => { child.kill('SIGKILL'); r(null); }, 90000);
      child.on('exit', (c) => { clearTimeout(timer); r(c); });
    });
    assert.equal(code, 1, stderr.slice(-2000));
    const fatal = stderr.split('\n').filter((l) => l.includes('"level":"fatal"'));
    assert.equal(fatal.length, 1, stderr.slice(-2000));
    assert.match(fatal[0]!, /consumer crashed, exiting: .+/);
    assert.match(fatal[0]!, new RegExp(`"groupId":"${topic}-group"`));
  });
});
