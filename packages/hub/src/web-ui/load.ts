/**
 * Finds the web UI at run time. @spout/ui is optional: a hub installed
 * without it (`npm install --omit=optional`) serves everything but /ui, and
 * says so once.
 */
import type { Logger } from 'pino';
import type { WebUiModule } from './contract.ts';

/** The package the hub mounts under /ui. */
export const WEB_UI_PACKAGE = '@spout/ui';

/**
 * Imports the web UI module, or resolves undefined after one warning when the
 * package is not installed. Any other failure (a broken install) is thrown.
 */
export async function loadWebUi(
  logger: Logger,
  specifier = WEB_UI_PACKAGE,
): Promise<WebUiModule | undefined> {
  try {
    // A variable specifier: the hub has no static (or type) dependency on the UI.
    return (await import(specifier)) as WebUiModule;
  } catch (error) {
    if (!isMissingPackage(error, specifier)) throw error;
    logger.warn(
      `the web UI is enabled (--ui) but ${specifier} is not installed: the hub runs without it. Install ${specifier} next to @spout/hub, or pass --no-ui`,
    );
    return undefined;
  }
}

/** True when `specifier` itself cannot be found, not some module it imports. */
function isMissingPackage(error: unknown, specifier: string): boolean {
  const { code, message } = error as NodeJS.ErrnoException;
  return code === 'ERR_MODULE_NOT_FOUND' && typeof message === 'string' && message.includes(`'${specifier}'`);
}
