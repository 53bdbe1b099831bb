import type { Response } from 'express';
import { once } from 'node:events';

/** Numbers are written as they are; text is neutralised against spreadsheet formulas. */
export type CsvCell = string | number | null | undefined;

const ROWS_PER_CHUNK = 200;

/**
 * One CSV line (RFC 4180). Text that a spreadsheet would run as a formula (starting with = + - @,
 * tab or carriage return) gets a leading apostrophe (OWASP "CSV injection"); numbers are ours and
 * stay numbers, negative ones included.
 */
export function csvLine(cells: readonly CsvCell[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

function csvCell(cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  let text = typeof cell === 'number' ? String(cell) : cell;
  if (typeof cell === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Streams a CSV download in chunks, waiting for the client to take each one. The byte order mark
 * makes spreadsheet programs read the file as UTF-8 (Thai names and reasons). An error after the
 * first byte can only cut the download short: the status line is already sent.
 */
export async function sendCsv(
  res: Response,
  filename: string,
  lines: AsyncIterable<readonly CsvCell[]> | Iterable<readonly CsvCell[]>,
): Promise<void> {
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`);
  res.setHeader('Cache-Control', 'no-store');
  let chunk = '\uFEFF';
  let rows = 0;
  try {
    for await (const line of lines) {
      chunk += csvLine(line);
      if (++rows % ROWS_PER_CHUNK === 0) {
        if (!(await write(res, chunk))) return;
        chunk = '';
      }
    }
    res.end(chunk);
  } catch (error) {
    if (res.headersSent) res.destroy(error instanceof Error ? error : undefined);
    else for (const header of ['Content-Type', 'Content-Disposition']) res.removeHeader(header);
    throw error;
  }
}

/** False when the client went away. */
async function write(res: Response, chunk: string): Promise<boolean> {
  if (res.destroyed) return false;
  if (!res.write(chunk)) {
    const waiting = new AbortController();
    const { signal } = waiting;
    await Promise.race([once(res, 'drain', { signal }), once(res, 'close', { signal })]).finally(() => waiting.abort());
  }
  return !res.destroyed;
}
