/** Runs a TypeScript script in a child Node process (via the swc loader) and returns its stdout. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SWC_REGISTER = fileURLToPath(new URL('./swc-register.mjs', import.meta.url));

export function runNodeScript(script: string, args: string[], timeoutMs = 30_000): Promise<string> {
  const env = { ...process.env };
  delete env.NODE_OPTIONS; // Jest's --experimental-vm-modules is not needed (and warns) in children
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', SWC_REGISTER, script, ...args], {
      cwd: PROJECT_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`${script} exited with ${code ?? signal}: ${stderr.trim()}`));
    });
  });
}
