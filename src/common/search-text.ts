/**
 * Text as the partial filters compare it: case- and accent-insensitive, the same on every
 * engine. MariaDB's utf8mb4_unicode_ci finds "Škoda" for `skoda`; SQLite's NOCASE folds only
 * ASCII and does not. So the searched columns keep a folded copy (written with the row, see
 * database/search-columns.ts) and the filter value is folded the same way here; the database then
 * only compares bytes (utf8mb4_bin on MariaDB, BINARY on SQLite), identically on both.
 *
 * Folding: compatibility decomposition (NFKD), combining marks dropped, lower case, and the
 * letters that do not decompose spelled as their base letters (ß → ss, Ø → o, Ł → l, ...), as
 * unicode_ci compares them. ASCII text folds to its plain lower case, which SQL's LOWER() gives
 * on both engines (the migration uses that).
 */
const SPECIAL: Record<string, string> = {
  ß: 'ss',
  ẞ: 'ss',
  æ: 'ae',
  Æ: 'ae',
  œ: 'oe',
  Œ: 'oe',
  ø: 'o',
  Ø: 'o',
  đ: 'd',
  Đ: 'd',
  ð: 'd',
  Ð: 'd',
  ł: 'l',
  Ł: 'l',
  þ: 'th',
  Þ: 'th',
  ı: 'i',
  ħ: 'h',
  Ħ: 'h',
  ŧ: 't',
  Ŧ: 't',
};
const SPECIAL_RE = new RegExp(`[${Object.keys(SPECIAL).join('')}]`, 'g');
const MARKS = /\p{M}/gu;

export function foldText(value: string): string;
export function foldText(value: string | null | undefined): string | null;
export function foldText(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  // Printable ASCII (the common case) needs no normalisation.
  if (!/[^ -~]/.test(value)) return value.toLowerCase();
  return value
    .normalize('NFKD')
    .replace(MARKS, '')
    .replace(SPECIAL_RE, (c) => SPECIAL[c])
    .toLowerCase()
    .normalize('NFC');
}
