import { access } from 'node:fs/promises';

/** A font file with the glyphs for Chinese; `family` is the PostScript name inside a .ttc collection. */
export interface ReportFont {
  file: string;
  family?: string;
}

/** Debian's fonts-wqy-microhei, fonts-wqy-zenhei and fonts-noto-cjk, in that order. */
export const CJK_FONT_CANDIDATES: readonly ReportFont[] = [
  { file: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYiMicroHei' },
  { file: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', family: 'WenQuanYiZenHei' },
  { file: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { file: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', family: 'NotoSerifCJKsc-Regular' },
];

/** The first candidate that exists, or undefined (the report then falls back to English in a built-in font). */
export async function findCjkFont(candidates: readonly ReportFont[] = CJK_FONT_CANDIDATES): Promise<ReportFont | undefined> {
  for (const font of candidates) {
    try {
      await access(font.file);
      return font;
    } catch {
      // next
    }
  }
  return undefined;
}
