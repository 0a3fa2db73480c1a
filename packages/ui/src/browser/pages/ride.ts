import { RIDE_STATES, RIDE_TOPIC, type RideState, type RideUpdate } from '../../demos/topics.ts';
import { Layout, StateBadge } from '../components/layout.ts';
import { html, useEffect, useState } from '../lib/html.ts';
import { postJson } from '../lib/hub.ts';
import { mount } from '../lib/mount.ts';
import { openStream, type StreamState } from '../lib/stream.ts';

type Role = 'rider' | 'driver';

const LABELS: Record<Role, Record<RideState, string>> = {
  rider: {
    requested: 'Looking for a driver…',
    matched: 'Driver found',
    arriving: 'Your driver is on the way',
    in_trip: 'On your way',
    completed: 'You have arrived',
  },
  driver: {
    requested: 'New ride request',
    matched: 'Ride accepted',
    arriving: 'Heading to pickup',
    in_trip: 'Driving to dropoff',
    completed: 'Trip completed',
  },
};

function headline(role: Role, ride: RideUpdate): string {
  const eta = ride.etaSeconds !== undefined ? ` · ${ride.etaSeconds}s` : '';
  if (role === 'rider' && ride.driver && ride.state === 'arriving')
    return `${ride.driver.name} arrives in ${ride.etaSeconds ?? 0}s · ${ride.driver.car} ${ride.driver.plate}`;
  if (role === 'driver' && ride.state !== 'completed')
    return `${LABELS.driver[ride.state]}: ${ride.rider}${eta}`;
  return `${LABELS[role][ride.state]}${eta}`;
}

function MapView(props: { ride: RideUpdate }) {
  const { pickup, dropoff, car } = props.ride;
  return html`<svg class="map" viewBox="0 0 100 100" data-testid="map">
    <path d="M0 33H100M0 66H100M33 0V100M66 0V100" class="streets" />
    <circle cx=${pickup.x} cy=${pickup.y} r="3" class="pickup" />
    <text x=${pickup.x + 4} y=${pickup.y + 1}>pickup</text>
    <rect x=${dropoff.x - 2.5} y=${dropoff.y - 2.5} width="5" height="5" class="dropoff" />
    <text x=${dropoff.x + 4} y=${dropoff.y + 1}>dropoff</text>
    ${car ? html`<circle cx=${car.x} cy=${car.y} r="2.6" class="car" data-testid="car" data-x=${car.x} data-y=${car.y} />` : null}
  </svg>`;
}

function Ride() {
  const role: Role = location.pathname.endsWith('/driver') ? 'driver' : 'rider';
  const [ride, setRide] = useState<RideUpdate | undefined>(undefined);
  const [state, setState] = useState<StreamState>('connecting');
  const [error, setError] = useState('');
  useEffect(() => {
    const stream = openStream({
      topics: [RIDE_TOPIC],
      types: ['ride'],
      onState: setState,
      onEvent: (event) => setRide(JSON.parse(event.data) as RideUpdate),
    });
    return () => stream.close();
  }, []);
  const other = role === 'rider' ? 'driver' : 'rider';
  const request = (): void => {
    postJson('/ui/api/demos/ride/request', {}).then(
      () => setError(''),
      (e: Error) => setError(e.message),
    );
  };
  return html`<${Layout}
    title=${role === 'rider' ? 'Ride: rider' : 'Ride: driver'}
    intro=${html`Both pages follow one trip on one topic. Open the <a href="/ui/demos/ride/${other}">${other}'s page</a> side by side.`}
  >
    <section class="card ride" data-testid="ride" data-state=${ride?.state ?? ''} data-step=${ride?.step ?? ''}>
      <h2>${ride ? headline(role, ride) : 'Waiting for the trip…'} <${StateBadge} state=${state} /></h2>
      <ol class="stepper">
        ${RIDE_STATES.map((name, i) => {
          const current = ride ? RIDE_STATES.indexOf(ride.state) : -1;
          return html`<li class=${i < current ? 'done' : i === current ? 'current' : ''}>${LABELS[role][name]}</li>`;
        })}
      </ol>
      <div class="ride-body">
        ${ride ? html`<${MapView} ride=${ride} />` : null}
        <dl class="trip">
          <dt>Trip</dt><dd>${ride?.tripId ?? '—'}</dd>
          <dt>${role === 'rider' ? 'Driver' : 'Rider'}</dt>
          <dd>${role === 'rider' ? (ride?.driver ? ride.driver.name : 'not matched yet') : (ride?.rider ?? '—')}</dd>
          <dt>Car</dt><dd>${ride?.driver ? `${ride.driver.car} · ${ride.driver.plate}` : '—'}</dd>
          <dt>${ride?.state === 'in_trip' ? 'Arrival in' : 'Pickup in'}</dt>
          <dd data-testid="eta">${ride?.etaSeconds !== undefined ? `${ride.etaSeconds} s` : '—'}</dd>
          <dt>Updates</dt><dd>step ${ride?.step ?? '—'} on <code>${RIDE_TOPIC}</code></dd>
        </dl>
      </div>
      ${role === 'rider' ? html`<button onClick=${request}>Request a new ride</button>` : null}
      ${error ? html`<p class="error">${error}</p>` : null}
    </section>
  <//>`;
}

mount(Ride);
