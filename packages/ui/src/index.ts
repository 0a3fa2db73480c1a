/**
 * @spout/ui: the Spout hub's web UI (home, debugger, live status) and its
 * three live demos, served under /ui. @spout/hub mounts it by itself when it
 * is installed (`spout hub --ui`, the default); embed it in your own hub
 * with `startUi`, or mount the bare handler with `createUiHandler`.
 *
 * @example
 * import { createHub, listen } from '@spout/hub';
 * import { startUi, type StartedUi } from '@spout/ui';
 * let ui: StartedUi | undefined;
 * const hub = await createHub({ ..., extraHandler: (req, res) => ui?.handle(req, res) ?? false });
 * const running = await listen(hub, { port: 3000 });
 * ui = await startUi({ hubUrl: running.hubUrl, metrics: hub.metrics, store: hub.store }, { secret });
 */
import type { WebUiModule } from '@spout/hub';
import { startUi } from './start-ui.ts';

export type { UiBundle, UiFile } from './bundle/file.ts';
export { DEMO_PUBLISH_SELECTOR, type Demos, type DemosOptions, startDemos } from './demos/index.ts';
export type { MintSubscriberToken } from './server/demo-api.ts';
export type { HubInfo } from './server/handler.ts';
export { createUiHandler, type UiHandler, type UiOptions } from './server/handler.ts';
export type { UiRequest, UiResponse } from './server/http-types.ts';
export { type HubCounters, type StatsSource, statsFromMetrics } from './server/stats.ts';
export { type StartedUi, type StartUiOptions, startUi, type UiHost } from './start-ui.ts';

// The hub imports this package by name and calls it through its own contract: keep the two in step.
startUi satisfies WebUiModule['startUi'];
