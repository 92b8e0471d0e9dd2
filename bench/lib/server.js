'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

/** CPU time (user + system, all threads) a process has used, in ms. */
function cpuMs(pid) {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * 10; // utime + stime, 100 ticks per second
}

/** Starts the built product (node dist/main.js) with `env` and resolves once it listens; `output` is what it printed. */
async function startProduct(env) {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'main.js')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  await new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (/listening on/.test(out)) {
        clearInterval(timer);
        resolve();
      }
    }, 100);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
  return { child, output: () => out };
}

module.exports = { cpuMs, startProduct };
