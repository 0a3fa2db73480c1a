/**
 * `npm start`: the hub in development mode, on the embedded SQLite store, with
 * the web UI and the three live demos. It prints the URL of the UI and a
 * development key and tokens, so a newcomer can publish with curl at once.
 * Extra arguments go to `spout hub` (e.g. `npm start -- --port 3000`).
 */
import { hubCommand } from '../packages/hub/src/cli/hub-command.ts';

process.exitCode = await hubCommand(['--dev', ...process.argv.slice(2)]);
