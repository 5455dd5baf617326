/**
 * Where a reader of all events stands: the `(transaction_id, global_position)` of the last
 * event it has handled. Events are read in that order, which is commit order across
 * transactions (Emmett's design; see `readAll`).
 */
export interface Checkpoint {
  /** `xid8` of the last handled event's transaction, as a decimal string. */
  transactionId: string;
  /** Global position of the last handled event. */
  globalPosition: number;
}
