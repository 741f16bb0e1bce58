// Types of bin/compile.js (plain JavaScript: it runs before anything is compiled) for the tests.
export declare function freshEntry(root: string, entry: string, cacheDir?: string): string | null;
export declare function compile(root: string, entry: string, cacheDir?: string): Promise<string>;
export declare function compiledEntry(root: string, entry: string, cacheDir?: string): Promise<string | null>;
