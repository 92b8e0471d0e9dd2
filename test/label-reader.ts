import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface ReadLabel {
  pages: number;
  /** The text of the PDF, as a PDF reader extracts it. */
  text: string;
  /** The barcode found on the page rendered to pixels, as a scanner reads the printed label (null fields: none found). */
  barcode: { format: string | null; text: string | null };
}

/** Reads a label back: its text, and its barcode from the rendered page (test/tools/read-label.mjs, in a process of its own). */
export function decodeLabel(pdf: Buffer): Promise<ReadLabel> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'tools', 'read-label.mjs')], { stdio: ['pipe', 'pipe', 'pipe'], timeout: 60_000 });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as ReadLabel) : reject(new Error(`read-label exited with ${code}: ${err.slice(0, 1000)}`))));
    child.stdin.end(pdf);
  });
}
