// Child process of the duplicates figure: one full scan of the network in FILE, as /people/duplicates runs it.
// Prints one JSON line: seconds, peak resident memory of this process, and the pairs found.
import { ownPeakRssKb } from './peak-rss.mjs';
import { createDb } from '../src/db.js';
import { scanNetwork } from '../src/duplicates/duplicates.queries.js';

const file = process.argv[2]!;
const db = createDb({ databaseFile: file });
try {
  const t0 = performance.now();
  const scan = await scanNetwork(db);
  const seconds = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({
    seconds, peak_rss_mb: ownPeakRssKb() / 1024, compared: scan.compared, skipped_blocks: scan.skippedBlocks, read: scan.read,
    pairs: scan.pairs.map((p) => [p.a, p.b]),
  }));
} finally {
  await db.destroy();
}
