/** A report's PDF document (pdfkit, A4): its CJK font when one is usable, and how its text is drawn without one. */
import PDFDocument from 'pdfkit';
import type { Logger } from 'pino';
import type { Bilingual } from '../../../model/index.ts';
import type { ReportFont } from './fonts.ts';

export interface PdfDocument {
  doc: PDFKit.PDFDocument;
  /** false when no CJK font was usable: Chinese text is left out, and the report says so */
  cjk: boolean;
  /** a text as it can be drawn: without a CJK font only Latin-1, Chinese left out rather than drawn as garbage */
  latin(text: string): string;
  /** both languages with a CJK font, English alone without */
  bi(text: Bilingual): string;
  /** ends the document and gives its bytes */
  finish(): Promise<Buffer>;
}

export function openPdf(info: { title: string; author: string; createdAt: number }, font: ReportFont | undefined, logger: Logger | undefined, report: string): PdfDocument {
  const doc = new PDFDocument({ size: 'A4', margin: 48, info: { Title: info.title, Author: info.author, Creator: 'ketwin', CreationDate: new Date(info.createdAt) } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  let cjk = false;
  if (font) {
    try {
      doc.registerFont('body', font.file, font.family);
      doc.font('body');
      cjk = true;
    } catch (error) {
      logger?.warn({ err: error, font: font.file }, `CJK font not usable; the ${report} is English only`);
    }
  }
  if (!cjk) doc.font('Helvetica');
  const latin = (s: string) =>
    cjk
      ? s
      : s
          .replace(/[^\x20-\x7e\xa0-\xff]/g, '')
          .replace(/\s{2,}/g, ' ')
          .trim();
  return {
    doc,
    cjk,
    latin,
    bi: (b) => (cjk ? `${b.zh} / ${b.en}` : latin(b.en)),
    finish: () => {
      doc.end();
      return done;
    },
  };
}
