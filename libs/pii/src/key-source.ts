/**
 * A subject's data key wrapped (AES-256-GCM) by a key-encryption key (KEK): `kekId` names the KEK,
 * `wrapped` is base64 of IV (12 bytes) | tag (16 bytes) | ciphertext (32 bytes).
 */
export interface WrappedDataKey {
  kekId: string;
  wrapped: string;
}

/**
 * Where the keys live, behind one interface so a KMS or Vault can replace the local file provider.
 * Implementations must be safe for several processes: `putDataKey` keeps the first key stored
 * for a subject and returns it (two writers racing end on the same key).
 */
export interface KeySource {
  /** The id of the KEK that wraps new data keys (rotation: a new id becomes current). */
  currentKekId(): Promise<string>;
  /** A KEK by id: 32 bytes; undefined when the source has no such key. */
  kek(id: string): Promise<Buffer | undefined>;
  /** The subject's wrapped data key; undefined when it has none, or it was shredded. */
  getDataKey(subject: string): Promise<WrappedDataKey | undefined>;
  /** Stores the subject's wrapped data key unless one exists; returns the one stored. */
  putDataKey(subject: string, key: WrappedDataKey): Promise<WrappedDataKey>;
  /** Replaces the subject's wrapped data key (rewrapping under a new KEK). */
  replaceDataKey(subject: string, key: WrappedDataKey): Promise<void>;
  /** Deletes the subject's data key (crypto-shredding); true when there was one. */
  deleteDataKey(subject: string): Promise<boolean>;
}
