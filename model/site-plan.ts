import { z } from 'zod';

// The site plan: its extent, and the roads and gates a fire brigade drives in by.
// Road widths are recorded, not judged here: GB 50074-2014 §5.2 asks for a ring fire lane
// (消防车道) around each tank group with a carriageway at least 4 m wide (UNCONFIRMED: the
// clause and figure are not in /work/shared/reference/depot-standards.md). A too-narrow road
// is for a clause of the standard to fail, never a site file that will not load.

const id = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'must start with a letter and hold only letters, digits, "-" and "_"');
const bilingual = z.strictObject({ zh: z.string().min(1), en: z.string().min(1) });
const position = z.strictObject({ x: z.number(), y: z.number() });

export const ROAD_KINDS = ['fire-lane', 'road'] as const;
export const GATE_ROLES = ['main', 'emergency', 'service'] as const;

/** A road as a polyline on the plan; a ring repeats its first point at the end. */
const road = z.strictObject({
  id,
  name: bilingual,
  /** fire-lane: 消防车道 a fire engine works from; road: any other driveable road */
  kind: z.enum(ROAD_KINDS).default('road'),
  /** carriageway width, m */
  width: z.number().positive(),
  points: z.array(position).min(2, 'a road needs at least two points'),
});

/** An opening in the perimeter wall (出入口). */
const gate = z.strictObject({
  id,
  name: bilingual,
  position,
  /** main: the everyday entrance; emergency: kept for fire engines and evacuation */
  role: z.enum(GATE_ROLES).default('main'),
  /** clear opening width, m */
  width: z.number().positive().optional(),
});

export const planSchema = z
  .strictObject({
    width: z.number().positive(),
    height: z.number().positive(),
    roads: z.array(road).default([]),
    gates: z.array(gate).default([]),
  })
  .superRefine((plan, ctx) => {
    const outside = (p: { x: number; y: number }) => p.x < 0 || p.y < 0 || p.x > plan.width || p.y > plan.height;
    const extent = `the plan (0..${plan.width} east, 0..${plan.height} north)`;
    plan.roads.forEach((r, i) =>
      r.points.forEach((p, j) => {
        if (outside(p)) ctx.addIssue({ code: 'custom', path: ['roads', i, 'points', j], message: `road "${r.id}" point (${p.x}, ${p.y}) lies outside ${extent}` });
      }),
    );
    plan.gates.forEach((g, i) => {
      if (outside(g.position))
        ctx.addIssue({ code: 'custom', path: ['gates', i, 'position'], message: `gate "${g.id}" at (${g.position.x}, ${g.position.y}) lies outside ${extent}` });
    });
    const duplicates = (items: { id: string }[], key: string) => {
      const seen = new Map<string, number>();
      items.forEach((item, i) => {
        const earlier = seen.get(item.id);
        if (earlier === undefined) seen.set(item.id, i);
        else ctx.addIssue({ code: 'custom', path: [key, i, 'id'], message: `duplicate id "${item.id}" (first used at plan.${key}[${earlier}])` });
      });
    };
    duplicates(plan.roads, 'roads');
    duplicates(plan.gates, 'gates');
  });

export type SitePlan = z.infer<typeof planSchema>;
export type Road = SitePlan['roads'][number];
export type Gate = SitePlan['gates'][number];
