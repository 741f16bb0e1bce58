// A process's own peak resident memory in kilobytes: VmHWM from /proc/self/status where Linux has it, else
// getrusage's maxRSS. maxRSS alone is not the process's own on Linux: a child starts with the maxRSS of the parent
// it was forked from (the bench process, which holds search indexes of its own: a child export of no rows then read
// 148 MB, the same as one of 100,000 rows), while VmHWM starts afresh with the program the child runs.
import { readFileSync } from 'node:fs';

export function ownPeakRssKb() {
  try {
    const hwm = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]);
  } catch {
    // no /proc (macOS): getrusage's figure, which may include the parent's
  }
  return process.resourceUsage().maxRSS;
}
