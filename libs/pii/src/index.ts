export { type KeySource, type WrappedDataKey } from './key-source';
export { LocalFileKeySource, localKeySourceFromEnv } from './local-file-key-source';
export { PiiVault, PiiDecryptionError, isPiiToken, REDACTED, PII_TOKEN_PREFIX } from './pii-vault';
export { piiPaths, encryptPii, revealPii, PII_READ_PERMISSION, type PiiPath } from './pii-fields';
