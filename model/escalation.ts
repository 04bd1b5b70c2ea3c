import { z } from 'zod';

// Who is told about an incident, and who next when nobody answers (issue 8). Optional in a
// site definition: a site without it still loads, and notify/ then only tells the subscribers
// configured for every site.

const id = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'must start with a letter and hold only letters, digits, "-" and "_"');
const bilingual = z.strictObject({ zh: z.string().min(1), en: z.string().min(1) });
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the name of an environment variable, e.g. KETWIN_HOOK_SECRET');

export const CONTACT_ROLES = ['rescue', 'fire', 'hazmat', 'repair', 'medical', 'manager', 'platform', 'civil-air-defence'] as const;
export const WEBHOOK_FORMATS = ['json', 'cap'] as const;

/** A team or office that can be told: by webhook when `url` is set, else recorded only (told by phone from the UI). */
const contact = z.strictObject({
  id,
  name: bilingual,
  role: z.enum(CONTACT_ROLES),
  /** http(s) endpoint that receives a signed POST */
  url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  format: z.enum(WEBHOOK_FORMATS).default('cap'),
  /** name of the environment variable that holds the HMAC secret; required with url */
  secretEnv: envName.optional(),
  /** never receives exercise (drill) messages */
  liveOnly: z.boolean().default(false),
});

const step = z.strictObject({
  /** minutes after the alert was raised, if nobody has acknowledged by then; 0 = at once */
  afterMinutes: z.number().min(0),
  /** contact ids of this policy, or subscriber ids of the notifier's subscribers file */
  notify: z.array(id).min(1),
});

export const escalationSchema = z
  .strictObject({
    /** GB/T 2260 administrative region code of the site (6 digits), first part of CAP identifiers */
    regionCode: z
      .string()
      .regex(/^\d{6}$/, 'must be a 6-digit GB/T 2260 region code, e.g. 330902')
      .optional(),
    /** alerts of this severity or more severe (1 most severe) follow the policy; incidents always do */
    maxSeverity: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).default(2),
    contacts: z.array(contact).default([]),
    steps: z.array(step).min(1),
  })
  .superRefine((policy, ctx) => {
    policy.steps.forEach((s, i) => {
      const before = policy.steps[i - 1];
      if (before !== undefined && s.afterMinutes <= before.afterMinutes) {
        ctx.addIssue({ code: 'custom', path: ['steps', i, 'afterMinutes'], message: `must be later than the step before (${before.afterMinutes} min)` });
      }
    });
    const seen = new Set<string>();
    policy.contacts.forEach((c, i) => {
      if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: ['contacts', i, 'id'], message: `duplicate contact id ${c.id}` });
      seen.add(c.id);
      if (c.url !== undefined && c.secretEnv === undefined) {
        ctx.addIssue({ code: 'custom', path: ['contacts', i, 'secretEnv'], message: 'a contact with a url needs secretEnv (the HMAC secret)' });
      }
    });
  });

export type EscalationPolicy = z.infer<typeof escalationSchema>;
export type EscalationContact = EscalationPolicy['contacts'][number];
export type EscalationStep = EscalationPolicy['steps'][number];
