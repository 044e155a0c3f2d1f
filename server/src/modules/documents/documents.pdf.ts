import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { amountInWordsText, formatCell, headerLayout, validateModel, type DocumentModel } from './documents.model.js';

/**
 * PDF rendering with Chinese text: Noto Sans SC (SIL Open Font License, from the `@expo-google-fonts/noto-sans-sc` npm
 * package, so no system font is needed) embedded as a subset by pdfkit — only the glyphs used, with a ToUnicode map so
 * that the text can be searched and copied. A4, header rows repeated on every page, 第 x 页 / 共 y 页 in the footer.
 */

const require = createRequire(import.meta.url);
let fonts: { regular: Buffer; bold: Buffer } | null = null;

function loadFonts(): { regular: Buffer; bold: Buffer } {
  if (!fonts) {
    const dir = path.dirname(require.resolve('@expo-google-fonts/noto-sans-sc/package.json'));
    fonts = {
      regular: readFileSync(path.join(dir, '400Regular', 'NotoSansSC_400Regular.ttf')),
      bold: readFileSync(path.join(dir, '700Bold', 'NotoSansSC_700Bold.ttf')),
    };
  }
  return fonts;
}

const MARGIN = 36;
const FONT_SIZE = 9;
const PAD = 3;
const FOOTER = 24;

export interface PdfOptions {
  /** Creation date written into the PDF's metadata (default: now). */
  createdAt?: Date;
  /** A line in every page's footer, e.g. who signs the file and the key's fingerprint. */
  footerNote?: string;
}

