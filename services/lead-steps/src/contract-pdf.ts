/**
 * `contract.generate`: the services agreement rendered as a real PDF with `pdf-lib`, written to
 * `<BATON_LEAD_DIR>/contracts/<contractId>.pdf`; its SHA-256 goes into the output. The document's
 * dates are fixed (pdf-lib would stamp the clock) so one case always renders the same bytes.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import { formatMinor } from './money';

/** The step's input record (contracts/steps/contract.generate/input.avsc). */
export interface ContractInput { leadId: string; company: string; contactName: string; amountMinor: number; currency: string }
/** The step's output record. */
export interface ContractOutput { contractId: string; path: string; sha256: string; bytes: number }

const EPOCH = new Date(Date.UTC(2026, 0, 1));

/** The PDF's bytes for `input`, the same for the same input. */
export async function renderContract(input: ContractInput, contractId: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`Services agreement ${contractId}`);
  pdf.setAuthor('Baton lead-steps');
  pdf.setCreationDate(EPOCH);
  pdf.setModificationDate(EPOCH);
  const page = pdf.addPage([595, 842]); // A4 in points
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  page.drawText('Services agreement', { x: 60, y: 770, size: 22, font: bold, color: rgb(0.1, 0.1, 0.3) });
  const lines = [
    `Contract ${contractId} (lead ${input.leadId})`,
    `Between Banao Services Ltd ("Provider") and ${input.company} ("Client"),`,
    `represented by ${input.contactName}.`,
    '',
    `1. The Provider delivers the project described in the statement of work.`,
    `2. The Client pays ${formatMinor(input.amountMinor, input.currency)} plus applicable tax,`,
    `   invoiced on signature, due within 30 days.`,
    `3. Either party may terminate with 30 days' written notice.`,
    '',
    'Signed for the Client: ______________________',
  ];
  lines.forEach((text, i) => page.drawText(text, { x: 60, y: 720 - i * 20, size: 12, font }));
  return pdf.save({ useObjectStreams: false });
}

/** Renders, writes (atomically: a temporary file renamed) and hashes the contract of a case. */
export async function generateContract(input: ContractInput, caseId: string, dir: string): Promise<ContractOutput> {
  const contractId = `ctr-${caseId.slice(0, 8)}-${input.leadId}`;
  const bytes = await renderContract(input, contractId);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${contractId}.pdf`);
  writeFileSync(`${path}.tmp`, bytes);
  renameSync(`${path}.tmp`, path);
  return { contractId, path, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
}
