/** What the hub tells the UI about itself (GET /ui/api/info). */
export interface HubInfo {
  name: string;
  version?: string;
  startedAt?: number;
  /** e.g. `sqlite (.spout-data/hub.db)`, `memory`, `redis`. */
  store?: string;
  anonymous?: boolean;
  /** Demos currently publishing. */
  demos: string[];
  /** Whether /ui/api/stats has a data source. */
  stats: boolean;
  /** A development token (publish and subscribe `*`), present only when the hub runs with a development key. */
  devToken?: string;
  /** Anything else the hub wants shown, label to value. */
  details?: Record<string, string>;
}

let cached: Promise<HubInfo> | undefined;

export function loadInfo(): Promise<HubInfo> {
  cached ??= fetch('/ui/api/info').then((response) => {
    if (!response.ok) throw new Error(`GET /ui/api/info: ${response.status}`);
    return response.json() as Promise<HubInfo>;
  });
  return cached;
}
