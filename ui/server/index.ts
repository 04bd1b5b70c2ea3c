export { createApp, type AppOptions, DEFAULT_STATIC_DIR } from './app.ts';
export { startServer, type StartServerOptions, type RunningServer } from './server.ts';
export type { LiveView } from './live-view.ts';
export type { SiteSummary, SiteDetail, ClauseView, SubjectVerdict, EvidenceView, AssetView, PointView, ApiError } from './api-types.ts';
