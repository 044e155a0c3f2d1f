import ExcelJS from 'exceljs';

export interface Column<T> {
  header: string;
  width?: number;
  value: (row: T) => string | number | null;
}

/** Beijing time, YYYY-MM-DD HH:mm:ss (or the day as is). */
export function beijing(isoText: string | null): string | null {
  if (!isoText) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(isoText)) return isoText;
  return new Date(Date.parse(isoText) + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** One sheet with Chinese headers, the header row frozen. */
export async function workbook<T>(title: string, columns: Array<Column<T>>, rows: readonly T[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Zhengyun';
  const ws = wb.addWorksheet(title.slice(0, 31));
  ws.columns = columns.map((c, i) => ({ header: c.header, key: `c${i}`, width: c.width ?? 16 }));
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  for (const r of rows) {
    const row: Record<string, string | number | null> = {};
    columns.forEach((c, i) => (row[`c${i}`] = c.value(r)));
    ws.addRow(row);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
