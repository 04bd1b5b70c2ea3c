import type { CompiledClause } from './clause-compiler.ts';
import type { Standard } from './standard.ts';

// The clause table an auditor reads: generated from the loaded standard, committed beside it
// as <version>.md, and served by the API. A test regenerates it and compares.

const cell = (text: string) =>
  text
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
const code = (text: string) => (text ? `\`${cell(text).replace(/`/g, "'")}\`` : '');

function formatValue(value: number | number[] | Record<string, number>): string {
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `[${value.join(', ')}]`;
  return Object.entries(value)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

/** What a clause compares against, in words: params with units, delays, deadband, record validity. */
export function thresholdOf(clause: CompiledClause): string {
  const parts: string[] = [];
  for (const [name, p] of Object.entries(clause.params)) parts.push(`${name} = ${formatValue(p.value)}${p.unit ? ` ${p.unit}` : ''}`);
  if (clause.evidence) parts.push(`record "${clause.evidence.kind}" valid ${clause.evidence.validFor}`);
  if (clause.delayOn) parts.push(`delay-on ${clause.delayOn}`);
  if (clause.delayOff) parts.push(`delay-off ${clause.delayOff}`);
  for (const [name, band] of Object.entries(clause.deadband)) parts.push(`deadband ${name} ${band}`);
  return parts.join('; ');
}

/** The standard as a Markdown document: metadata, grading, and one row per clause. */
export function renderClauseTable(standard: Standard): string {
  const lines: string[] = [
    `# ${standard.title.zh} / ${standard.title.en}`,
    '',
    `<!-- generated from ${standard.version}.yaml by renderClauseTable (standards/clause-table.ts); do not edit -->`,
    '',
    `- id: \`${standard.id}\`, version ${standard.version}, effective ${standard.effectiveDate}`,
    `- clauses: ${standard.clauses.length} (${standard.clauses.filter((c) => c.confidence === 'unconfirmed').length} unconfirmed)`,
    `- grading: ${standard.grading.bands.map((b) => `≥ ${b.min} → ${b.grade} (${b.risk})`).join(', ')}; a failing clause of severity ${standard.grading.forceRedSeverities.join(', ') || '(none)'} makes the site red (a confirmed one: an unconfirmed clause alone never does)`,
    `- live risk: the worst of the compliance colour, open incidents (severity ${Object.entries(standard.liveRisk.incidentSeverity)
      .map(([k, v]) => `${k} → ${v}`)
      .join(
        ', ',
      )}) and comms loss on a safety-critical point (${standard.liveRisk.commsLoss}); clauses of severity ${standard.liveRisk.criticalSeverities.join(', ')} are safety-critical and hold the risk while their data is lost`,
    '',
    '## Sources',
    '',
    ...standard.sources.map((s) => `- ${s.id}: ${s.title.zh} / ${s.title.en}`),
    '',
    '## Clauses',
    '',
    '| id | title (zh) | title (en) | source | applies to | check | threshold | expression | confidence |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const c of standard.clauses)
    lines.push(
      `| ${[
        c.id,
        cell(c.title.zh),
        cell(c.title.en),
        cell(`${c.source.standard} ${c.source.clause}`),
        c.appliesTo,
        c.check,
        cell(thresholdOf(c)),
        [c.when ? `when ${code(c.when)}` : '', c.expression ? code(c.expression) : ''].filter(Boolean).join(': '),
        c.confidence === 'unconfirmed' ? '**unconfirmed**' : 'confirmed',
      ].join(' | ')} |`,
    );
  lines.push(...hazardSections(standard));
  return `${lines.join('\n')}\n`;
}

/** Each hazard model's physics parameters with their values and sources, so a fire engineer can check them. */
function hazardSections(standard: Standard): string[] {
  const hazards = Object.entries(standard.hazards);
  if (hazards.length === 0) return [];
  const lines = ['', '## Hazard models', ''];
  for (const [id, hazard] of hazards) {
    lines.push(`### ${id}: ${cell(hazard.title.zh)} / ${cell(hazard.title.en)}`, '', '| parameter | value | source |', '|---|---|---|');
    for (const [name, p] of Object.entries(hazard.params)) lines.push(`| ${name} | ${cell(`${formatValue(p.value)}${p.unit ? ` ${p.unit}` : ''}`)} | ${cell(p.source)} |`);
    lines.push('');
  }
  lines.pop();
  return lines;
}
