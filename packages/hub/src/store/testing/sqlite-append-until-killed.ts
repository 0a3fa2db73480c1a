/**
 * Test helper run as a child process: appends to the sqlite store at argv[2] (with
 * `synchronous` argv[3], FULL by default) forever
 * (single updates and batches of 3, 16 appends in flight) and prints each id once its
 * append resolved. The durability test SIGKILLs it and checks every printed id survived.
 */
import { createSqliteStore } from '../sqlite/sqlite.ts';

const store = createSqliteStore({
  path: process.argv[2]!,
  synchronous: process.argv[3] === 'NORMAL' ? 'NORMAL' : 'FULL',
});
const inFlight = new Set<Promise<void>>();
let next = 0;

function updates(n: number) {
  const count = n % 3 === 0 ? 3 : 1;
  return Array.from({ length: count }, (_, i) => ({
    id: `u${n}.${i}`,
    topics: ['t'],
    data: `data ${n}`,
    private: false,
  }));
}

for (;;) {
  while (inFlight.size < 16) {
    const done: Promise<void> = store.append(updates(next++)).then((stored) => {
      // A pipe write of < 4 KiB is atomic and synchronous on Linux: printed means acknowledged.
      process.stdout.write(`${stored.map((update) => update.id).join('\n')}\n`);
      inFlight.delete(done);
    });
    inFlight.add(done);
  }
  await Promise.race(inFlight);
}
