// Reads CSV the way LibreOffice's import dialog does with its default settings: comma, semicolon AND tab all
// ticked as separators, `"` as the string delimiter (a quote opens a field only at its start; `""` inside is a
// quote). An export that survives this parse has every cell where it belongs whatever the user ticks.

export function parseAnySeparator(text: string, separators = [',', ';', '\t']): string[][] {
  const s = text.replace(/^\uFEFF/, '');
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let atStart = true;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += c;
      continue;
    }
    if (c === '"' && atStart) {
      quoted = true;
      atStart = false;
    } else if (separators.includes(c)) {
      row.push(cell);
      cell = '';
      atStart = true;
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      atStart = true;
    } else {
      cell += c;
      atStart = false;
    }
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
