import { z } from 'zod';

/**
 * What a site file says about MQTT: a broker source (`protocol: mqtt`) and, on each of its points,
 * where the reading is found — a JSON field of a topic, or a Sparkplug B metric of a node.
 * collector/mqtt/README.md is the sample configuration.
 */

const id = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'must start with a letter and hold only letters, digits, "-" and "_"');
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the name of an environment variable, e.g. KETWIN_MQTT_PASSWORD');
/** a Sparkplug B group, edge node or device id: UTF-8 without the MQTT topic characters / + # */
const sparkplugId = z.string().regex(/^[^/+#\s]+$/, 'must be a Sparkplug id: no "/", "+", "#" or spaces');

export const mqttSourceSchema = z
  .strictObject({
    id,
    protocol: z.literal('mqtt'),
    endpoint: z.string().regex(/^mqtts?:\/\/[^/\s:]+:\d+$/, 'must be an MQTT broker such as mqtt://host:1883 or mqtts://host:8883 (TLS)'),
    /** the client id of the persistent session (the broker keeps its subscriptions and QoS 1 messages while away); default ketwin-<site>-<source> */
    clientId: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'must be 1–128 letters, digits, "_", ".", ":" or "-"')
      .optional(),
    /** user name; the password is read from the environment variable named by passwordEnv, never from the file */
    username: z.string().min(1).optional(),
    passwordEnv: envName.optional(),
    /** PEM file of the CA the broker's certificate must chain to (mqtts); the system's CAs otherwise */
    caFile: z.string().min(1).optional(),
    /** MQTT keep-alive, s: the broker drops a silent client after 1.5 × this */
    keepaliveS: z.number().int().min(1).max(65535).default(30),
    /** the Sparkplug B group whose nodes the Sparkplug points of this source belong to (topics spBv1.0/<group>/…) */
    sparkplugGroup: sparkplugId.optional(),
    /**
     * the Sparkplug host application id: when set, ketwin publishes its STATE (spBv1.0/STATE/<id>, retained, with an
     * offline will), so that edge nodes configured with it as their primary host publish to it (Sparkplug B 3.0 §7.5)
     */
    sparkplugHostId: sparkplugId.optional(),
    /** ask a node to send its birth certificates again (NCMD Node Control/Rebirth) on an unknown metric or a sequence gap */
    rebirth: z.boolean().default(true),
    /** sensors that report on change or every minute: silence this long makes a point stale */
    staleAfterMs: z.number().positive().default(120_000),
  })
  .superRefine((source, ctx) => {
    if ((source.username === undefined) !== (source.passwordEnv === undefined)) {
      ctx.addIssue({ code: 'custom', path: [source.username === undefined ? 'username' : 'passwordEnv'], message: 'username and passwordEnv go together' });
    }
    if (source.caFile !== undefined && !source.endpoint.startsWith('mqtts://')) {
      ctx.addIssue({ code: 'custom', path: ['caFile'], message: 'caFile needs an mqtts:// endpoint' });
    }
  });

/** a topic filter: levels split by "/", "+" a whole level, "#" only as the whole last level */
const topicFilter = z
  .string()
  .min(1)
  .refine((t) => t.split('/').every((level, i, all) => (level.includes('+') ? level === '+' : true) && (level.includes('#') ? level === '#' && i === all.length - 1 : true)), {
    message: 'must be an MQTT topic filter: "+" stands for a whole level and "#" only for the whole last level',
  })
  .refine((t) => !t.startsWith('spBv1.0/'), { message: 'a Sparkplug B topic is read through node/device/metric, not as JSON' });

/** a field of a JSON payload: `level`, `data.level`, `values[0].v` (an optional leading `$.`); `$` is the whole payload */
export const JSON_FIELD_PATTERN = /^(\$|(\$\.)?[A-Za-z_][A-Za-z0-9_-]*(\[\d+\])*(\.[A-Za-z_][A-Za-z0-9_-]*(\[\d+\])*)*)$/;
const jsonField = z.string().regex(JSON_FIELD_PATTERN, 'must be a JSON field such as level, data.level or values[0].v ($ for the whole payload)');

const jsonMapping = z.strictObject({
  /** the topic, or a filter with + and #: every message on a matching topic is read */
  topic: topicFilter,
  /** where the value is in the JSON payload; default $, a payload that is the bare value */
  path: jsonField.default('$'),
  /** where the reading's time is: ms since the epoch (or s, with timeUnit s) or an ISO 8601 text; default the time the message arrived */
  timeField: jsonField.optional(),
  timeUnit: z.enum(['ms', 's']).default('ms'),
  /** where the payload names its unit; a reading in another unit than the point's is bad */
  unitField: jsonField.optional(),
});

const sparkplugMapping = z.strictObject({
  /** the edge node id */
  node: sparkplugId,
  /** the device id behind the node; absent for a metric of the node itself */
  device: sparkplugId.optional(),
  /** the metric name as the birth certificate gives it, e.g. water/level */
  metric: z.string().min(1),
});

export const mqttMappingSchema = z.union([jsonMapping, sparkplugMapping], {
  error: () => 'must be either { topic, path?, timeField?, timeUnit?, unitField? } (JSON) or { node, device?, metric } (Sparkplug B)',
});

export type MqttMapping = z.infer<typeof mqttMappingSchema>;
export type MqttJsonMapping = z.infer<typeof jsonMapping>;
export type MqttSparkplugMapping = z.infer<typeof sparkplugMapping>;

export function isSparkplugMapping(mapping: MqttMapping): mapping is MqttSparkplugMapping {
  return 'metric' in mapping;
}
