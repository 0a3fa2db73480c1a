import { DEMO_USERS, EVERYONE, NOTIFICATION_TOPIC_TEMPLATE, type Notification } from '../../demos/topics.ts';
import { clock, Layout, StateBadge } from '../components/layout.ts';
import { html, useEffect, useRef, useState } from '../lib/html.ts';
import { postJson } from '../lib/hub.ts';
import { mount } from '../lib/mount.ts';
import { openStream, type StreamHandle, type StreamState } from '../lib/stream.ts';

/** The list keeps the newest notifications only. */
const MAX_ITEMS = 100;

interface Item extends Notification {
  id: string;
  read: boolean;
}

function Inbox(props: { user: string }) {
  const [items, setItems] = useState<Item[]>([]);
  const [state, setState] = useState<StreamState>('connecting');
  const [error, setError] = useState('');
  const stream = useRef<StreamHandle | undefined>(undefined);
  useEffect(() => {
    let cancelled = false;
    setItems([]);
    // The hub sets an HttpOnly mercureAuthorization cookie whose subscribe claim names only this user's topic.
    postJson('/ui/api/demos/notifications/session', { user: props.user }).then(
      () => {
        if (cancelled) return;
        stream.current = openStream({
          topics: [NOTIFICATION_TOPIC_TEMPLATE],
          types: ['notification'],
          withCredentials: true,
          onState: setState,
          onEvent: (event) => {
            const notification = JSON.parse(event.data) as Notification;
            setItems((previous) =>
              [{ ...notification, id: event.id, read: false }, ...previous].slice(0, MAX_ITEMS),
            );
          },
        });
      },
      (e: Error) => setError(e.message),
    );
    return () => {
      cancelled = true;
      stream.current?.close();
    };
  }, [props.user]);

  const unread = items.filter((item) => !item.read).length;
  useEffect(() => {
    document.title = `${unread ? `(${unread}) ` : ''}Notifications · ${props.user}`;
  }, [unread, props.user]);
  const markRead = (id?: string): void =>
    setItems((previous) =>
      previous.map((item) => (id === undefined || item.id === id ? { ...item, read: true } : item)),
    );

  return html`<section class="card inbox">
    <h2>
      Inbox of ${props.user}
      <span class="unread" data-testid="unread" data-count=${unread} hidden=${unread === 0}>${unread}</span>
      <${StateBadge} state=${state} />
    </h2>
    ${error ? html`<p class="error">${error}</p>` : null}
    <div class="row"><button class="secondary" onClick=${() => markRead()} disabled=${unread === 0}>Mark all read</button></div>
    <ul class="notifications" data-testid="notifications">
      ${items.length === 0 ? html`<li class="empty">Nothing yet. Send one below, or wait for the demo publisher.</li>` : null}
      ${items.map(
        (
          item,
        ) => html`<li class=${item.read ? 'read' : 'unread'} data-id=${item.id} onClick=${() => markRead(item.id)}>
          <span class="when">${clock(item.at)}</span>
          <b>${item.title}</b> ${item.body}
          ${item.to === EVERYONE ? html`<span class="tag">everyone</span>` : html`<span class="tag private">private</span>`}
        </li>`,
      )}
    </ul>
  </section>`;
}

function SendForm() {
  const [to, setTo] = useState<string>(DEMO_USERS[1]);
  const [title, setTitle] = useState('Hello');
  const [body, setBody] = useState('');
  const [result, setResult] = useState('');
  const send = async (e: Event): Promise<void> => {
    e.preventDefault();
    try {
      const answer = await postJson<{ id: string }>('/ui/api/demos/notifications', { to, title, body });
      setResult(`sent to ${to}, id ${answer.id}`);
    } catch (failure) {
      setResult(`failed: ${(failure as Error).message}`);
    }
  };
  return html`<section class="card">
    <h2>Send a notification</h2>
    <form class="fields" onSubmit=${send}>
      <div class="row">
        <label>To<select name="to" value=${to} onChange=${(e: Event) => setTo((e.target as HTMLSelectElement).value)}>
          ${[...DEMO_USERS, EVERYONE].map((user) => html`<option value=${user}>${user}${user === EVERYONE ? ' (public)' : ' (private)'}</option>`)}
        </select></label>
        <label>Title<input name="title" value=${title} onInput=${(e: InputEvent) => setTitle((e.target as HTMLInputElement).value)} /></label>
        <label>Body<input name="body" value=${body} onInput=${(e: InputEvent) => setBody((e.target as HTMLInputElement).value)} /></label>
        <button type="submit">Send</button>
      </div>
      <p data-testid="send-result">${result}</p>
    </form>
  </section>`;
}

function Notifications() {
  const initial = new URLSearchParams(location.search).get('user');
  const [user, setUser] = useState<string | null>(
    initial && (DEMO_USERS as readonly string[]).includes(initial) ? initial : null,
  );
  const choose = (name: string): void => {
    history.replaceState(null, '', `?user=${name}`);
    setUser(name);
  };
  return html`<${Layout}
    title="Notifications"
    intro="Each user's page listens to every user's topic, yet only gets its own private notifications: its cookie's token names only its own topic, and the hub filters the rest. One user per browser (the cookie is per browser): open a private window for a second one."
  >
    <section class="card">
      <h2>Who are you?</h2>
      <div class="row">
        ${DEMO_USERS.map(
          (name) =>
            html`<button class=${name === user ? '' : 'secondary'} data-user=${name} onClick=${() => choose(name)}>${name}</button>`,
        )}
      </div>
    </section>
    ${user ? html`<${Inbox} user=${user} />` : null}
    <${SendForm} />
  <//>`;
}

mount(Notifications);
