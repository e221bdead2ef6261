// child.ts — runs a program in a fresh `node` process, as a user's script would, with a hard timeout: a process
// that does not exit by itself (a live worker handle or port) is killed and reported as a hang.
import { execFile } from 'node:child_process';

export interface ChildResult {
  code: number | null;
  signal: string | null;
  hung: boolean;
  stdout: string;
  stderr: string;
}

/** Absolute URL of a committed JS kernel module (kernels/js/<file>.js). */
export const kernelUrl = (file: string): string => new URL(`../../kernels/js/${file}.js`, import.meta.url).href;
export const RUNTIME_URL = new URL('../../backends/js/runtime/index.js', import.meta.url).href;

/** Run `source` as an ES module (`node [flags] --input-type=module -e source`). */
export function runNode(source: string, flags: string[] = [], timeoutMs = 30_000): Promise<ChildResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...flags, '--input-type=module', '-e', source],
      { timeout: timeoutMs, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { code?: number | string; killed?: boolean; signal?: string }) | null;
        const code = e ? (typeof e.code === 'number' ? e.code : null) : 0;
        resolve({ code, signal: e?.signal ?? null, hung: Boolean(e?.killed), stdout, stderr });
      },
    );
  });
}
