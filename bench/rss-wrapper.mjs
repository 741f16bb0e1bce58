// Runs a script as if it were the main program and, when the process exits, writes its own peak resident memory
// (kilobytes: VmHWM, or getrusage maxRSS where there is no /proc; bench/peak-rss.mjs says why) to a file.
// Usage: node bench/rss-wrapper.mjs RSS_FILE SCRIPT [args...]. No GNU time, and it measures exactly the process
// that did the work.
import { writeFileSync } from 'node:fs';
import { ownPeakRssKb } from './peak-rss.mjs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [rssFile, script, ...args] = process.argv.slice(2);
if (!rssFile || !script) {
  console.error('usage: node bench/rss-wrapper.mjs RSS_FILE SCRIPT [args...]');
  process.exit(2);
}
const full = path.resolve(script);
process.argv = [process.argv[0], full, ...args];
process.on('exit', () => {
  writeFileSync(rssFile, String(ownPeakRssKb()));
});
await import(pathToFileURL(full).href);
