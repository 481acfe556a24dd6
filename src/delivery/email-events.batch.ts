/**
 * Groups the calls that arrive together into one `write`: each caller still waits for its own
 * result, but the database plans, executes and commits once per batch instead of once per call.
 * Batches run one at a time in a process, so two of them never lock the same rows in opposite
 * orders (between processes PostgreSQL breaks such a deadlock, and the batch is retried as
 * follows). A batch that fails is written again one item at a time, so one bad item (say a payload
 * PostgreSQL's jsonb refuses) fails alone and its neighbours go through.
 *
 * @param write stores the items and answers one result per item, in order.
 * @param maxBatch items per write. @defaultValue 200
 */
export function createMicroBatcher<I, O>(
  write: (items: I[]) => Promise<O[]>,
  maxBatch = 200,
): (item: I) => Promise<O> {
  interface Pending {
    item: I;
    resolve(result: O): void;
    reject(error: unknown): void;
  }
  let queue: Pending[] = [];
  let running = false;

  const settle = async (batch: Pending[]) => {
    const results = await write(batch.map((p) => p.item));
    for (const [i, p] of batch.entries()) p.resolve(results[i]!);
  };

  const flush = async () => {
    running = true;
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      try {
        await settle(batch);
      } catch (error) {
        if (batch.length === 1) batch[0]!.reject(error);
        else for (const p of batch) await settle([p]).catch(p.reject);
      }
    }
    running = false;
  };

  return (item) =>
    new Promise((resolve, reject) => {
      queue.push({ item, resolve, reject });
      // Wait one turn of the event loop so requests parsed in the same turn share the batch.
      if (!running && queue.length === 1) setImmediate(() => void flush());
    });
}
