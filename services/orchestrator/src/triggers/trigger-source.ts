/**
 * A file (or object) that landed where a workflow's `files` trigger watches, complete: what the
 * case it starts gets as its input. Times are epoch ms.
 */
export interface Landing {
  /** Where it is: an absolute path for a directory, `s3://bucket/key` for a bucket. */
  path: string;
  /** Its name (the last path segment), which the trigger's `pattern` matched. */
  name: string;
  /** Bytes. */
  size: number;
  /** Lowercase hex SHA-256 of its content: the case key (`file:<sha256>`), so one content starts one case. */
  sha256: string;
  /** When the source saw it complete. */
  landedAt: number;
}

/**
 * Where landings come from. A source reports each complete file once per change of content
 * (a file still being written is not reported); the caller starts the case, and a source that can
 * acknowledge (a queue) does so only after `onLanding` resolved, so a crash re-reports instead of
 * losing a landing. Cases are keyed by content hash, so a report repeated is harmless.
 *
 * `DirectorySource` watches a directory by polling. A bucket would plug in here as another
 * implementation: an S3 bucket's event notifications (`s3:ObjectCreated:*`, sent only for a
 * complete object) read from an SQS queue, `path` = `s3://<bucket>/<key>`, `sha256` from the
 * object's `x-amz-checksum-sha256` or by streaming it, the SQS message deleted after `onLanding`.
 */
export interface TriggerSource {
  /** Names the source in logs, e.g. `dir:/data/inbox`. */
  readonly name: string;
  /** Starts reporting; `onLanding` is awaited before the next landing is reported. */
  start(onLanding: (landing: Landing) => Promise<void>): void;
  /** Stops after the landing in hand. */
  stop(): Promise<void>;
}
