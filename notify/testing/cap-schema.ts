/** Validates CAP documents against the OASIS CAP 1.2 schema shipped in notify/testdata (tests only). */
import { readFile } from 'node:fs/promises';
import { validateXML } from 'xmllint-wasm';

const XSD = new URL('../testdata/CAP-v1.2.xsd', import.meta.url);

export async function capSchemaErrors(xml: string): Promise<string[]> {
  const schema = await readFile(XSD, 'utf8');
  const result = await validateXML({ xml: [{ fileName: 'alert.xml', contents: xml }], schema: [{ fileName: 'CAP-v1.2.xsd', contents: schema }] });
  return result.valid ? [] : result.errors.map((e) => e.rawMessage);
}
