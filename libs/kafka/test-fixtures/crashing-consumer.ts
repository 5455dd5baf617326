// A consumer whose dead-letter topic was never created: the first bad message makes dead-lettering
// fail, kafkajs gives up on the batch, and the runner's default crash handler must end the process
// (at once: no grace for crashes kafkajs would restart from).
import { createKafka, ConsumerRunner, MessageProducer } from '../src/index';

async function main(): Promise<void> {
  const topic = process.argv[2]!;
  const kafka = createKafka({ clientId: 'crash-fixture', retries: 0, logLevel: 'ERROR' });
  const producer = new MessageProducer(kafka, { retries: 1 });
  const runner = new ConsumerRunner<string>({
    kafka, groupId: `${topic}-group`, topics: [topic], fromBeginning: true, deadLetters: producer,
    decode: () => { throw new Error('not decodable'); }, crashGraceMs: 0,
    handle: async () => undefined,
  });
  await runner.start();
}

void main();
