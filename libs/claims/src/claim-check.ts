import { readHeader, type SchemaCatalog } from '@baton/avro';
import { ContractNames, DEFAULT_CLAIM_THRESHOLD_BYTES } from '@baton/contracts';
import { claimOf, type Claim, type ClaimStore } from './claim-store';

/** The `baton.v1.ClaimReference` record (contracts/schemas/baton/ClaimReference.avsc). */
export interface ClaimReference {
  /** Lowercase hex SHA-256 of the stored single-object encoding. */
  sha256: string;
  /** Its length in bytes. */
  bytes: number;
  /** Full name of the record it encodes. */
  writerName: string;
}

/** Options of {@link ClaimCheck}. */
export interface ClaimCheckOptions {
  /** Payloads longer than this many bytes are stored and referred to; default `DEFAULT_CLAIM_THRESHOLD_BYTES` (256 KiB). */
  thresholdBytes?: number;
}

/**
 * The claim check (Enterprise Integration Patterns): a payload above the threshold is stored once
 * in a {@link ClaimStore} and the message carries a reference instead, so no message comes near
 * the broker's `message.max.bytes`.
 *
 * In Avro, a `bytes` field that carries a single-object encoding (`StepRequest.input`,
 * `StepCompleted.output`) then carries the single-object encoding of a `baton.v1.ClaimReference`
 * (`sha256`, `bytes`, `writerName`): a reader tells it by its fingerprint and swaps in the stored
 * bytes ({@link ClaimCheck.resolve}), so no envelope changed. A `CaseEvent` whose data is too
 * long carries `dataClaim` (the SHA-256 of the JSON text) and `data: "null"`.
 */
export class ClaimCheck {
  /** Payloads longer than this many bytes are claim-checked. */
  readonly thresholdBytes: number;
  private readonly referenceFingerprint: bigint;

  /** @throws RangeError when `thresholdBytes` is not a positive integer */
  constructor(private readonly catalog: SchemaCatalog, readonly store: ClaimStore, options: ClaimCheckOptions = {}) {
    this.thresholdBytes = options.thresholdBytes ?? DEFAULT_CLAIM_THRESHOLD_BYTES;
    if (!Number.isInteger(this.thresholdBytes) || this.thresholdBytes <= 0) throw new RangeError(`thresholdBytes must be a positive integer, got ${this.thresholdBytes}`);
    this.referenceFingerprint = catalog.get(ContractNames.ClaimReference).fingerprint;
  }

  /**
   * A single-object encoding as it should travel: itself when at most the threshold, else the
   * encoding of its reference and the claim to store (the caller stores it, e.g. in its transaction).
   */
  offload(encoded: Buffer): { value: Buffer; claim?: Claim } {
    if (encoded.length <= this.thresholdBytes) return { value: encoded };
    const claim = claimOf(encoded);
    const { fingerprint } = readHeader(encoded, { maxBytes: Number.MAX_SAFE_INTEGER });
    const writerName = this.catalog.byFingerprint(fingerprint)?.name ?? 'unknown';
    const reference: ClaimReference = { sha256: claim.sha256, bytes: encoded.length, writerName };
    return { value: this.catalog.encode(ContractNames.ClaimReference, reference), claim };
  }

  /** {@link ClaimCheck.offload}, storing the claim now (the step SDK's outputs). */
  async offloadNow(encoded: Buffer): Promise<Buffer> {
    const { value, claim } = this.offload(encoded);
    if (claim) await this.store.put([claim]);
    return value;
  }

  /** The reference `buf` carries, or null when `buf` is not a `ClaimReference` encoding. */
  referenceIn(buf: Buffer): ClaimReference | null {
    if (buf.length < 10 || buf.length > 4096) return null;
    let fingerprint: bigint;
    try {
      fingerprint = readHeader(buf).fingerprint;
    } catch {
      return null;
    }
    if (fingerprint !== this.referenceFingerprint) return null;
    return this.catalog.decode<ClaimReference>(buf).value;
  }

  /**
   * `buf` itself, or the stored bytes when it is a claim reference.
   * @throws ClaimNotFound, ClaimCorrupt (from the store)
   */
  async resolve(buf: Buffer): Promise<Buffer> {
    const reference = this.referenceIn(buf);
    return reference ? this.store.get(reference.sha256) : buf;
  }

  /** A JSON text as a `CaseEvent` carries it: itself, or `"null"` with the claim of the text when longer than the threshold. */
  offloadText(json: string): { data: string; dataClaim: string | null; claim?: Claim } {
    if (Buffer.byteLength(json) <= this.thresholdBytes) return { data: json, dataClaim: null };
    const claim = claimOf(Buffer.from(json, 'utf8'));
    return { data: 'null', dataClaim: claim.sha256, claim };
  }

  /** A `CaseEvent`'s data as JSON text, read from the store when it carries `dataClaim`. */
  async resolveText(event: { data: string; dataClaim?: string | null }): Promise<string> {
    return event.dataClaim ? (await this.store.get(event.dataClaim)).toString('utf8') : event.data;
  }
}
