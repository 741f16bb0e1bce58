/** VmHWM in kilobytes of process `pid` ('self': this one), or null where /proc has none (bench/peak-rss.mjs). */
export function peakRssKb(pid?: number | 'self'): number | null;
/** This process's own peak resident memory in kilobytes (bench/peak-rss.mjs). */
export function ownPeakRssKb(): number;
