import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeySource, WrappedDataKey } from './key-source';

/** What a PII field reads as when its subject's key was shredded, or the reader may not see PII. */
export const REDACTED = '[redacted]';

/** Prefix of every encrypted field value: `pii:v1:<base64url of IV | tag | ciphertext>`. */
export const PII_TOKEN_PREFIX = 'pii:v1:';

/** Thrown when a token does not decrypt: tampered with, or another subject's. */
export class PiiDecryptionError extends Error {
  constructor(readonly subject: string, reason: string) {
    super(`PII of subject '${subject}' does not decrypt: ${reason}`);
    this.name = 'PiiDecryptionError';
  }
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** AES-256-GCM of `plain` under `key` with `aad`: IV | tag | ciphertext. */
function seal(key: Buffer, plain: Buffer, aad: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** The inverse of {@link seal}; throws when the tag does not verify. */
function open(key: Buffer, sealed: Buffer, aad: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
}

/** True when `value` is an encrypted PII field value. */
export function isPiiToken(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(PII_TOKEN_PREFIX);
}

/**
 * Envelope encryption of PII (docs/SECURITY.md, "PII"): each subject (a case) has its own random
 * 256-bit data key, stored only wrapped by a KEK of the {@link KeySource} (with the KEK's id, for
 * rotation); each value is AES-256-GCM under the data key with the subject as additional data, so
 * a token moved to another subject does not decrypt. Deleting a subject's data key
 * ({@link shred}) makes every token of it unreadable for good while the events holding them stay
 * as they are (crypto-shredding).
 */
export class PiiVault {
  private readonly dataKeys = new Map<string, Buffer>();

  constructor(private readonly keys: KeySource, private readonly cacheSize = 1000) {}

  /** Encrypts `plain` for `subject`, creating the subject's data key on first use; returns a `pii:v1:` token. */
  async encrypt(subject: string, plain: string): Promise<string> {
    const key = await this.dataKey(subject, true);
    return PII_TOKEN_PREFIX + seal(key!, Buffer.from(plain, 'utf8'), subject).toString('base64url');
  }

  /**
   * The plain text of a token of `subject`; {@link REDACTED} when the subject's key was shredded.
   * A value that is not a token is returned as it is (data written before its field was marked).
   * @throws PiiDecryptionError when the token was altered or belongs to another subject
   */
  async decrypt(subject: string, token: string): Promise<string> {
    if (!isPiiToken(token)) return token;
    const key = await this.dataKey(subject, false);
    if (!key) return REDACTED;
    try {
      return open(key, Buffer.from(token.slice(PII_TOKEN_PREFIX.length), 'base64url'), subject).toString('utf8');
    } catch {
      throw new PiiDecryptionError(subject, 'the authentication tag does not verify');
    }
  }

  /** Crypto-shredding: deletes the subject's data key; true when it had one. */
  async shred(subject: string): Promise<boolean> {
    this.dataKeys.delete(subject);
    return this.keys.deleteDataKey(subject);
  }

  /**
   * Rewraps the subject's data key under the current KEK (after a rotation); the tokens stay valid.
   * @returns the KEK id it is wrapped with now, or undefined when the subject has no key
   */
  async rewrap(subject: string): Promise<string | undefined> {
    const stored = await this.keys.getDataKey(subject);
    if (!stored) return undefined;
    const current = await this.keys.currentKekId();
    if (stored.kekId === current) return current;
    const key = await this.unwrap(subject, stored);
    await this.keys.replaceDataKey(subject, await this.wrap(subject, key, current));
    return current;
  }

  private async dataKey(subject: string, create: boolean): Promise<Buffer | undefined> {
    const cached = this.dataKeys.get(subject);
    if (cached) return cached;
    let stored = await this.keys.getDataKey(subject);
    if (!stored) {
      if (!create) return undefined;
      stored = await this.keys.putDataKey(subject, await this.wrap(subject, randomBytes(32), await this.keys.currentKekId()));
    }
    const key = await this.unwrap(subject, stored);
    if (this.dataKeys.size >= this.cacheSize) this.dataKeys.delete(this.dataKeys.keys().next().value!);
    this.dataKeys.set(subject, key);
    return key;
  }

  private async wrap(subject: string, key: Buffer, kekId: string): Promise<WrappedDataKey> {
    const kek = await this.keys.kek(kekId);
    if (!kek) throw new PiiDecryptionError(subject, `the key source has no KEK '${kekId}'`);
    return { kekId, wrapped: seal(kek, key, subject).toString('base64') };
  }

  private async unwrap(subject: string, stored: WrappedDataKey): Promise<Buffer> {
    const kek = await this.keys.kek(stored.kekId);
    if (!kek) throw new PiiDecryptionError(subject, `the key source has no KEK '${stored.kekId}'`);
    return open(kek, Buffer.from(stored.wrapped, 'base64'), subject);
  }
}
