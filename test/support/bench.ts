// Runs `npm run bench` for the smoke tests (test/bench/bench.test.ts on SQLite, test/pg/bench.test.ts on PostgreSQL).
import { spawn } from 'node:child_process';

/** The keys of each figure in the JSON line, in order (issue 8). */
export const BENCH_SHAPE: Record<string, string[]> = {
  import: ['app_s', 'raw_s', 'ratio', 'peak_rss_mb', 'web_ratio'],
  search: ['app_p95_ms', 'raw_p95_ms', 'ratio', 'first_ask_p95_ms', 'first_ask_ratio'],
  pages: ['app_rps', 'raw_rps', 'ratio', 'app_p99_ms', 'person_ratio', 'search_ratio', 'empty_ratio'],
  export: ['app_s', 'raw_s', 'ratio', 'peak_rss_mb', 'cli_empty_ratio'],
  duplicates: ['app_s', 'raw_s', 'ratio', 'peak_rss_mb', 'door_p95_ms', 'precision', 'recall', 'namesakes'],
  export_xlsx: ['app_s', 'csv_s', 'ratio', 'peak_rss_mb', 'cli_s', 'cli_rows', 'base_rss_mb', 'bytes_per_row', 'server_peak_rss_mb', 'rss_before_mb', 'growth_mb', 'csv_growth_mb'],
  typeahead: ['app_p50_ms', 'app_p95_ms', 'raw_p95_ms', 'ratio'],
  mail: ['start_request_s', 'app_mails_per_s', 'raw_mails_per_s', 'ratio'],
  interpreted_search: ['app_p95_ms', 'filters_p95_ms', 'ratio'],
  bulk_tag: ['people', 's', 'undo_s'],
  api: ['list_p95_ms', 'html_p95_ms', 'list_ratio', 'paging_s', 'csv_s', 'paging_ratio'],
  memory: ['index_bytes_per_person'],
  load: ['p99_ms', 'errors', 'import_p99_ms', 'import_errors'],
};

/** The top-level keys of the JSON line, in order. */
export const BENCH_KEYS = ['people', 'import', 'search', 'pages', 'export', 'export_xlsx', 'duplicates', 'interpreted_search', 'bulk_tag', 'typeahead', 'mail', 'api', 'memory', 'load'];

export interface BenchRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runBench(args: string[]): Promise<BenchRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'bench', '--', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The last line of stdout as a JSON object. */
export function benchJson(r: BenchRun): Record<string, unknown> {
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}
