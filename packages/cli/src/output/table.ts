/**
 * Lays rows out in columns separated by three spaces, headers first, the way `kubectl get` does.
 * A cell may hold several lines; the row then takes as many lines and the other cells stay blank.
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const expanded: string[][] = [[...headers]];
  for (const row of rows) {
    const cells = row.map((cell) => cell.split('\n'));
    const height = Math.max(1, ...cells.map((lines) => lines.length));
    for (let line = 0; line < height; line += 1) expanded.push(cells.map((lines) => lines[line] ?? ''));
  }
  const widths = headers.map((_, column) => Math.max(...expanded.map((row) => (row[column] ?? '').length)));
  return expanded
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
        .join('   ')
        .trimEnd(),
    )
    .join('\n');
}
