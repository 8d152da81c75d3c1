/**
 * deploy/nginx/rentlog.conf run by a real nginx in front of test processes (when an nginx binary is
 * installed: Debian's `nginx-light` will do): the compose file's upstream names replaced by the test's
 * addresses and its listen port by a free one, everything else as shipped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sleep } from './eventually.js';
import { PROJECT_ROOT } from './run-node-script.js';

export interface NginxProxy {
  url: string;
  close(): Promise<void>;
}

export async function startNginx(dir: string, port: number, backends: string[]): Promise<NginxProxy> {
  let conf = readFileSync(path.join(PROJECT_ROOT, 'deploy/nginx/rentlog.conf'), 'utf8');
  backends.forEach((backend, i) => {
    conf = conf.replace(new RegExp(`server api-${i + 1}:3000`), `server ${new URL(backend).host}`);
  });
  conf = conf.replace(/listen 8080;/, `listen 127.0.0.1:${port};`);
  mkdirSync(path.join(dir, 'logs'), { recursive: true });
  writeFileSync(path.join(dir, 'rentlog.conf'), conf);
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    [
      'daemon off;',
      `pid ${path.join(dir, 'nginx.pid')};`,
      `error_log ${path.join(dir, 'logs/error.log')} warn;`,
      'events {}',
      'http {',
      `  access_log ${path.join(dir, 'logs/access.log')};`,
      `  client_body_temp_path ${path.join(dir, 'body')};`,
      `  proxy_temp_path ${path.join(dir, 'proxy')};`,
      `  include ${path.join(dir, 'rentlog.conf')};`,
      '}',
    ].join('\n'),
  );
  const child: ChildProcess = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.on('error', (error) => (output += `${error.message} (is nginx installed? .ci/run installs Debian's)\n`));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i += 1) {
    try {
      if ((await fetch(`${url}/nginx-health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 100 || child.exitCode !== null || output.includes('is nginx installed'))
      throw new Error(`nginx did not start: ${output}`);
    await sleep(50);
  }
  return {
    url,
    close: async () => {
      child.kill('SIGQUIT');
      await exited;
      if (process.env.NGINX_LOG_COPY)
        writeFileSync(process.env.NGINX_LOG_COPY, readFileSync(path.join(dir, 'logs/error.log')));
    },
  };
}
