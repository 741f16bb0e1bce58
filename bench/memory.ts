// Memory figure (issue 19, item 3): bytes of search index per person, measured in a child process that loads the
// index as the server does (bench/index-memory.ts: V8 heap + array buffers after a full GC, before and after).
import { log, round, runTimed } from './util.js';

export interface MemoryFigure {
  status: string;
  people: number | null;
  /** heap + array buffers the loaded index holds, per person (measured) */
  index_bytes_per_person: number | null;
  index_mb: number | null;
  /** of which typed arrays (counted) */
  typed_array_mb: number | null;
}

export async function memoryFigure(file: string): Promise<MemoryFigure> {
  const run = await runTimed(['--expose-gc', '--import', 'tsx', 'bench/index-memory.ts', file], process.env);
  const line = run.stdout.trim().split('\n').pop() ?? '';
  if (run.code !== 0 || !line.startsWith('{')) {
    const status = `index-memory failed: ${run.stderr.trim().split('\n').pop()?.slice(0, 200) ?? run.code}`;
    return { status, people: null, index_bytes_per_person: null, index_mb: null, typed_array_mb: null };
  }
  const r = JSON.parse(line) as { people: number; heap_bytes: number; typed_array_bytes: number; bytes_per_person: number | null };
  const fig = {
    status: 'ok', people: r.people, index_bytes_per_person: round(r.bytes_per_person, 0),
    index_mb: round(r.heap_bytes / 2 ** 20, 1), typed_array_mb: round(r.typed_array_bytes / 2 ** 20, 1),
  };
  log(`memory: ${JSON.stringify(fig)}`);
  return fig;
}
