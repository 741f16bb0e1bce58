// Runs a script as if it were the main program and, when the process exits, writes its peak resident memory
// (getrusage maxRSS, kilobytes) to a file. Usage: node bench/rss-wrapper.mjs RSS_FILE SCRIPT [args...]
// Portable (no GNU time, no /proc), and it measures exactly the process that did the work.
import { writeFileSync } from 'node:fs';
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
  writeFileSync(rssFile, String(process.resourceUsage().maxRSS));
});
await import(pathToFileURL(full).href);
