#!/usr/bin/env node
// Kafka principals and ACLs of Baton (docs/SECURITY.md, "Kafka"), from deploy/kafka-acls.json.
//   node deploy/local/kafka-security.mjs credentials       ensure the credentials file (random passwords for new users)
//   node deploy/local/kafka-security.mjs scram-args        the StorageTool --add-scram values, one a line
//   node deploy/local/kafka-security.mjs admin-password    the admin principal's password
//   node deploy/local/kafka-security.mjs users             every user of the credentials file, one a line
//   node deploy/local/kafka-security.mjs acls [--namespace NS] [--dry-run]   create the ACLs (as admin)
// The credentials file is BATON_KAFKA_CREDENTIALS, default $BATON_HOME/kafka/credentials.json (mode 0600):
//   { "mechanism": "scram-sha-512", "users": { "<principal>": "<password>" } }
// `acls` connects to KAFKA_BROKERS as KAFKA_SASL_USERNAME/KAFKA_SASL_PASSWORD when set, else as the
// admin user of the credentials file. Creating an ACL that exists is a no-op, so it runs at every start.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const planFile = process.env.BATON_KAFKA_ACLS_FILE ?? join(root, 'deploy/kafka-acls.json');
const credentialsFile = process.env.BATON_KAFKA_CREDENTIALS ?? join(process.env.BATON_HOME ?? join(root, '.baton'), 'kafka', 'credentials.json');

const plan = () => JSON.parse(readFileSync(planFile, 'utf8'));
const principals = (p) => [p.admin, p.orchestrator, p.gateway, ...Object.keys(p.stepTeams)];
const readCredentials = () => (existsSync(credentialsFile) ? JSON.parse(readFileSync(credentialsFile, 'utf8')) : { mechanism: 'scram-sha-512', users: {} });

function credentials() {
  const file = readCredentials();
  let added = 0;
  for (const user of principals(plan())) {
    if (!file.users[user]) { file.users[user] = randomBytes(18).toString('hex'); added++; }
  }
  if (added > 0 || !existsSync(credentialsFile)) {
    mkdirSync(dirname(credentialsFile), { recursive: true });
    writeFileSync(credentialsFile, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  }
}

/**
 * Every ACL binding of the plan under a topic namespace (`''`: none; else `<ns>.` prefixes every
 * topic and group), as kafkajs `createAcls` entries.
 */
export function aclBindings(p, namespace = '') {
  const ns = namespace ? `${namespace}.` : '';
  const out = [];
  const allow = (principal, resourceType, resourceName, patternType, operations) => {
    for (const operation of operations) out.push({ principal: `User:${principal}`, resourceType, resourceName, resourcePatternType: patternType, operation, host: '*', permissionType: 'ALLOW' });
  };
  const writer = (principal) => allow(principal, 'CLUSTER', 'kafka-cluster', 'LITERAL', ['IDEMPOTENT_WRITE']);
  // The orchestrator: everything under its namespace's `baton.` topics (it creates them), its groups, and describes the step groups (lag).
  allow(p.orchestrator, 'TOPIC', `${ns}baton.`, 'PREFIXED', ['READ', 'WRITE', 'CREATE', 'DESCRIBE', 'DESCRIBE_CONFIGS']);
  allow(p.orchestrator, 'GROUP', `${ns}baton-orchestrator`, 'PREFIXED', ['READ', 'DESCRIBE']);
  allow(p.orchestrator, 'GROUP', `${ns}baton-step-`, 'PREFIXED', ['DESCRIBE']);
  writer(p.orchestrator);
  // The gateway: writes triggers and signals, nothing else; sees topic names (it checks its topics exist).
  allow(p.gateway, 'TOPIC', `${ns}baton.triggers`, 'LITERAL', ['WRITE']);
  allow(p.gateway, 'TOPIC', `${ns}baton.signals`, 'LITERAL', ['WRITE']);
  allow(p.gateway, 'TOPIC', `${ns}baton.`, 'PREFIXED', ['DESCRIBE']);
  writer(p.gateway);
  // A step team: reads (and may create) its own step topics in its groups, dead-letters their messages, writes results (and heartbeats).
  for (const [team, types] of Object.entries(p.stepTeams)) {
    for (const type of types) {
      // CREATE: a step service may start before the orchestrator has created its topics (the SDK ensures them).
      allow(team, 'TOPIC', `${ns}baton.step.${type}`, 'LITERAL', ['READ', 'CREATE']);
      allow(team, 'TOPIC', `${ns}baton.step.${type}.dlt`, 'LITERAL', ['WRITE', 'CREATE']);
    }
    allow(team, 'TOPIC', `${ns}baton.step-results`, 'LITERAL', ['WRITE']);
    allow(team, 'TOPIC', `${ns}baton.`, 'PREFIXED', ['DESCRIBE']);
    allow(team, 'GROUP', `${ns}baton-step-`, 'PREFIXED', ['READ']);
    writer(team);
  }
  return out;
}

async function acls(args) {
  const nsAt = args.indexOf('--namespace');
  const namespace = nsAt >= 0 ? args[nsAt + 1] ?? '' : '';
  const bindings = aclBindings(plan(), namespace);
  if (args.includes('--dry-run')) { console.log(JSON.stringify(bindings, null, 2)); return; }
  const { Kafka, AclResourceTypes, AclOperationTypes, AclPermissionTypes, ResourcePatternTypes, logLevel } = (await import('kafkajs')).default;
  const file = readCredentials();
  const username = process.env.KAFKA_SASL_USERNAME ?? plan().admin;
  const password = process.env.KAFKA_SASL_PASSWORD ?? file.users[username];
  if (!password) throw new Error(`kafka-security: no password for '${username}' (set KAFKA_SASL_PASSWORD or create ${credentialsFile})`);
  const brokers = (process.env.KAFKA_BROKERS ?? `127.0.0.1:${process.env.BATON_KAFKA_PORT ?? 9092}`).split(',');
  const kafka = new Kafka({ clientId: 'baton-acls', brokers, logLevel: logLevel.NOTHING, sasl: { mechanism: 'scram-sha-512', username, password }, retry: { retries: 10 } });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createAcls({
      acl: bindings.map((b) => ({
        ...b,
        resourceType: AclResourceTypes[b.resourceType],
        resourcePatternType: ResourcePatternTypes[b.resourcePatternType],
        operation: AclOperationTypes[b.operation],
        permissionType: AclPermissionTypes[b.permissionType],
      })),
    });
    console.log(`kafka: ${bindings.length} ACL bindings in place${namespace ? ` for namespace '${namespace}'` : ''}`);
  } finally {
    await admin.disconnect();
  }
}

const commands = {
  credentials,
  'scram-args': () => { const f = readCredentials(); for (const [name, password] of Object.entries(f.users)) console.log(`SCRAM-SHA-512=[name=${name},password=${password}]`); },
  'admin-password': () => console.log(readCredentials().users[plan().admin]),
  users: () => console.log(Object.keys(readCredentials().users).join('\n')),
  'user-password': (args) => console.log(readCredentials().users[args[0]] ?? ''),
  acls,
};
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [cmd, ...args] = process.argv.slice(2);
  if (!commands[cmd]) { console.error(`usage: kafka-security.mjs ${Object.keys(commands).join('|')}`); process.exit(2); }
  await commands[cmd](args);
}
