// Creates Baton's fixed topics and their dead-letter topics with the partition counts of deploy/topics.json.
import { createKafka, ensureTopics, loadTopicPlan, topicSpecs } from '@baton/kafka';

const fixed = ['baton.triggers', 'baton.step-results', 'baton.signals', 'baton.case-events'];

async function main(): Promise<void> {
  const kafka = createKafka({ clientId: 'baton-topics' });
  const result = await ensureTopics(kafka, topicSpecs(loadTopicPlan(), fixed));
  console.log(`topics: ${result.created.length} created, ${result.existing.length} already there`);
  for (const m of result.mismatched) console.warn(`topics: ${m.topic} has ${m.actual} partitions, configured ${m.configured}; left as it is`);
}

main().catch((error: unknown) => {
  console.error(`topics: ${(error as Error).message}`);
  process.exit(1);
});