export async function buildPdf(model: DocumentModel, opts: PdfOptions = {}): Promise<Buffer> {
  validateModel(model);
  const { regular, bold } = loadFonts();
  const landscape = model.columns.length > 6;
  const doc = new PDFDocument({
    size: 'A4',
    layout: landscape ? 'landscape' : 'portrait',
    margin: MARGIN,
    bufferPages: true,
    info: { Title: model.title, Author: 'Zhengyun 政云', Creator: 'Zhengyun 政云', CreationDate: opts.createdAt ?? new Date() },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', regular);
  doc.registerFont('cjk-bold', bold);
  doc.font('cjk').fontSize(FONT_SIZE);

  const pageWidth = doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.height - MARGIN - FOOTER;
  // Column widths: proportional to the declared width (characters) or to the kind's usual width.
  const weights = model.columns.map((c) => c.width ?? (c.kind === 'money' ? 14 : c.kind === 'text' || !c.kind ? 16 : 10));
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w) => (w / totalWeight) * pageWidth);
  const xs = widths.reduce<number[]>((acc, _w, i) => [...acc, (acc[i] ?? MARGIN) + widths[i]!], [MARGIN]);
  const layout = headerLayout(model.columns);

  // Title block (first page only).
  doc.font('cjk-bold').fontSize(16).text(model.title, MARGIN, MARGIN, { width: pageWidth, align: 'center' });
  doc.font('cjk').fontSize(10);
  if (model.subtitle) doc.text(model.subtitle, { width: pageWidth, align: 'center' });
  doc.moveDown(0.5);
  for (const m of model.meta ?? []) doc.text(`${m.label}：${m.value}`, MARGIN, undefined, { width: pageWidth });
  doc.moveDown(0.5);
  doc.fontSize(FONT_SIZE);

  const headerRowHeight = (level: number) =>
    Math.max(
      FONT_SIZE + 2 * PAD + 2,
      ...layout.cells.filter((c) => c.row === level && c.rowSpan === 1).map((c) => doc.heightOfString(c.text, { width: spanWidth(c.col, c.colSpan) - 2 * PAD }) + 2 * PAD),
    );
  function spanWidth(col: number, span: number): number {
    return xs[col + span]! - xs[col]!;
  }
  const headerHeights = Array.from({ length: layout.depth }, (_, l) => headerRowHeight(l));
  const headerTotal = headerHeights.reduce((a, b) => a + b, 0);

  function drawHeader(top: number): number {
    doc.font('cjk-bold');
    const rowTops = headerHeights.reduce<number[]>((acc, h, i) => [...acc, acc[i]! + h], [top]);
    for (const cell of layout.cells) {
      const x = xs[cell.col]!;
      const y = rowTops[cell.row]!;
      const w = spanWidth(cell.col, cell.colSpan);
      const h = rowTops[cell.row + cell.rowSpan]! - y;
      doc.rect(x, y, w, h).fillAndStroke('#eff3f8', '#999999');
      doc.fillColor('#000000');
      const th = doc.heightOfString(cell.text, { width: w - 2 * PAD });
      doc.text(cell.text, x + PAD, y + (h - th) / 2, { width: w - 2 * PAD, align: 'center' });
    }
    doc.font('cjk');
    return top + headerTotal;
  }

  function rowCells(values: string[], boldRow: boolean, merges?: number): { height: number; draw: (y: number) => void } {
    doc.font(boldRow ? 'cjk-bold' : 'cjk');
    const cells: Array<{ col: number; span: number; text: string; right: boolean }> = [];
    for (let i = 0; i < values.length; i++) {
      const span = i === 0 && merges ? merges : 1;
      const kind = model.columns[i]!.kind;
      cells.push({ col: i, span, text: values[i]!, right: !!kind && kind !== 'text' && !(i === 0 && merges) });
      i += span - 1;
    }
    const height = Math.max(FONT_SIZE + 2 * PAD + 2, ...cells.map((c) => doc.heightOfString(c.text || ' ', { width: spanWidth(c.col, c.span) - 2 * PAD }) + 2 * PAD));
    doc.font('cjk');
    return {
      height,
      draw: (y: number) => {
        doc.font(boldRow ? 'cjk-bold' : 'cjk');
        for (const c of cells) {
          const x = xs[c.col]!;
          const w = spanWidth(c.col, c.span);
          doc.rect(x, y, w, height).stroke('#999999');
          doc.fillColor('#000000').text(c.text, x + PAD, y + PAD, { width: w - 2 * PAD, align: c.right ? 'right' : 'left' });
        }
        doc.font('cjk');
      },
    };
  }

  let y = drawHeader(doc.y);
  const place = (row: { height: number; draw: (y: number) => void }) => {
    if (y + row.height > bottom()) {
      doc.addPage();
      y = drawHeader(MARGIN);
    }
    row.draw(y);
    y += row.height;
  };
  for (const r of model.rows) place(rowCells(model.columns.map((c) => formatCell(r[c.key] ?? null, c.kind)), false));
  if (model.totals) {
    const firstValueCol = model.columns.findIndex((c) => model.totals!.values[c.key] !== undefined);
    const span = Math.max(1, firstValueCol < 0 ? model.columns.length : firstValueCol);
    const values = model.columns.map((c, i) => (i === 0 ? model.totals!.label : model.totals!.values[c.key] !== undefined ? formatCell(model.totals!.values[c.key]!, 'money') : ''));
    place(rowCells(values, true, span));
  }

  const after: Array<{ text: string; bold: boolean }> = [];
  const words = amountInWordsText(model);
  if (words) after.push({ text: words, bold: true });
  for (const note of model.notes ?? []) after.push({ text: note, bold: false });
  y += 8;
  for (const a of after) {
    doc.font(a.bold ? 'cjk-bold' : 'cjk').fontSize(10);
    const h = doc.heightOfString(a.text, { width: pageWidth });
    if (y + h > bottom()) {
      doc.addPage();
      y = MARGIN;
    }
    doc.text(a.text, MARGIN, y, { width: pageWidth });
    y += h + 4;
  }
  if (model.signatures?.length) {
    doc.font('cjk').fontSize(10);
    const blockHeight = 48;
    if (y + blockHeight + 12 > bottom()) {
      doc.addPage();
      y = MARGIN;
    }
    y += 12;
    const w = pageWidth / model.signatures.length;
    model.signatures.forEach((label, i) => {
      doc.text(`${label}：`, MARGIN + i * w, y, { width: w - 8 });
      doc.text('日期：', MARGIN + i * w, y + 24, { width: w - 8 });
    });
  }

  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    doc.font('cjk').fontSize(8).fillColor('#555555');
    // Writing into the bottom margin: lift the margin so pdfkit does not start a new page.
    const oldBottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.text(`第 ${i + 1} 页 / 共 ${range.count} 页`, MARGIN, doc.page.height - MARGIN - 10, { width: pageWidth, align: 'center', lineBreak: false });
    if (opts.footerNote) doc.fontSize(7).text(opts.footerNote, MARGIN, doc.page.height - MARGIN + 2, { width: pageWidth, align: 'center', lineBreak: false });
    doc.page.margins.bottom = oldBottom;
  }
  doc.end();
  return done;
}
