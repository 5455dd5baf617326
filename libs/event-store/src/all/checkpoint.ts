/**
 * Where a reader of all events stands: the `(transaction_id, global_position)` of the last
 * event it has handled. Events are read in that order: by the transaction id each transaction
 * took at its first write, which is not quite commit order (Emmett's design; see `readAll`).
 */
export interface Checkpoint {
  /** `xid8` of the last handled event's transaction, as a decimal string. */
  transactionId: string;
  /** Global position of the last handled event. */
  globalPosition: number;
}
