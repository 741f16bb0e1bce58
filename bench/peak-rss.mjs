// Peak resident memory from /proc (VmHWM), the one place that reads it: of a running process the bench started
// (bench/util.ts), or of this process itself. A process's own peak falls back to getrusage's maxRSS where there is
// no /proc, but maxRSS alone is not the process's own on Linux: a child starts with the maxRSS of the parent it
// was forked from (the bench process, which holds search indexes of its own: a child export of no rows then read
// 148 MB, the same as one of 100,000 rows), while VmHWM starts afresh with the program the child runs.
import { readFileSync } from 'node:fs';

/** VmHWM in kilobytes of process `pid` ('self': this one), or null where /proc has none. */
export function peakRssKb(pid = 'self') {
  try {
    const hwm = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return hwm ? Number(hwm[1]) : null;
  } catch {
    return null;
  }
}

/** This process's own peak resident memory in kilobytes (getrusage where there is no /proc, which may include the parent's). */
export function ownPeakRssKb() {
  return peakRssKb() ?? process.resourceUsage().maxRSS;
}
