export type { Quality, Sample, SampleValue } from './sample.ts';
export { QUALITIES, pointId } from './sample.ts';
export { systemClock, type Clock } from './clock.ts';
export type {
  Verdict,
  Evidence,
  ClauseResult,
  SiteScore,
  RiskColour,
  LiveRisk,
  Alert,
  AlertState,
  Severity,
  Confidence,
  Bilingual,
  ClauseInfo,
  SiteSnapshot,
  AlertLifecycle,
  AlertTransition,
  IncidentDetails,
  IncidentCountdown,
  UnknownCountdown,
  GeoFeature,
} from './results.ts';
export { VERDICTS, SEVERITIES, CONFIDENCES, RISK_COLOURS, ALERT_STATES, worseRisk, awaitingClose } from './results.ts';
export { STREAM_MODES, type LiveEvent, type StreamMode } from './live-event.ts';
export { RESPONSE_STATUSES, isResponseStatus, type ResponseStatus } from './responses.ts';
export type { AlarmHealth, AlarmHealthThresholds, AlarmContributor, FloodPeriod } from './alarm-health.ts';
export type { Unit } from './units.ts';
export { UNITS } from './units.ts';
export { isSparkplugMapping, type MqttMapping, type MqttJsonMapping, type MqttSparkplugMapping } from './site-mqtt.ts';
export { CAP_WARNING_FIELDS, type CapMapping, type CapWarningField } from './site-cap.ts';
export type { Site, SiteDefinition, Source, OpcuaSource, ModbusSource, MqttSource, CapSource, Asset, AssetKind, Tank, Dike, CongestedArea, Point } from './site.ts';
export { ASSET_KINDS, TANK_ROOFS, PRODUCTS, OPCUA_SECURITY_MODES, OPCUA_SECURITY_POLICIES, MODBUS_TRANSPORTS, MODBUS_WORD_ORDERS, assetSchema, siteSchema } from './site-schema.ts';
export {
  ONLINE_RATE_KIND,
  RELEASE_SOURCE_TYPES,
  RESPONSIBLE_ROLES,
  type EvidenceRecord,
  type Instrument,
  type ReleaseSource,
  type Responsibility,
  type ResponsibleRole,
} from './site-sections.ts';
export { figurePointsRef, parseFigurePoints, type FigurePoints } from './figure-points.ts';
export { unitsOfAsset, responsibleFor, responsiblePersons, dutiesOf, type NamedDuty, type SiteUnits } from './responsibility.ts';
export { ROAD_KINDS, GATE_ROLES, type SitePlan, type Road, type Gate } from './site-plan.ts';
export { SiteDefinitionError, type SiteIssue } from './site-errors.ts';
export { loadSite, parseSite } from './site-loader.ts';
export { escalationSchema, CONTACT_ROLES, WEBHOOK_FORMATS, type EscalationPolicy, type EscalationContact, type EscalationStep } from './escalation.ts';
export { textProblem, findBadText } from './text.ts';
export { yamlValue, type YamlValue } from './yaml-value.ts';
export { TRANSFER_DIRECTIONS, type TransferDeclaration } from './transfers.ts';
export {
  EXERCISE_STATES,
  EXERCISE_ACTIONS,
  EXERCISE_REPORTS,
  EXERCISE_MARK,
  isExerciseReport,
  exerciseAlertId,
  exerciseOfAlert,
  type ExerciseState,
  type ExerciseAction,
  type ExerciseReport,
  type ExerciseEntry,
  type ExerciseRequirement,
  type ExerciseTiming,
  type ExerciseParty,
  type Exercise,
} from './exercise.ts';
export { EXERCISE_WHAT_WORDS, EXERCISE_OUTCOME_WORDS, EXERCISE_STATE_WORDS } from './exercise-words.ts';
