/** A process's own peak resident memory in kilobytes (bench/peak-rss.mjs). */
export function ownPeakRssKb(): number;
