import type { HubInfo } from '../../api.ts';

export type { HubInfo } from '../../api.ts';

let cached: Promise<HubInfo> | undefined;

export function loadInfo(): Promise<HubInfo> {
  cached ??= fetch('/ui/api/info').then((response) => {
    if (!response.ok) throw new Error(`GET /ui/api/info: ${response.status}`);
    return response.json() as Promise<HubInfo>;
  });
  return cached;
}
