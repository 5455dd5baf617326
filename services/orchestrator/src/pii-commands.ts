import type { Command } from 'commander';
import { localKeySourceFromEnv, PiiVault } from '@baton/pii';

/**
 * The operator's PII commands (docs/SECURITY.md, "PII"), on the local key source
 * (`BATON_PII_KEYS_DIR`, default `$BATON_HOME/pii-keys`):
 *   npm run orchestrator -- pii shred <subject>     crypto-shredding: deletes the subject's (a case's) data key
 *   npm run orchestrator -- pii rotate-kek          a new key-encryption key becomes current
 *   npm run orchestrator -- pii rewrap <subject>... rewraps subjects' data keys under the current KEK
 * The event history is not touched: a shredded subject's PII fields read as `[redacted]` from then on.
 */
export function addPiiCommands(program: Command): void {
  const pii = program.command('pii').description('PII keys: crypto-shredding and key rotation');
  pii.command('shred').argument('<subject>', 'the subject (a case id) whose PII becomes unreadable')
    .action(async (subject: string) => {
      const removed = await new PiiVault(localKeySourceFromEnv()).shred(subject);
      console.log(removed ? `pii: shredded the data key of '${subject}'; its PII now reads as [redacted]` : `pii: '${subject}' has no data key (never had PII, or already shredded)`);
    });
  pii.command('rotate-kek').action(() => {
    console.log(`pii: the current key-encryption key is now ${localKeySourceFromEnv().rotateKek()}`);
  });
  pii.command('rewrap').argument('<subjects...>').action(async (subjects: string[]) => {
    const vault = new PiiVault(localKeySourceFromEnv());
    for (const s of subjects) console.log(`pii: ${s}: ${(await vault.rewrap(s)) ?? 'no data key'}`);
  });
}
